import fc from 'fast-check';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import {
  normalizeCompany, normalizeEmail, normalizeName, normalizePhone, normalizePostcode, normalizeText, normalizeValue, phoneRegion,
} from '../../../../shared/core/dedupe/normalize.js';

describe('normalizeText', () => {
  it('folds compatibility forms, case, diacritics, invisible characters and whitespace', () => {
    expect(normalizeText('  Zoë\u00A0MÜLLER\u200B ')).toBe('zoe muller');
    expect(normalizeText('ﬁnance Ｔｅｓｔ')).toBe('finance test');
    expect(normalizeText('Straße Øster Łódź')).toBe('strasse oster lodz');
    expect(normalizeText('İstanbul\tCafé')).toBe('istanbul cafe');
  });

  it('gives composed and decomposed spellings the same text', () => {
    expect(normalizeText('Jose\u0301')).toBe(normalizeText('José'));
  });

  it('keeps marks that are vowels in scripts such as Devanagari', () => {
    expect(normalizeText('हिन्दी')).toBe('हिन्दी');
  });

  it('reads numbers as text and null, blanks, objects, booleans and NaN as missing', () => {
    expect(normalizeText(42)).toBe('42');
    for (const missing of [null, undefined, '', '   ', '\u200B', {}, [], true, Number.NaN]) expect(normalizeText(missing)).toBeNull();
  });
});

describe('normalizeName', () => {
  it('drops punctuation, titles and generational suffixes', () => {
    expect(normalizeName("Dr. Seán O'Brien-Smith Jr.")).toBe('sean obrien smith');
    expect(normalizeName('Jean-Luc')).toBe('jean luc');
  });

  it('keeps a name that is nothing but a title', () => {
    expect(normalizeName('Mr.')).toBe('mr');
  });
});

describe('normalizeCompany', () => {
  it('gives the spellings of one company one name', () => {
    for (const spelling of ['The ACME Corp.', 'Acme & Co', 'Acme Corporation', 'ACME, Inc.', 'Acme GmbH & Co. KG']) expect(normalizeCompany(spelling)).toBe('acme');
    expect(normalizeCompany('Marks & Spencer plc')).toBe(normalizeCompany('Marks and Spencer'));
    expect(normalizeCompany('Globex Intl. Ltd')).toBe('globex international');
    expect(normalizeCompany('Acme Ltd (UK)')).toBe('acme');
  });

  it('recognises a long legal form with a typo, but never takes a short word for one', () => {
    expect(normalizeCompany('Beacon Traders Corporatoin')).toBe('beacon traders');
    expect(normalizeCompany('Blue Cab')).toBe('blue cab');
  });

  it('keeps a name that is only a legal form', () => {
    expect(normalizeCompany('S.A.')).toBe('sa');
    expect(normalizeCompany('The Company')).toBe('company');
  });
});

describe('normalizeEmail', () => {
  it('gives every spelling of a mailbox one address', () => {
    expect(normalizeEmail(' John.Smith+Shop@GMAIL.com ')).toBe('johnsmith@gmail.com');
    expect(normalizeEmail('johnsmith@googlemail.com')).toBe('johnsmith@gmail.com');
    expect(normalizeEmail('John Smith <john.smith+orders@Example.ORG>')).toBe('john.smith@example.org');
    expect(normalizeEmail('mailto:a@b.co')).toBe('a@b.co');
  });

  it('keeps dots outside Gmail, where they are part of the mailbox', () => {
    expect(normalizeEmail('john.smith@outlook.com')).not.toBe(normalizeEmail('johnsmith@outlook.com'));
  });

  it('reads anything that is not an address as missing', () => {
    for (const missing of ['not an email', 'a@b', '', '@example.com', null, 7]) expect(normalizeEmail(missing)).toBeNull();
  });
});

describe('normalizePhone', () => {
  it('turns every formatting of a number into E.164', () => {
    for (const written of ['+1 (415) 555-0100', '415.555.0100', '1-415-555-0100', '(415) 555 0100 ext. 12']) expect(normalizePhone(written, 'US')).toBe('+14155550100');
    expect(normalizePhone(4155550100, 'US')).toBe('+14155550100');
    expect(normalizePhone('020 7946 0958', 'GB')).toBe('+442079460958');
    expect(normalizePhone('+44 20 7946 0958', 'US')).toBe('+442079460958');
  });

  it('needs a region for a national number and a possible length for any', () => {
    expect(normalizePhone('4155550100')).toBeNull();
    expect(normalizePhone('555-0100', 'US')).toBeNull();
    expect(normalizePhone('call me', 'US')).toBeNull();
  });

  it('gives what the library parses, however a number is separated and however often it comes back', () => {
    const parse = (text: string, region: CountryCode) => {
      const parsed = parsePhoneNumberFromString(text, { defaultCountry: region });
      return parsed?.isPossible() ? parsed.number : null;
    };
    const separator = fc.constantFrom('', ' ', '-', '.', '(', ')', ' (', ') ');
    const written = fc.tuple(fc.constantFrom('', ' ', '+', ' +', '('), separator, fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), separator), { minLength: 3, maxLength: 14 }))
      .map(([start, first, digits]) => start + first + digits.map(([digit, after]) => `${digit}${after}`).join(''));
    fc.assert(
      fc.property(written, fc.constantFrom<CountryCode>('US', 'GB', 'DE', 'FR'), (text, region) => {
        const expected = parse(text, region);
        expect(normalizePhone(text, region)).toBe(expected);
        // Again, and with its separators gone: the same digits answer from what was parsed before.
        expect(normalizePhone(text, region)).toBe(expected);
        expect(normalizePhone(text.replace(/[^\d+]/gu, ''), region)).toBe(parse(text.replace(/[^\d+]/gu, ''), region));
      }),
      { numRuns: 2000 },
    );
  });

  it('takes regions as ISO codes in any case, and nothing else', () => {
    expect(phoneRegion(' gb ')).toBe('GB');
    expect(phoneRegion('UK')).toBeNull();
    expect(phoneRegion(44)).toBeNull();
  });
});

describe('normalizePostcode', () => {
  it('drops spaces and dashes, and the +4 of a US ZIP+4', () => {
    expect(normalizePostcode('SW1A 1AA')).toBe('sw1a1aa');
    expect(normalizePostcode('94107-1234')).toBe('94107');
    expect(normalizePostcode(94107)).toBe('94107');
    expect(normalizePostcode(' - ')).toBeNull();
  });
});

describe('normalizeValue', () => {
  it('uses the region it is given for phones only', () => {
    expect(normalizeValue('phone', '020 7946 0958', 'GB')).toBe('+442079460958');
    expect(normalizeValue('text', '020 7946 0958', 'GB')).toBe('020 7946 0958');
  });
});
