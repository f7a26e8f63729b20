import { distance } from 'fastest-levenshtein';
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { RecentMemo } from '../operations/recentMemo.js';

/**
 * Normalisation before comparison: two spellings a person would call the same value become the
 * same string. Every normaliser takes any JSON value and returns null for "nothing to compare"
 * (missing, empty, not text, unparseable), so a matcher can tell absence from disagreement.
 */
export const normalizers = ['text', 'name', 'company', 'email', 'phone', 'postcode'] as const;
export type Normalizer = (typeof normalizers)[number];

/** Letters that carry no combining mark to strip but have a usual ASCII spelling. */
const LETTER_FOLDS: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', ł: 'l', þ: 'th', ı: 'i', ŀ: 'l' };
const FOLDABLE = new RegExp(`[${Object.keys(LETTER_FOLDS).join('')}]`, 'gu');
/**
 * Marks are stripped only after Latin, Greek and Cyrillic letters: in scripts such as Devanagari or
 * Thai they are vowels, and stripping them would make different names equal.
 */
const MARKS_AFTER_ALPHABETIC = /([\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{M}+/gu;
/** Zero-width and control characters that copy-paste leaves behind. */
const INVISIBLE = /[\p{Cf}\p{Cc}]/gu;

/** Scalars become text (a postcode may arrive as a number); objects, arrays and booleans are not comparable text. */
function asText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function orNull(text: string): string | null {
  return text === '' ? null : text;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/u;

/** NFKC, lower case, diacritics folded, whitespace collapsed: "  Zoë\u00A0MÜLLER " → "zoe muller". */
export function normalizeText(value: unknown): string | null {
  const text = asText(value);
  if (text === null) return null;
  // Printable ASCII has no compatibility forms, marks, foldable letters or invisible characters:
  // all the steps below but lower-casing leave it as it is.
  const folded = PRINTABLE_ASCII.test(text)
    ? text.toLowerCase()
    : text
        .normalize('NFKC')
        .toLowerCase()
        .normalize('NFD')
        .replace(MARKS_AFTER_ALPHABETIC, '$1')
        .replace(FOLDABLE, (letter) => LETTER_FOLDS[letter] ?? letter)
        .normalize('NFC')
        .replace(INVISIBLE, (char) => (/\s/u.test(char) ? ' ' : ''));
  return orNull(folded.replace(/\s+/gu, ' ').trim());
}

const APOSTROPHES = /['’‘`´]/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;
/** Titles and generational suffixes say nothing about who a person is. */
const NAME_NOISE = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir', 'jr', 'sr', 'ii', 'iii', 'iv']);

function words(text: string): string[] {
  return text.split(' ').filter((word) => word !== '');
}

/** Person names: text plus punctuation dropped ("O'Brien" → "obrien", "Jean-Luc" → "jean luc"), titles removed. */
export function normalizeName(value: unknown): string | null {
  const text = normalizeText(value);
  if (text === null) return null;
  const tokens = words(text.replace(APOSTROPHES, '').replace(NOT_WORD, ' '));
  const meaningful = tokens.filter((token) => !NAME_NOISE.has(token));
  // A name that is only a title ("Dr") is kept rather than turned into nothing.
  return orNull((meaningful.length > 0 ? meaningful : tokens).join(' '));
}

/** Legal forms, as they read once dots are gone ("S.A." → "sa"); stripped from the end only. */
const LEGAL_FORMS = new Set([
  'inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'llc', 'llp', 'lp', 'ltd', 'limited', 'plc', 'gmbh', 'ag', 'kg',
  'ug', 'sa', 'sas', 'sarl', 'srl', 'spa', 'bv', 'nv', 'oy', 'ab', 'as', 'aps', 'pty', 'pte', 'kk', 'se', 'ohg', 'eg',
]);
/** Forms long enough that a typo ("gmbhh", "corporatoin") still identifies them; shorter ones would catch real words. */
const LONG_LEGAL_FORMS = [...LEGAL_FORMS].filter((form) => form.length >= 4);
/** One edit for short forms, two (a transposition) for forms as long as "corporation". */
const typosAllowed = (form: string) => (form.length >= 8 ? 2 : 1);
/** Words that come and go between spellings of one name ("Smith & Sons", "Smith Sons"; "Bank of X"). */
const COMPANY_FILLERS = new Set(['and', 'the', 'of']);
/** Abbreviations that registries and people write both ways. */
const COMPANY_ABBREVIATIONS: Record<string, string> = {
  intl: 'international', int: 'international', natl: 'national', mfg: 'manufacturing', bros: 'brothers', assoc: 'associates',
  svc: 'services', svcs: 'services', dept: 'department', grp: 'group', hldgs: 'holdings', tech: 'technologies', technology: 'technologies',
};

function isLegalForm(word: string): boolean {
  return LEGAL_FORMS.has(word) || (word.length >= 3 && LONG_LEGAL_FORMS.some((form) => distance(word, form) <= typosAllowed(form)));
}

/** Company names: "The ACME Corp.", "Acme & Co" and "Acme Corporation" all become "acme". */
export function normalizeCompany(value: unknown): string | null {
  const text = normalizeText(value);
  if (text === null) return null;
  // Parenthesised notes ("Acme Ltd (UK)", "(formerly Globex)") qualify the name rather than being part of it.
  const bare = text.replace(/\([^()]*\)/gu, ' ').trim() || text;
  const tokens = words(bare.replace(/&/gu, ' and ').replace(/[.'’‘`´]/gu, '').replace(NOT_WORD, ' ')).map((token) => COMPANY_ABBREVIATIONS[token] ?? token);
  const named = tokens.filter((token) => !COMPANY_FILLERS.has(token));
  // A name of fillers only ("The The") keeps them, and its last word is never taken for a legal form ("The Company").
  if (named.length === 0) return orNull(tokens.join(' '));
  let end = named.length;
  while (end > 1 && isLegalForm(named[end - 1]!)) end--;
  return named.slice(0, end).join(' ');
}

/** Mailboxes that ignore dots in the local part. */
const DOTLESS_DOMAINS = new Map([['gmail.com', 'gmail.com'], ['googlemail.com', 'gmail.com']]);
const EMAIL = /^([^\s@]+)@([^\s@]+\.[^\s@]+)$/u;

/**
 * One spelling per mailbox: lower case, "Name <a@b>" unwrapped, "+tag" sub-addresses dropped (most
 * providers deliver them to the same mailbox), and Gmail's ignored dots removed.
 */
export function normalizeEmail(value: unknown): string | null {
  const text = asText(value);
  if (text === null) return null;
  let address = text.normalize('NFKC').replace(INVISIBLE, '').trim().toLowerCase();
  const bracketed = /<([^<>]+)>/u.exec(address);
  if (bracketed) address = bracketed[1]!.trim();
  address = address.replace(/^mailto:/u, '');
  const match = EMAIL.exec(address);
  if (!match) return null;
  let local = match[1]!;
  let domain = match[2]!;
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  const dotless = DOTLESS_DOMAINS.get(domain);
  if (dotless !== undefined) {
    local = local.replace(/\./gu, '');
    domain = dotless;
  }
  return local === '' ? null : `${local}@${domain}`;
}

/** An ISO 3166 alpha-2 code libphonenumber knows, from any casing; null otherwise. */
export function phoneRegion(value: unknown): CountryCode | null {
  const text = asText(value)?.trim().toUpperCase();
  return text !== undefined && isSupportedCountry(text) ? text : null;
}

/**
 * E.164 ("+14155550100") from any formatting; a national number needs its region. Only a number of
 * possible length counts: a fragment such as "555-0100" is not compared at all.
 */
export function normalizePhone(value: unknown, region?: CountryCode): string | null {
  const text = asText(value);
  if (text === null) return null;
  const parse = () => {
    const parsed = parsePhoneNumberFromString(text.normalize('NFKC'), region === undefined ? {} : { defaultCountry: region });
    return parsed?.isPossible() ? parsed.number : null;
  };
  // Digits, separators and a leading plus parse as their digits do, whatever the separators.
  if (!PLAIN_PHONE.test(text)) return parse();
  return parsedPhones.get(`${region ?? ''}|${text.trimStart().startsWith('+') ? '+' : ''}${text.replace(NOT_DIGIT, '')}`, parse);
}

const PLAIN_PHONE = /^\s*\+?[\d\s().-]*$/u;
const NOT_DIGIT = /\D/gu;
/**
 * Parsing a phone number costs about 17 µs (working out which of the countries sharing +1 it
 * belongs to dominates), and the same number comes back in duplicates formatted differently: the
 * results of recent numbers are kept by their digits, at most 50,000 (a few MB).
 */
const parsedPhones = new RecentMemo<string, string | null>(50_000);

/** Postcodes without spaces or dashes ("SW1A 1AA" → "sw1a1aa"); a US ZIP+4 keeps its five-digit ZIP. */
export function normalizePostcode(value: unknown): string | null {
  const text = normalizeText(value);
  if (text === null) return null;
  const zipPlusFour = /^(\d{5})[-\s]\d{4}$/u.exec(text);
  return orNull(zipPlusFour ? zipPlusFour[1]! : text.replace(NOT_WORD, ''));
}

/** The normaliser a rule names; phones use the record's region when the rule set says where to find it. */
export function normalizeValue(normalizer: Normalizer, value: unknown, region?: CountryCode): string | null {
  switch (normalizer) {
    case 'text': return normalizeText(value);
    case 'name': return normalizeName(value);
    case 'company': return normalizeCompany(value);
    case 'email': return normalizeEmail(value);
    case 'phone': return normalizePhone(value, region);
    case 'postcode': return normalizePostcode(value);
  }
}
