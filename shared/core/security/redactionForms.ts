/**
 * Shortest secret the redactor looks for, in characters (leading and trailing spaces not
 * counted). Anything shorter would also match ordinary words, ids and numbers and turn every log
 * line to mush, and is too weak to protect much anyway: such a value is left alone.
 */
export const MIN_SECRET_LENGTH = 6;

/** What a secret may look like once a provider, a proxy or a log has echoed it. */
export interface SecretForms {
  /** Spellings to match as they stand, ignoring case. */
  literals: string[];
  /**
   * Base64 text only the secret's own bytes decide, one per byte alignment, standard and URL-safe
   * (also with `/` JSON-escaped or `+`, `/` URL-encoded), ignoring case. A secret inside a longer
   * base64 string (`Basic base64(key:secret)`) shows one of these whatever precedes it; a match
   * stands for the whole base64 token around it.
   */
  base64Cores: string[];
}

/**
 * Every form of `secret` to look for: as is, upper- and lower-cased, URL-encoded (encodeURIComponent,
 * RFC 3986 as PHP's rawurlencode, and form encoding with `+` for space), JSON-escaped (plain,
 * PHP-style with `\/` and `\uXXXX`, and escaped twice, as in JSON inside a JSON string),
 * HTML-escaped, and base64. None for a value shorter than MIN_SECRET_LENGTH.
 */
export function secretForms(secret: string): SecretForms {
  if ([...secret.trim()].length < MIN_SECRET_LENGTH) return { literals: [], base64Cores: [] };
  const variants = unique([secret, secret.toUpperCase(), secret.toLowerCase()]);
  return {
    literals: unique(variants.flatMap(textForms)),
    base64Cores: unique(variants.flatMap((variant) => base64Cores(Buffer.from(variant, 'utf8')).flatMap(base64Spellings))),
  };
}

function textForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  return [
    value,
    ...urlForms(value),
    json,
    json.replace(/\//g, '\\/').replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`),
    JSON.stringify(json).slice(1, -1),
    value.replace(/[&<>"']/g, (char) => htmlEntities[char]!),
  ];
}

const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#039;' };

/** encodeURIComponent refuses lone surrogates: such a value has no URL form to look for. */
function urlForms(value: string): string[] {
  let component: string;
  try {
    component = encodeURIComponent(value);
  } catch {
    return [];
  }
  const rfc3986 = component.replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  const form = new URLSearchParams({ v: value }).toString().slice(2);
  return [component, rfc3986, form];
}

/**
 * For each byte alignment k (0, 1, 2) of the secret inside a longer string, the base64 characters
 * whose 6 bits all come from the secret: encode k filler bytes + the secret, and keep characters
 * ceil(8k/6) up to floor(8(k+n)/6). The ones around them mix in neighbouring bytes.
 */
function base64Cores(bytes: Buffer): string[] {
  return [0, 1, 2].map((k) => {
    const encoded = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64');
    return encoded.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + bytes.length)) / 6));
  });
}

/** Standard and URL-safe alphabets, and the standard one with `/` JSON-escaped or `+` and `/` URL-encoded. */
function base64Spellings(core: string): string[] {
  return [
    core,
    core.replace(/\+/g, '-').replace(/\//g, '_'),
    core.replace(/\//g, '\\/'),
    core.replace(/\+/g, '%2B').replace(/\//g, '%2F'),
  ];
}

/**
 * Distinct values. Not folded by case, although matching ignores it: case-insensitive matching of
 * JavaScript patterns leaves characters outside the Basic Multilingual Plane alone, so an
 * upper-cased variant of one of those must be looked for as it is.
 */
function unique(values: string[]): string[] {
  return [...new Set(values)];
}
