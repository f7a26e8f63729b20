import { ProviderError } from '../providerError.js';
import type { SourceRecord } from '../connector.js';
import type { SpecHooks } from '../spec/specHooks.js';
import { isPrimaryField, PRIMARY_FIELDS } from './googlePrimaryFields.js';

type Item = Record<string, unknown>;
const isItem = (value: unknown): value is Item => typeof value === 'object' && value !== null && !Array.isArray(value);
const refused = (message: string) => new ProviderError({ code: 'invalid_fields', retriable: false, message: `Google People writes: ${message}` });

/**
 * updateContact replaces every field its mask (`updatePersonFields`) names, so the body carries
 * whole fields: a list field written as a list is sent as it is; a change to the `primary` view
 * (googlePrimaryFields) goes into the first item of the field as read just before, the other items
 * and keys kept. A null removes its key (a cleared shard field).
 */
export const googleContactsHooks: SpecHooks = {
  shapeUpdate: (_stream, fields: SourceRecord, current: SourceRecord) => {
    const { primary, ...lists } = fields;
    const body: Record<string, Item[]> = {};
    for (const [name, value] of Object.entries(lists)) {
      if (!Array.isArray(value) || !value.every(isItem)) throw refused(`${name} must be a list of objects`);
      body[name] = value;
    }
    if (primary !== undefined) {
      if (!isItem(primary)) throw refused('primary must be an object');
      for (const [name, value] of Object.entries(primary)) {
        if (!isPrimaryField(name)) throw refused(`primary.${name} is none of ${Object.keys(PRIMARY_FIELDS).join(', ')}`);
        const { list, key } = PRIMARY_FIELDS[name];
        if (Object.hasOwn(lists, list)) throw refused(`primary.${name} and ${list} are both written`);
        const items = body[list] ?? (Array.isArray(current[list]) ? (current[list] as unknown[]).filter(isItem).map((item) => ({ ...item })) : []);
        const first: Item = { ...(items[0] ?? {}), [key]: value };
        if (value === null) delete first[key];
        body[list] = [first, ...items.slice(1)];
      }
    }
    const names = Object.keys(body).sort();
    if (names.length === 0) throw refused('no field to write');
    return { body, params: { updatePersonFields: names.join(',') } };
  },
};
