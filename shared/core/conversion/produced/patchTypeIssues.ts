import { z } from 'zod';
import type { ProducedType } from './producedFieldTypes.js';

export interface PatchTypeIssue {
  path: string;
  message: string;
}

const isoDateTime = z.iso.datetime({ offset: true });

/**
 * Pure: where a JSON merge patch of shard data (RFC 7396) puts something the shard type's schemas
 * never produce — a field none of them fills, or a value of another type than the one they give
 * there — each with its path under `prefix` (`data.address.city`) and what is expected. Null is
 * always accepted: it removes a field, or is what a missing value converts to. Recursion follows
 * the schemas' targets, never the patch's own depth: below an `any` nothing is looked at.
 */
export function patchTypeIssues(type: ProducedType, patch: unknown, prefix: string): PatchTypeIssue[] {
  if (patch === null) return [];
  switch (type.kind) {
    case 'any':
      return [];
    case 'fields': {
      if (!isPlainObject(patch)) return [mismatch(prefix, type, patch)];
      return Object.entries(patch).flatMap(([key, value]) => {
        const path = `${prefix}.${key}`;
        const inner = type.fields.get(key);
        if (inner !== undefined) return patchTypeIssues(inner, value, path);
        // Removing a field no schema fills any more is how stale data is cleaned up.
        return value === null ? [] : [{ path, message: 'is not a field any conversion schema of this shard type produces' }];
      });
    }
    case 'array':
      if (!Array.isArray(patch)) return [mismatch(prefix, type, patch)];
      // A list is replaced whole (merge patches do not merge lists): every element is checked.
      return patch.flatMap((element, index) => patchTypeIssues(type.items, element, `${prefix}.${index}`));
    case 'oneOf': {
      const candidates = type.types.filter((member) => fitsKind(member, patch));
      if (candidates.length === 0) return [mismatch(prefix, type, patch)];
      const checked = candidates.map((member) => patchTypeIssues(member, patch, prefix));
      return checked.find((issues) => issues.length === 0) ?? checked[0]!;
    }
    default:
      return fitsKind(type, patch) ? [] : [mismatch(prefix, type, patch)];
  }
}

/** Does the value have the type's kind (the whole check for scalars; containers check their insides too)? */
function fitsKind(type: ProducedType, value: unknown): boolean {
  switch (type.kind) {
    case 'any': return true;
    case 'null': return value === null;
    case 'string': return typeof value === 'string';
    case 'date-time': return typeof value === 'string' && isoDateTime.safeParse(value).success;
    case 'number': return typeof value === 'number' && (!type.integer || Number.isInteger(value));
    case 'boolean': return typeof value === 'boolean';
    case 'array': return Array.isArray(value);
    case 'object': case 'fields': return isPlainObject(value);
    case 'oneOf': return type.types.some((member) => fitsKind(member, value));
  }
}

function mismatch(path: string, type: ProducedType, value: unknown): PatchTypeIssue {
  return { path, message: `must be ${describe(type)} (what the conversion schemas produce here), not ${describeValue(value)}` };
}

function describe(type: ProducedType): string {
  switch (type.kind) {
    case 'any': return 'any JSON value';
    case 'null': return 'null';
    case 'string': return 'a string';
    case 'date-time': return 'an ISO 8601 date-time string such as 2024-05-01T10:00:00Z';
    case 'number': return type.integer ? 'an integer' : 'a number';
    case 'boolean': return 'a boolean';
    case 'array': return 'an array';
    case 'object': return 'an object';
    case 'fields': return `an object with the fields ${[...type.fields.keys()].join(', ')}`;
    case 'oneOf': return type.types.map(describe).join(' or ');
  }
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return isoDateTime.safeParse(value).success ? 'a date-time string' : 'a string';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
