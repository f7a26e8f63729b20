import type { ZoneConverter } from './timeZone.js';

/**
 * Date input formats: `iso` (ISO 8601; an explicit offset wins over the time zone), `epoch_s`,
 * `epoch_ms`, or a pattern of YYYY MM DD HH mm ss SSS tokens and literal characters. A text
 * format turns a string into UTC milliseconds, or undefined when it does not match or names an
 * impossible date (02-30, 24:00).
 */
export type DateFormat =
  | { kind: 'epoch'; scale: number }
  | { kind: 'text'; parse: (text: string, toUtc: ZoneConverter) => number | undefined };

type Field = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'millisecond';
const TOKENS: Record<string, { regex: string; field: Field }> = {
  YYYY: { regex: '(\\d{4})', field: 'year' },
  MM: { regex: '(\\d{2})', field: 'month' },
  DD: { regex: '(\\d{2})', field: 'day' },
  HH: { regex: '(\\d{2})', field: 'hour' },
  mm: { regex: '(\\d{2})', field: 'minute' },
  ss: { regex: '(\\d{2})', field: 'second' },
  SSS: { regex: '(\\d{3})', field: 'millisecond' },
};
const TOKEN = /YYYY|SSS|MM|DD|HH|mm|ss/g;
const ORDER: Field[] = ['year', 'month', 'day', 'hour', 'minute', 'second', 'millisecond'];

/** Throws with a reason when the format is unusable; validateSchema reports it. */
export function compileDateFormat(format: string): DateFormat {
  if (format === 'epoch_s') return { kind: 'epoch', scale: 1000 };
  if (format === 'epoch_ms') return { kind: 'epoch', scale: 1 };
  if (format === 'iso') return { kind: 'text', parse: parseIso };
  const fields: Field[] = [];
  let source = '';
  let last = 0;
  for (const match of format.matchAll(TOKEN)) {
    source += escape(format.slice(last, match.index)) + TOKENS[match[0]]!.regex;
    fields.push(TOKENS[match[0]]!.field);
    last = match.index + match[0].length;
  }
  source += escape(format.slice(last));
  for (const needed of ['year', 'month', 'day'] as const) {
    if (!fields.includes(needed)) throw new Error(`date format "${format}" needs YYYY, MM and DD`);
  }
  if (new Set(fields).size !== fields.length) throw new Error(`date format "${format}" repeats a token`);
  const regex = new RegExp(`^${source}$`);
  const positions = ORDER.map((field) => fields.indexOf(field) + 1);
  return {
    kind: 'text',
    parse(text, toUtc) {
      const match = regex.exec(text);
      if (!match) return undefined;
      const [y, mo, d, h, mi, s, ms] = positions.map((at) => (at === 0 ? 0 : Number(match[at])));
      const wall = wallClockMs(y!, mo!, d!, h!, mi!, s!, ms!);
      return wall === undefined ? undefined : toUtc(wall);
    },
  };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Digits at a fixed position; NaN (which fails every later check) when one is not a digit. */
function digits(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return value;
}

/** ISO 8601 by character positions: a regex with eight groups cost more than the rest of a field. */
function parseIso(text: string, toUtc: ZoneConverter): number | undefined {
  const length = text.length;
  if (length < 10 || text[4] !== '-' || text[7] !== '-') return undefined;
  let hour = 0, minute = 0, second = 0, millisecond = 0, i = 10;
  if (i < length && (text[i] === 'T' || text[i] === ' ')) {
    if (text[13] !== ':') return undefined;
    hour = digits(text, 11, 2);
    minute = digits(text, 14, 2);
    i = 16;
    if (text[i] === ':') {
      second = digits(text, 17, 2);
      i = 19;
      if (text[i] === '.') {
        let end = i + 1;
        while (end < length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
        if (end === i + 1) return undefined;
        millisecond = digits((text.slice(i + 1, end) + '00').slice(0, 3), 0, 3);
        i = end;
      }
    }
  }
  const wall = wallClockMs(digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2), hour, minute, second, millisecond);
  if (wall === undefined) return undefined;
  if (i === length) return toUtc(wall);
  if (text[i] === 'Z') return i + 1 === length ? wall : undefined;
  const sign = text[i] === '+' ? 1 : text[i] === '-' ? -1 : 0;
  const colon = text[i + 3] === ':' ? 1 : 0;
  if (sign === 0 || length !== i + 5 + colon) return undefined;
  const offset = digits(text, i + 1, 2) * 60 + digits(text, i + 3 + colon, 2);
  return Number.isNaN(offset) ? undefined : wall - sign * offset * 60_000;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Wall-clock milliseconds (as if UTC), or undefined for an impossible or unparsed (NaN) date. */
export function wallClockMs(year: number, month: number, day: number, hour: number, minute: number, second: number, millisecond: number): number | undefined {
  if (!(month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59 && year >= 0 && millisecond >= 0)) return undefined;
  if (day > (month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!)) return undefined;
  // Date.UTC maps years 0–99 to 1900–1999; 400 Gregorian years are exactly 146,097 days.
  return year < 100
    ? Date.UTC(year + 400, month - 1, day, hour, minute, second, millisecond) - 146_097 * 86_400_000
    : Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
}

const two = (value: number) => (value < 10 ? `0${value}` : String(value));
const three = (value: number) => (value < 10 ? `00${value}` : value < 100 ? `0${value}` : String(value));

/**
 * Date#toISOString, hand-rolled for years 0–9999 (days → civil date,
 * http://howardhinnant.github.io/date_algorithms.html): the built-in dominated a date field.
 */
export function isoUtc(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  const msOfDay = ms - days * 86_400_000;
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 1000 || year > 9999) return new Date(ms).toISOString();
  const seconds = Math.floor(msOfDay / 1000);
  return `${year}-${two(month)}-${two(day)}T${two(Math.floor(seconds / 3600))}:${two(Math.floor((seconds % 3600) / 60))}:${two(seconds % 60)}.${three(msOfDay % 1000)}Z`;
}
