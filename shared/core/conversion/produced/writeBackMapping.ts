import type { ConversionSchema } from '../schema.js';
import { withChanges, type FieldChange } from '../../conflicts/fieldChanges.js';
import { copiedFields } from './copiedFields.js';

export interface ProviderWrite {
  /** Provider-shaped partial record: the changed fields at the paths they were read from. */
  fields: Record<string, unknown>;
  /** Shard fields that have no way back (computed, parsed or combined): not written. */
  unmapped: string[];
}

/**
 * The way back from shard fields to the provider's: a field read from one plain path, copied or
 * only tidied (trim, case), is written back to that path. Anything else (parsed numbers and
 * dates, concatenations, lookups, expressions) cannot be inverted safely and is not written, nor
 * are `readOnlySources` (the record's id and modified time: the provider keeps those).
 */
export function compileWriteBack(schema: Pick<ConversionSchema, 'fields'>, readOnlySources: readonly string[] = []): (changes: readonly FieldChange[]) => ProviderWrite {
  const sourceOf = new Map<string, string[]>();
  for (const [target, source] of copiedFields(schema.fields)) {
    // The provider's own id (and other fields it keeps itself) is never written.
    if (!readOnlySources.includes(source)) sourceOf.set(target, source.split('.'));
  }
  return (changes) => {
    const mapped: FieldChange[] = [];
    const unmapped: string[] = [];
    for (const change of changes) {
      const keys = sourceOf.get(change.path);
      if (!keys) unmapped.push(change.path);
      // A removed field is written as null: providers keep fields a partial update leaves out.
      else mapped.push({ path: keys.join('.'), keys, value: change.value === undefined ? null : change.value });
    }
    return { fields: withChanges({}, mapped), unmapped };
  };
}
