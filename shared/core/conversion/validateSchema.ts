import { conversionSchema, type ConversionSchema } from './schema.js';

export interface SchemaProblem {
  /** Dotted, e.g. `fields.3.transforms.1.pattern`; empty for the whole schema. */
  path: string;
  message: string;
}

export type SchemaValidation = { ok: true; schema: ConversionSchema } | { ok: false; problems: SchemaProblem[] };

/** Every problem at once, each with its path: structure, regexes, formats, zones, JSONata, targets. */
export function validateSchema(json: unknown): SchemaValidation {
  const parsed = conversionSchema.safeParse(json);
  const problems: SchemaProblem[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  // Target clashes span fields, so they are checked on the raw input even when a field is malformed.
  const raw = json as { fields?: unknown; derived?: unknown } | null;
  problems.push(...targetClashes(raw?.fields, 'fields'));
  if (Array.isArray(raw?.derived)) raw.derived.forEach((shard, i) => problems.push(...targetClashes((shard as { fields?: unknown } | null)?.fields, `derived.${i}.fields`)));
  return parsed.success && problems.length === 0 ? { ok: true, schema: parsed.data } : { ok: false, problems };
}

/** The same target twice, or one target inside another (`a` and `a.b`), would overwrite data. */
function targetClashes(fields: unknown, at: string): SchemaProblem[] {
  if (!Array.isArray(fields)) return [];
  const problems: SchemaProblem[] = [];
  const seen = new Map<string, number>();
  fields.forEach((field, index) => {
    const to = (field as { to?: unknown } | null)?.to;
    const targets = (Array.isArray(to) ? to : [to]).filter((target): target is string => typeof target === 'string');
    for (const target of targets) {
      for (const [other, otherIndex] of seen) {
        if (other === target) problems.push({ path: `${at}.${index}.to`, message: `target "${target}" is already mapped by ${at}.${otherIndex}` });
        else if (target.startsWith(`${other}.`) || other.startsWith(`${target}.`)) {
          problems.push({ path: `${at}.${index}.to`, message: `target "${target}" overlaps "${other}" of ${at}.${otherIndex}` });
        }
      }
      if (!seen.has(target)) seen.set(target, index);
    }
  });
  return problems;
}
