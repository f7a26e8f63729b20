import { describe, expect, it } from 'vitest';
import { runSync, valueOf } from '../helpers.js';

describe('text transforms', () => {
  it('trims unicode whitespace and leaves non-strings alone', () => {
    expect(valueOf([{ op: 'trim' }], '\u00a0 Zoë \t')).toBe('Zoë');
    expect(valueOf([{ op: 'trim' }], '   ')).toBe('');
    expect(valueOf([{ op: 'trim' }], 42)).toBe(42);
    expect(valueOf([{ op: 'trim' }], null)).toBeNull();
  });

  it('changes case, title-casing after spaces, hyphens and apostrophes', () => {
    expect(valueOf([{ op: 'case', mode: 'upper' }], 'müller straße')).toBe('MÜLLER STRASSE');
    expect(valueOf([{ op: 'case', mode: 'lower' }], 'ÉCOLE')).toBe('école');
    expect(valueOf([{ op: 'case', mode: 'title' }], "jean-luc o'brien ÉLODIE")).toBe("Jean-Luc O'Brien Élodie");
    expect(valueOf([{ op: 'case', mode: 'title' }], '')).toBe('');
    expect(valueOf([{ op: 'case', mode: 'upper' }], undefined)).toBeNull();
  });

  it('splits by index, into n parts, or fully', () => {
    expect(valueOf([{ op: 'split', separator: ' ', index: 0 }], '+1 415 555')).toBe('+1');
    expect(valueOf([{ op: 'split', separator: ' ', index: 2 }], '+1 415 555')).toBe('555');
    expect(valueOf([{ op: 'split', separator: ' ', index: 5 }], '+1 415')).toBeNull();
    expect(valueOf([{ op: 'split', separator: ', ' }], 'a, b, c')).toEqual(['a', 'b', 'c']);
    expect(valueOf([{ op: 'split', separator: ' ', parts: 2 }], 'Mary Ann Smith')).toEqual(['Mary', 'Ann Smith']);
  });

  it('splits a name into first and last targets; missing parts are null', () => {
    const fields = [{ from: 'name', to: ['first', 'last'], transforms: [{ op: 'split' as const, separator: ' ', parts: 2 }] }];
    expect(runSync(fields, { name: 'José María Núñez' })).toMatchObject({ ok: true, primary: { data: { first: 'José', last: 'María Núñez' } } });
    expect(runSync(fields, { name: 'Cher' })).toMatchObject({ primary: { data: { first: 'Cher', last: null } } });
    expect(runSync(fields, {})).toMatchObject({ primary: { data: { first: null, last: null } } });
  });

  it('concatenates the non-empty inputs of fromAll, null when there are none', () => {
    const fields = (separator: string) => [{ fromAll: ['a', 'b', 'c'], to: 'out', transforms: [{ op: 'concat' as const, separator }] }];
    expect(runSync(fields(' '), { a: 'x', b: '', c: 3 })).toMatchObject({ primary: { data: { out: 'x 3' } } });
    expect(runSync(fields('-'), {})).toMatchObject({ primary: { data: { out: null } } });
  });

  it('fills a template from named inputs, missing ones as empty text', () => {
    const fields = [{ fromAll: { first: 'first_name', last: 'last_name' }, to: 'name', transforms: [{ op: 'template' as const, template: '{last}, {first} {unknown}' }] }];
    expect(runSync(fields, { first_name: '太郎', last_name: '山田' })).toMatchObject({ primary: { data: { name: '山田, 太郎 ' } } });
    expect(runSync(fields, { first_name: 'Ava' })).toMatchObject({ primary: { data: { name: ', Ava ' } } });
  });

  it('extracts a regex group by number or name; no match is null', () => {
    expect(valueOf([{ op: 'regex', pattern: 'SKU-(\\d+)' }], 'SKU-000042')).toBe('000042');
    expect(valueOf([{ op: 'regex', pattern: '(?<code>\\p{Lu}{2})$', group: 'code' }], 'Zürich CH')).toBe('CH');
    expect(valueOf([{ op: 'regex', pattern: 'abc', group: 0, flags: 'i' }], 'xxABCxx')).toBe('ABC');
    expect(valueOf([{ op: 'regex', pattern: '(\\d+)' }], 'none')).toBeNull();
  });
});
