import type { ValidationRule } from './schema.js';
import { compileReader } from './paths.js';
import { isMissing } from './result.js';

/** A compiled validation: the problem's message, or undefined when the value passes. */
export type Check = (data: Record<string, unknown>) => string | undefined;

const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/u;

const typeOf = (value: unknown) => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);

/** Rules other than `required` pass a missing value: absence is `required`'s business. */
export function compileCheck(rule: ValidationRule): Check {
  const read = compileReader(rule.path);
  const present = (test: (value: unknown) => string | undefined): Check => (data) => {
    const value = read(data);
    return isMissing(value) ? undefined : test(value);
  };
  switch (rule.rule) {
    case 'required':
      return (data) => (isMissing(read(data)) ? `"${rule.path}" is required but missing or empty` : undefined);
    case 'type':
      return present((value) => {
        const ok = rule.type === 'integer' ? Number.isInteger(value) : typeOf(value) === rule.type;
        return ok ? undefined : `"${rule.path}" must be of type ${rule.type}, not ${typeOf(value)}`;
      });
    case 'pattern': {
      const regex = new RegExp(rule.pattern, rule.flags.includes('u') ? rule.flags : `${rule.flags}u`);
      return present((value) => (typeof value === 'string' && regex.test(value) ? undefined : `"${rule.path}" does not match ${rule.pattern}`));
    }
    case 'email':
      return present((value) => (typeof value === 'string' && EMAIL.test(value) ? undefined : `"${rule.path}" is not an email address`));
    case 'range':
      return present((value) => {
        if (typeof value !== 'number') return `"${rule.path}" must be a number to check its range`;
        if (rule.min !== undefined && value < rule.min) return `"${rule.path}" is below ${rule.min}`;
        if (rule.max !== undefined && value > rule.max) return `"${rule.path}" is above ${rule.max}`;
        return undefined;
      });
    case 'enum': {
      const allowed = new Set(rule.values.map((item) => JSON.stringify(item)));
      return present((value) => (allowed.has(JSON.stringify(value)) ? undefined : `"${rule.path}" must be one of ${[...allowed].join(', ')}`));
    }
  }
}
