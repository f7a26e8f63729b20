import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, createRedactor } from '../../../../shared/core/security/redaction.js';
import { MIN_SECRET_LENGTH } from '../../../../shared/core/security/redactionForms.js';

const key = 'ck_4f1d2a9b8c7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a';
const secret = 'cs_9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d';
const redactor = createRedactor([key, secret]);
const basic = Buffer.from(`${key}:${secret}`).toString('base64');

/** The text spellings a test expects gone (an oracle written apart from the redactor). */
function textForms(value: string): string[] {
  const forms = [value, value.toUpperCase(), value.toLowerCase()];
  return forms.flatMap((form) => [form, encodeURIComponent(form), new URLSearchParams({ v: form }).toString().slice(2), JSON.stringify(form).slice(1, -1)]);
}

/** Whether the secret's bytes can be decoded from some base64 run of `text`, at any phase, in either alphabet. */
function base64Recoverable(text: string, value: string): boolean {
  const needles = [value, value.toUpperCase(), value.toLowerCase()].map((form) => Buffer.from(form, 'utf8'));
  for (const [run] of text.matchAll(/[A-Za-z0-9+/_-]+/g)) {
    for (let phase = 0; phase < 4; phase++) {
      const decoded = Buffer.from(run.slice(phase).replace(/-/g, '+').replace(/_/g, '/'), 'base64');
      if (needles.some((needle) => decoded.includes(needle))) return true;
    }
  }
  return false;
}

function expectNoTrace(text: string, values: string[]): void {
  for (const value of values) {
    for (const form of textForms(value)) expect(text.toLowerCase()).not.toContain(form.toLowerCase());
    expect(base64Recoverable(text, value), text).toBe(false);
  }
}

describe('redacting text', () => {
  it('removes the raw, upper- and lower-cased key and secret', () => {
    const text = `key ${key} secret ${secret} SECRET ${secret.toUpperCase()} Key ${key.toUpperCase().toLowerCase()}`;
    expect(redactor.redact(text)).toBe(`key ${REDACTED} secret ${REDACTED} SECRET ${REDACTED} Key ${REDACTED}`);
  });

  it('removes URL-encoded forms: encodeURIComponent, RFC 3986 and form encoding with + for space', () => {
    const spaced = 'pass word/with+signs!';
    const own = createRedactor([spaced]);
    const forms = [encodeURIComponent(spaced), "pass%20word%2Fwith%2Bsigns%21", new URLSearchParams({ p: spaced }).toString().slice(2)];
    expect(forms[2]).toContain('+');
    for (const form of forms) expect(own.redact(`consumer_secret=${form}&x=1`)).toBe(`consumer_secret=${REDACTED}&x=1`);
    expect(own.redact(`q=${encodeURIComponent(spaced).toLowerCase()}`)).toBe(`q=${REDACTED}`);
  });

  it('removes JSON-escaped forms: plain, PHP-style (\\/ and \\u) and escaped twice', () => {
    const quoted = 'se"cr\\et/ü-value';
    const own = createRedactor([quoted]);
    const json = JSON.stringify({ message: `bad secret ${quoted}` });
    expect(own.redact(json)).toBe(JSON.stringify({ message: `bad secret ${REDACTED}` }));
    const php = 'se\\"cr\\\\et\\/\\u00fc-value';
    expect(own.redact(`{"message":"bad secret ${php}"}`)).toBe(`{"message":"bad secret ${REDACTED}"}`);
    const twice = JSON.stringify(JSON.stringify({ message: quoted }));
    expect(own.redact(twice)).toBe(JSON.stringify(JSON.stringify({ message: REDACTED })));
  });

  it('removes the Basic token of key:secret, standard, URL-safe, upper-cased and URL-encoded', () => {
    expect(redactor.redact(`Authorization: Basic ${basic}`)).toBe(`Authorization: Basic ${REDACTED}`);
    expect(redactor.redact(`Basic ${Buffer.from(`${key}:${secret}`).toString('base64url')}.`)).toBe(`Basic ${REDACTED}.`);
    expect(redactor.redact(`AUTHORIZATION: BASIC ${basic.toUpperCase()}`)).toBe(`AUTHORIZATION: BASIC ${REDACTED}`);
    expect(redactor.redact(`auth=Basic%20${encodeURIComponent(basic)}&next=1`)).toMatch(/^auth=Basic%\S*\[redacted\]&next=1$/);
    expect(redactor.redact(`{"h":"Basic ${basic.replace(/\//g, '\\/')}"}`)).toBe(`{"h":"Basic ${REDACTED}"}`);
  });

  it('removes a secret base64-encoded inside a longer string at each of the three byte alignments', () => {
    for (const filler of ['', 'a', 'ab', 'abc', 'user:']) {
      for (const encoding of ['base64', 'base64url'] as const) {
        const token = Buffer.from(`${filler}${secret}!`).toString(encoding);
        const redacted = redactor.redact(`Bearer ${token} then`);
        expect(redacted, `${filler} ${encoding}`).toBe(`Bearer ${REDACTED} then`);
      }
    }
  });

  it('leaves values shorter than the minimum alone, so ids and numbers survive', () => {
    const short = createRedactor(['12345', '  ab  ', '']);
    expect(MIN_SECRET_LENGTH).toBe(6);
    const line = 'page 12345 of customers: ab ab 12345';
    expect(short.redact(line)).toBe(line);
  });

  it('leaves ordinary log lines unchanged', () => {
    const lines = [
      'page fetch failed; retrying later {"executionId":"exe_8f2a","stream":"customers","page":3,"attempt":1,"delayMs":1800}',
      'WooCommerce GET /wp-json/wc/v3/customers failed with 401 woocommerce_rest_authentication_error: Consumer secret is invalid.',
      'Basic authentication is required',
    ];
    for (const line of lines) expect(redactor.redact(line)).toBe(line);
  });

  it('a secret that overlaps another leaves no part of either', () => {
    const own = createRedactor(['abcdef123', '123xyzuvw']);
    expect(own.redact('<abcdef123xyzuvw>')).toBe(`<${REDACTED}>`);
  });
});

