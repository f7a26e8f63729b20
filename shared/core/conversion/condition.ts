import type { Predicate } from './schema.js';
import { compileReader } from './paths.js';
import { isMissing } from './result.js';

export type Condition = (subject: unknown) => boolean;

/** Scalars compare by value; objects and arrays by their JSON text (rare in predicates). */
const same = (a: unknown, b: unknown) => a === b || (typeof a === 'object' && a !== null && JSON.stringify(a) === JSON.stringify(b));

/** `exists` means present and not empty (null and "" count as missing, as everywhere else). */
export function compileCondition(predicate: Predicate): Condition {
  const read = predicate.path === undefined ? (subject: unknown) => subject : compileReader(predicate.path);
  if (predicate.exists !== undefined) {
    const wanted = predicate.exists;
    return (subject) => !isMissing(read(subject)) === wanted;
  }
  if (predicate.in !== undefined) {
    const scalars = new Set(predicate.in.filter((item) => item === null || typeof item !== 'object'));
    const objects = predicate.in.filter((item) => item !== null && typeof item === 'object');
    return (subject) => {
      const value = read(subject) ?? null;
      return scalars.has(value) || objects.some((item) => same(item, value));
    };
  }
  const expected = predicate.equals;
  return (subject) => same(read(subject) ?? null, expected);
}
