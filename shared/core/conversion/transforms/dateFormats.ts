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

/** Two digits at a fixed position; NaN (which fails every later check) unless both are digits. */
function twoDigits(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 48;
  const ones = text.charCodeAt(at + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : NaN;
}

/** Character codes of `-`, `:`, `.`, `+`, `T`, space and `Z`. */
const DASH = 45, COLON = 58, DOT = 46, PLUS = 43, T = 84, SPACE = 32, Z = 90;

/** ISO 8601 by character codes: a regex with eight groups cost more than the rest of a field. */
function parseIso(text: string, toUtc: ZoneConverter): number | undefined {
  const length = text.length;
  if (length < 10 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) return undefined;
  let hour = 0, minute = 0, second = 0, millisecond = 0, i = 10;
  const separator = text.charCodeAt(i);
  if (separator === T || separator === SPACE) {
    if (text.charCodeAt(13) !== COLON) return undefined;
    hour = twoDigits(text, 11);
    minute = twoDigits(text, 14);
    i = 16;
    if (text.charCodeAt(i) === COLON) {
      second = twoDigits(text, 17);
      i = 19;
      if (text.charCodeAt(i) === DOT) {
        // Milliseconds are the first three digits of the fraction, padded with zeros.
        let end = i + 1;
        for (let digit = text.charCodeAt(end) - 48; digit >= 0 && digit <= 9; digit = text.charCodeAt(++end) - 48) {
          if (end < i + 4) millisecond = millisecond * 10 + digit;
        }
        if (end === i + 1) return undefined;
        millisecond *= end >= i + 4 ? 1 : end === i + 3 ? 10 : 100;
        i = end;
      }
    }
  }
  const wall = wallClockMs(twoDigits(text, 0) * 100 + twoDigits(text, 2), twoDigits(text, 5), twoDigits(text, 8), hour, minute, second, millisecond);
  if (wall === undefined) return undefined;
  if (i === length) return toUtc(wall);
  const mark = text.charCodeAt(i);
  if (mark === Z) return i + 1 === length ? wall : undefined;
  const sign = mark === PLUS ? 1 : mark === DASH ? -1 : 0;
  const colon = text.charCodeAt(i + 3) === COLON ? 1 : 0;
  if (sign === 0 || length !== i + 5 + colon) return undefined;
  const offset = twoDigits(text, i + 1) * 60 + twoDigits(text, i + 3 + colon);
  return Number.isNaN(offset) ? undefined : wall - sign * offset * 60_000;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const DAY_MS = 86_400_000;
/** Days from 0000-03-01 to 1970-01-01: the civil-date algorithms count from a March 1st. */
const EPOCH_SHIFT = 719_468;
const ERA_DAYS = 146_097;

/**
 * Wall-clock milliseconds (as if UTC) of integer fields, or undefined for an impossible or
 * unparsed (NaN) date. Days are counted with integer division (`| 0`) rather than by Date.UTC,
 * a call into C++ that cost as much as the parse (http://howardhinnant.github.io/date_algorithms.html).
 */
export function wallClockMs(year: number, month: number, day: number, hour: number, minute: number, second: number, millisecond: number): number | undefined {
  if (!(month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59 && year >= 0 && millisecond >= 0)) return undefined;
  if (day > (month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!)) return undefined;
  // Counted 400 years (one era, exactly ERA_DAYS) late, so that January of year 0 stays positive.
  const marchYear = year + 400 - (month <= 2 ? 1 : 0);
  const era = (marchYear / 400) | 0;
  const yearOfEra = marchYear - era * 400;
  const dayOfYear = (((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) | 0) + day - 1;
  const dayOfEra = yearOfEra * 365 + ((yearOfEra / 4) | 0) - ((yearOfEra / 100) | 0) + dayOfYear;
  const days = (era - 1) * ERA_DAYS + dayOfEra - EPOCH_SHIFT;
  return days * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + millisecond;
}

/** Character codes of the tens and ones digits of 0–99. */
const TENS = Uint8Array.from({ length: 100 }, (_, i) => 48 + ((i / 10) | 0));
const ONES = Uint8Array.from({ length: 100 }, (_, i) => 48 + (i % 10));
const FIRST_FAST_MS = Date.UTC(1000, 0, 1);
const END_FAST_MS = Date.UTC(10_000, 0, 1);

/**
 * Date#toISOString, hand-rolled for years 1000–9999 and integer milliseconds (the built-in
 * dominated a date field): days → civil date with integer division, then one flat string
 * from character codes, which costs less than concatenating its parts.
 */
export function isoUtc(ms: number): string {
  if (!(ms >= FIRST_FAST_MS && ms < END_FAST_MS)) return new Date(ms).toISOString();
  const days = Math.floor(ms / DAY_MS);
  const msOfDay = ms - days * DAY_MS;
  // Positive from here on (years from 1000), so truncating division is floor division.
  const shifted = days + EPOCH_SHIFT;
  const era = (shifted / ERA_DAYS) | 0;
  const dayOfEra = shifted - era * ERA_DAYS;
  const yearOfEra = ((dayOfEra - ((dayOfEra / 1460) | 0) + ((dayOfEra / 36_524) | 0) - ((dayOfEra / 146_096) | 0)) / 365) | 0;
  const dayOfYear = dayOfEra - (365 * yearOfEra + ((yearOfEra / 4) | 0) - ((yearOfEra / 100) | 0));
  const monthIndex = ((5 * dayOfYear + 2) / 153) | 0;
  const day = dayOfYear - (((153 * monthIndex + 2) / 5) | 0) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const century = (year / 100) | 0;
  const yearOfCentury = year - century * 100;
  const seconds = (msOfDay / 1000) | 0;
  const millisecond = msOfDay - seconds * 1000;
  const hour = (seconds / 3600) | 0;
  const minute = ((seconds - hour * 3600) / 60) | 0;
  const second = seconds - hour * 3600 - minute * 60;
  const centiseconds = (millisecond / 10) | 0;
  return String.fromCharCode(
    TENS[century]!, ONES[century]!, TENS[yearOfCentury]!, ONES[yearOfCentury]!, DASH, TENS[month]!, ONES[month]!, DASH, TENS[day]!, ONES[day]!,
    T, TENS[hour]!, ONES[hour]!, COLON, TENS[minute]!, ONES[minute]!, COLON, TENS[second]!, ONES[second]!,
    DOT, TENS[centiseconds]!, ONES[centiseconds]!, 48 + millisecond - centiseconds * 10, Z,
  );
}
