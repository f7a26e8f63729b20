import type { TransformRule } from '../schema.js';
import type { Step } from '../step.js';
import { isMissing, warn } from '../result.js';
import { UNITS } from './units.js';

type Rule<Op extends TransformRule['op']> = Extract<TransformRule, { op: Op }>;

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** Locale-ish numbers: "1.234,5" with decimal "," and thousands "." → 1234.5. */
export function numberStep(rule: Rule<'number'>): Step {
  const { decimal, thousands } = rule;
  return (value, context) => {
    if (typeof value === 'number') return Number.isFinite(value) ? value : warn(context, 'number', 'not a finite number');
    if (isMissing(value)) return null;
    if (typeof value !== 'string') return warn(context, 'number', `cannot read a number from a ${typeof value}`);
    const parsed = parseNumber(value.trim(), decimal, thousands);
    return Number.isFinite(parsed) ? parsed : warn(context, 'number', `"${value}" is not a number`);
  };
}

/**
 * Plain integers (the usual case) are read digit by digit, skipping thousands separators;
 * anything else is rewritten to JS syntax in one pass and checked. NaN unless numeric.
 */
function parseNumber(text: string, decimal: string, thousands: string): number {
  const negative = text[0] === '-';
  let i = negative || text[0] === '+' ? 1 : 0;
  let value = 0;
  let count = 0;
  for (; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit >= 0 && digit <= 9) { value = value * 10 + digit; count++; }
    else if (text[i] !== thousands || count === 0) break;
  }
  if (i === text.length && count > 0 && count <= 15) return negative ? -value : value;
  let plain = '';
  let from = 0;
  for (let j = 0; j < text.length; j++) {
    const char = text[j];
    if (char === thousands || char === decimal) {
      plain += text.slice(from, j) + (char === decimal ? '.' : '');
      from = j + 1;
    }
  }
  plain = from === 0 ? text : plain + text.slice(from);
  return NUMERIC.test(plain) ? Number(plain) : NaN;
}

const TRUTHY = ['true', 'yes', 'y', '1', 'on'];
const FALSY = ['false', 'no', 'n', '0', 'off'];

/** Case-insensitive truthy/falsy sets; anything else is null with a warning. */
export function booleanStep(rule: Rule<'boolean'>): Step {
  const truthy = new Set((rule.truthy ?? TRUTHY).map((word) => word.toLowerCase()));
  const falsy = new Set((rule.falsy ?? FALSY).map((word) => word.toLowerCase()));
  return (value, context) => {
    if (typeof value === 'boolean') return value;
    if (isMissing(value)) return null;
    if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : warn(context, 'boolean', `${value} is neither 1 nor 0`);
    if (typeof value !== 'string') return warn(context, 'boolean', `cannot read a boolean from a ${typeof value}`);
    const word = value.trim().toLowerCase();
    if (truthy.has(word)) return true;
    if (falsy.has(word)) return false;
    return warn(context, 'boolean', `"${value}" is not a known true or false word`);
  };
}

/** Keys are the JSON-ish string form of the value, so 1 and "1" find the same entry. */
const lookupKey = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;

/** A lookup leaves unknown values as they are unless it has a default. */
export function lookupStep(rule: Rule<'lookup'>): Step {
  const table = new Map(Object.entries(rule.map));
  const hasDefault = rule.default !== undefined;
  return (value) => {
    const key = lookupKey(value);
    const found = key === undefined ? undefined : table.get(key);
    if (found !== undefined) return found;
    return hasDefault ? rule.default : value;
  };
}

/** An enum admits only its listed values: anything else is the default, or null with a warning. */
export function enumStep(rule: Rule<'enum'>): Step {
  const table = new Map(Object.entries(rule.values));
  const hasDefault = rule.default !== undefined;
  return (value, context) => {
    const key = lookupKey(value);
    const found = key === undefined ? undefined : table.get(key);
    if (found !== undefined) return found;
    if (hasDefault) return rule.default;
    return isMissing(value) ? null : warn(context, 'enum', `${JSON.stringify(value)} is not one of the listed values`);
  };
}

export const defaultStep = (rule: Rule<'default'>): Step => (value) => (isMissing(value) ? rule.value : value);

export const coalesceStep = (): Step => (value) => (Array.isArray(value) ? value.find((item) => !isMissing(item)) ?? null : value);

/** Multiplying by a ratio drifts (0.1 * 3); 15 significant digits hide the float noise. */
export function unitStep(rule: Rule<'unit'>): Step {
  const ratio = UNITS[rule.from].factor / UNITS[rule.to].factor;
  return (value, context) => {
    if (isMissing(value)) return null;
    const amount = typeof value === 'number' ? value : typeof value === 'string' && NUMERIC.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isFinite(amount)) return warn(context, 'unit', `${JSON.stringify(value)} is not a number of ${rule.from}`);
    const converted = Number((amount * ratio).toPrecision(15));
    return Number.isFinite(converted) ? converted : warn(context, 'unit', `${rule.from} → ${rule.to} overflows`);
  };
}
