import type { TransformRule } from '../schema.js';
import type { Step } from '../step.js';

type Rule<Op extends TransformRule['op']> = Extract<TransformRule, { op: Op }>;

/** Text transforms touch strings only; anything else (null included) passes through. */
export const trimStep = (): Step => (value) => (typeof value === 'string' ? value.trim() : value);

const TITLE_WORD = /(^|[\s\-'’])(\p{Ll})/gu;
export function caseStep(rule: Rule<'case'>): Step {
  switch (rule.mode) {
    case 'lower': return (value) => (typeof value === 'string' ? value.toLowerCase() : value);
    case 'upper': return (value) => (typeof value === 'string' ? value.toUpperCase() : value);
    case 'title': return (value) => (typeof value === 'string' ? value.toLowerCase().replace(TITLE_WORD, (_, before: string, letter: string) => before + letter.toUpperCase()) : value);
  }
}

export function splitStep(rule: Rule<'split'>): Step {
  const { separator, index, parts } = rule;
  if (index !== undefined) return (value) => (typeof value === 'string' ? nthPart(value, separator, index) : value);
  if (parts === undefined) return (value) => (typeof value === 'string' ? value.split(separator) : value);
  return (value) => {
    if (typeof value !== 'string') return value;
    const all = value.split(separator);
    return all.length <= parts ? all : [...all.slice(0, parts - 1), all.slice(parts - 1).join(separator)];
  };
}

/** split(separator)[index] without building the whole array. */
function nthPart(value: string, separator: string, index: number): string | null {
  let start = 0;
  for (let i = 0; i < index; i++) {
    const found = value.indexOf(separator, start);
    if (found < 0) return null;
    start = found + separator.length;
  }
  const end = value.indexOf(separator, start);
  return end < 0 ? value.slice(start) : value.slice(start, end);
}

const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '');

/** Joins the non-empty parts; nothing to join is null, like any other missing value. */
export function concatStep(rule: Rule<'concat'>): Step {
  return (value) => {
    if (!Array.isArray(value)) return value;
    let out: string | null = null;
    for (const item of value) {
      const part = text(item);
      if (part !== '') out = out === null ? part : out + rule.separator + part;
    }
    return out;
  };
}

/** `{name}` placeholders over named inputs (fromAll as an object) or positions (a list). */
export function templateStep(rule: Rule<'template'>): Step {
  const pieces = rule.template.split(/\{(\w+)\}/);
  return (value) => {
    const inputs = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
    let out = '';
    for (let i = 0; i < pieces.length; i++) out += i % 2 === 0 ? pieces[i]! : text(Object.hasOwn(inputs, pieces[i]!) ? inputs[pieces[i]!] : undefined);
    return out;
  };
}

export function regexStep(rule: Rule<'regex'>): Step {
  const regex = new RegExp(rule.pattern, rule.flags.includes('u') ? rule.flags : `${rule.flags}u`);
  const { group } = rule;
  return (value) => {
    if (typeof value !== 'string') return value;
    const match = regex.exec(value);
    if (!match) return null;
    return (typeof group === 'number' ? match[group] : match.groups?.[group]) ?? null;
  };
}
