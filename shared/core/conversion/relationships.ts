import type { RelationshipRule } from './schema.js';
import { compileReader } from './paths.js';

/** A parent record a record links to, named by its stream and external id on the same connection. */
export interface ParentRef {
  rel: string;
  stream: string;
  externalId: string;
}

/** Compiles a schema's relationship rules once into a function listing a record's parents. */
export function compileRelationships(rules: readonly RelationshipRule[]): (record: unknown) => ParentRef[] {
  const compiled = rules.map((rule) => ({ rule, read: compileReader(rule.from), none: new Set(rule.none.map(String)) }));
  return (record) => {
    const parents: ParentRef[] = [];
    for (const { rule, read, none } of compiled) {
      const value = read(record);
      const seen = new Set<string>();
      for (const candidate of Array.isArray(value) ? value : [value]) {
        // Only scalars name a parent; a missing id or a "no parent" value links to nothing.
        if (typeof candidate !== 'string' && typeof candidate !== 'number') continue;
        const externalId = String(candidate).trim();
        if (externalId === '' || none.has(externalId) || seen.has(externalId)) continue;
        seen.add(externalId);
        parents.push({ rel: rule.rel, stream: rule.stream, externalId });
      }
    }
    return parents;
  };
}