/** Secrets of any characters but the marker's brackets, long enough to be looked for, and not part of the marker itself. */
const anySecret = fc
  .string({ unit: 'binary', minLength: MIN_SECRET_LENGTH, maxLength: 40 })
  .filter((value) => [...value.trim()].length >= MIN_SECRET_LENGTH && !/[[\]]/.test(value) && !'redacted'.includes(value.toLowerCase()));
const anyText = fc.string({ unit: 'binary', maxLength: 60 });
const realisticSecret = fc.stringMatching(/^c[ks]_[0-9a-f]{40}$/);

describe('redaction properties', () => {
  it('no text or base64 form of any secret survives, whatever surrounds it', () => {
    const form = fc.constantFrom('raw', 'upper', 'lower', 'uri', 'form', 'json', 'basic', 'bearer', 'base64', 'base64url');
    fc.assert(
      fc.property(anySecret, anyText, anyText, form, fc.uint8Array({ maxLength: 5 }), fc.uint8Array({ maxLength: 5 }), (value, before, after, kind, pre, post) => {
        const bytes = Buffer.concat([Buffer.from(pre), Buffer.from(value, 'utf8'), Buffer.from(post)]);
        const spelled = {
          raw: value,
          upper: value.toUpperCase(),
          lower: value.toLowerCase(),
          uri: encodeURIComponent(value),
          form: new URLSearchParams({ v: value }).toString().slice(2),
          json: JSON.stringify(value).slice(1, -1),
          basic: `Basic ${bytes.toString('base64')}`,
          bearer: `Bearer ${bytes.toString('base64url')}`,
          base64: bytes.toString('base64'),
          base64url: bytes.toString('base64url'),
        }[kind];
        const text = `${before}${spelled}${after}`;
        expect(() => expectNoTrace(text, [value]), 'the oracle sees the secret before redaction').toThrow();
        const redacted = createRedactor([value]).redact(text);
        expectNoTrace(redacted, [value]);
        expect(redacted).toContain(REDACTED);
      }),
      { numRuns: 500 },
    );
  });

  it('text without the secrets comes back unchanged', () => {
    fc.assert(
      fc.property(fc.array(realisticSecret, { minLength: 1, maxLength: 4 }), anyText, (secrets, text) => {
        expect(createRedactor(secrets).redact(text)).toBe(text);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(anySecret, anyText, (value, text) => {
        fc.pre(!textForms(value).some((form) => text.toLowerCase().includes(form.toLowerCase())));
        expect(createRedactor([value]).redact(text)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('values: no secret survives at any depth, in keys or in strings; values without secrets are equal', () => {
    fc.assert(
      fc.property(realisticSecret, fc.jsonValue({ maxDepth: 4 }), (value, json) => {
        const own = createRedactor([value]);
        expect(own.redactValue(json)).toEqual(json);
        const withSecret = { nested: [json, { [value]: `x${value.toUpperCase()}y` }], auth: `Basic ${Buffer.from(`k:${value}`).toString('base64')}` };
        expectNoTrace(JSON.stringify(own.redactValue(withSecret)), [value]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('redacting values', () => {
  it('copies errors with their class, message, stack, cause and own fields redacted, leaving the original alone', () => {
    class ProviderFailure extends Error {
      constructor(
        message: string,
        readonly fieldErrors: Record<string, string>,
        options?: ErrorOptions,
      ) {
        super(message, options);
      }
    }
    const original = new ProviderFailure(`refused ${secret}`, { email: `bad for ${key}` }, { cause: new Error(`Basic ${basic}`) });
    const copy = redactor.redactValue(original);
    expect(copy).toBeInstanceOf(ProviderFailure);
    expect(copy.message).toBe(`refused ${REDACTED}`);
    expect(copy.fieldErrors).toEqual({ email: `bad for ${REDACTED}` });
    expect((copy.cause as Error).message).toBe(`Basic ${REDACTED}`);
    expect(copy.stack).toBeDefined();
    expectNoTrace(String(copy.stack), [key, secret]);
    expect(original.message).toContain(secret);
  });

  it('handles nesting far deeper than the stack allows, and cycles', () => {
    const root: Record<string, unknown> = {};
    let node = root;
    for (let depth = 0; depth < 100_000; depth++) node = (node.next = {}) as Record<string, unknown>;
    node.leaf = secret;
    node.loop = root;
    const copy = redactor.redactValue(root);
    let copied = copy;
    for (let depth = 0; depth < 100_000; depth++) copied = copied.next as Record<string, unknown>;
    expect(copied.leaf).toBe(REDACTED);
    expect(copied.loop).toBe(copy);
  });

  it('keeps numbers, booleans, null, dates and buffers as they are', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const bytes = Buffer.from('x');
    expect(redactor.redactValue({ n: 1, b: true, z: null, at, bytes, list: [secret, 2] })).toEqual({ n: 1, b: true, z: null, at, bytes, list: [REDACTED, 2] });
  });
});
