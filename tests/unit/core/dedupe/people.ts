import { defaultDedupeRules } from '../../../../shared/core/dedupe/defaultDedupeRules.js';
import { prepareCandidate, type Candidate } from '../../../../shared/core/dedupe/resolutionCandidate.js';
import { ids } from '../../../../shared/core/ids.js';

export const rules = defaultDedupeRules.customer;

/** Person i: a mailbox, phone and postcode of their own. */
export const person = (i: number, fields: Record<string, unknown> = {}) => ({
  firstName: 'Katherine',
  lastName: 'Johnson',
  email: `kjohnson${i}@example.com`,
  phone: `+1 415 2${String(i).padStart(2, '0')} 01${String(i).padStart(2, '0')}`,
  address: { city: 'San Francisco', postcode: `941${String(i).padStart(2, '0')}`, country: 'US' },
  ...fields,
});

/** The same person typed again: a nickname, a transposed family name, the mailbox in capitals, the phone without spaces. */
export const retyped = (i: number) => {
  const original = person(i);
  return { ...original, firstName: 'Kathy', lastName: 'Jonhson', email: original.email.toUpperCase(), phone: original.phone.replaceAll(' ', '') };
};

/** A record as the entity index prepares it, with short block ids. */
export const candidate = (shardId: string, data: unknown): Candidate => prepareCandidate({ shardId, data }, rules, ids.dedupeBlock);
