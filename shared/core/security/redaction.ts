import { secretForms } from './redactionForms.js';

/** What stands where a secret was. */
export const REDACTED = '[redacted]';

/** Removes a fixed set of secrets, in every form secretForms knows, from text and from values. */
export interface Redactor {
  redact(text: string): string;
  /**
   * A copy of `value` with every string in it redacted (object keys too): arrays, plain objects
   * and errors (same prototype, so `instanceof` still holds; `message`, `stack`, `cause` and
   * every other own property) are copied at any depth, without recursion, cycles kept. Other
   * objects (dates, buffers, class instances) are kept as they are.
   */
  redactValue<T>(value: T): T;
}

/**
 * A redactor for `secrets`. A value shorter than MIN_SECRET_LENGTH is not looked for (see
 * redactionForms.ts). A secret that is itself part of the marker (say `redacted`) cannot be told
 * apart from it.
 */
export function createRedactor(secrets: Iterable<string>): Redactor {
  const literals = new Set<string>();
  const cores = new Set<string>();
  for (const secret of secrets) {
    const forms = secretForms(secret);
    for (const literal of forms.literals) literals.add(literal);
    for (const core of forms.base64Cores) cores.add(core);
  }
  const literalPattern = alternation(literals);
  const corePattern = alternation(cores);
  if (!literalPattern && !corePattern) return { redact: (text) => text, redactValue: (value) => value };

  const redact = (text: string): string => {
    const ranges = [
      ...(literalPattern ? matchRanges(literalPattern, text) : []),
      ...(corePattern ? matchRanges(corePattern, text).map((range) => base64TokenAround(text, range)) : []),
    ];
    return ranges.length === 0 ? text : replaceRanges(text, ranges);
  };
  return { redact, redactValue: (value) => copyRedacted(value, redact) };
}

type Range = readonly [start: number, end: number];

/** One case-insensitive pattern for all literals, longest first so the longest wins where several start. */
function alternation(literals: Set<string>): RegExp | undefined {
  if (literals.size === 0) return undefined;
  const sorted = [...literals].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map((literal) => literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')).join('|'), 'gi');
}

/** Every occurrence, overlapping ones included: one secret's tail may be the start of another. */
function matchRanges(pattern: RegExp, text: string): Range[] {
  const ranges: Range[] = [];
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    ranges.push([match.index, match.index + match[0].length]);
    pattern.lastIndex = match.index + 1;
  }
  return ranges;
}

const base64Char = /^[A-Za-z0-9+/_-]$/;
const escapedBase64 = ['\\/', '%2B', '%2F', '%2b', '%2f'];
const escapedPadding = ['%3D', '%3d'];

/** Length of the token piece (a base64 character, `\\/`, `%2B` or `%2F`) ending at `at`; 0 when there is none. */
function pieceBefore(text: string, at: number): number {
  const escaped = escapedBase64.find((piece) => at >= piece.length && text.startsWith(piece, at - piece.length));
  if (escaped) return escaped.length;
  return at > 0 && base64Char.test(text[at - 1]!) ? 1 : 0;
}

/** Length of the token piece starting at `at`; 0 when there is none. */
function pieceAfter(text: string, at: number): number {
  const escaped = escapedBase64.find((piece) => text.startsWith(piece, at));
  if (escaped) return escaped.length;
  return at < text.length && base64Char.test(text[at]!) ? 1 : 0;
}

/**
 * Widens a base64 core to the whole token it sits in, and up to two padding characters after it:
 * the characters at its edges also carry bits of the secret, and the rest of the token is the
 * credential it was part of.
 */
function base64TokenAround(text: string, [start, end]: Range): Range {
  let from = start;
  for (let piece = pieceBefore(text, from); piece > 0; piece = pieceBefore(text, from)) from -= piece;
  let to = end;
  for (let piece = pieceAfter(text, to); piece > 0; piece = pieceAfter(text, to)) to += piece;
  for (let padding = 0; padding < 2; padding++) {
    const piece = text[to] === '=' ? 1 : escapedPadding.some((escaped) => text.startsWith(escaped, to)) ? 3 : 0;
    if (piece === 0) break;
    to += piece;
  }
  return [from, to];
}

/** One marker per run of overlapping or touching ranges. */
function replaceRanges(text: string, ranges: Range[]): string {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  let out = '';
  let copied = 0;
  let runEnd = -1;
  for (const [start, end] of sorted) {
    if (start > runEnd) out += text.slice(copied, start) + REDACTED;
    runEnd = Math.max(runEnd, end);
    copied = runEnd;
  }
  return out + text.slice(copied);
}

type Container = object;

function isCopied(value: unknown): value is Container {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value) || value instanceof Error) return true;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Iterative deep copy with `redact` applied to every string, so depth never overflows the stack. */
function copyRedacted<T>(value: T, redact: (text: string) => string): T {
  if (typeof value === 'string') return redact(value) as T;
  if (!isCopied(value)) return value;
  const copies = new Map<Container, Container>();
  const pending: Array<[source: Container, copy: Container]> = [];
  const copyOf = (source: Container): Container => {
    let copy = copies.get(source);
    if (!copy) {
      copy = Array.isArray(source) ? [] : (Object.create(Object.getPrototypeOf(source) as object | null) as Container);
      copies.set(source, copy);
      pending.push([source, copy]);
    }
    return copy;
  };
  const redacted = (item: unknown): unknown => (typeof item === 'string' ? redact(item) : isCopied(item) ? copyOf(item) : item);

  const root = copyOf(value);
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [source, copy] = next;
    if (Array.isArray(source)) {
      (copy as unknown[]).push(...source.map(redacted));
      continue;
    }
    const plain = !(source instanceof Error);
    for (const key of Reflect.ownKeys(source)) {
      const descriptor = Reflect.getOwnPropertyDescriptor(source, key)!;
      // A getter could hand out an unredacted value: its current value is copied as data instead.
      const item = 'value' in descriptor ? descriptor.value : readSafely(source, key);
      Object.defineProperty(copy, plain && typeof key === 'string' ? redact(key) : key, {
        value: redacted(item),
        writable: true,
        enumerable: descriptor.enumerable ?? true,
        configurable: true,
      });
    }
  }
  return root as T;
}

function readSafely(source: Container, key: PropertyKey): unknown {
  try {
    return Reflect.get(source, key);
  } catch {
    return undefined;
  }
}
