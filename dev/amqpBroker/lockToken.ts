/**
 * Lock tokens are GUIDs. Service Bus puts them in delivery tags in .NET Guid byte order (the first
 * three groups little-endian) and the SDK reorders them; management requests carry RFC 4122 order.
 */
import { randomUUID } from 'node:crypto';
import rhea from 'rhea';

const swapGuidGroups = (b: Buffer): Buffer =>
  Buffer.from([b[3]!, b[2]!, b[1]!, b[0]!, b[5]!, b[4]!, b[7]!, b[6]!, ...b.subarray(8)]);

export const newLockToken = (): string => randomUUID();

export const deliveryTagOf = (lockToken: string): Buffer => swapGuidGroups(rhea.string_to_uuid(lockToken));

export const lockTokenOfDeliveryTag = (tag: Buffer | string): string =>
  rhea.uuid_to_string(swapGuidGroups(typeof tag === 'string' ? Buffer.from(tag) : tag));

/** A lock token as management requests carry it: a uuid in RFC order (rhea decodes it as bytes). */
export const lockTokenOfUuid = (uuid: Buffer | string): string =>
  typeof uuid === 'string' ? uuid : rhea.uuid_to_string(uuid);

export const uuidOfLockToken = (lockToken: string): Buffer => rhea.string_to_uuid(lockToken);
