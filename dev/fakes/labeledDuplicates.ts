import { mulberry32 } from './fakeWooCommerceData.js';

/**
 * A labeled data set for entity resolution, generated deterministically from a seed: customers
 * (people) and companies, each entity with zero or more duplicate records carrying the damage real
 * records show — typos, transposed letters, nicknames, lost or added diacritics, given and family
 * name swapped, phones in other formats, changed e-mail addresses, missing fields — and look-alike
 * entities that are NOT duplicates: household members (same family name, address, often phone),
 * namesakes, companies sharing a first word, one company name in two countries. A duplicate
 * always keeps something a person labeling it could go by (its mailbox, phone or address).
 *
 * Its word lists and nicknames are its own: nothing here is taken from the dedupe rules, so the
 * rules are not tested against their own tables. Some nicknames ("sasha", "paco") are deliberately
 * ones a nickname table rarely knows.
 */
export interface LabeledRecord {
  id: string;
  /** Records with one cluster id are the same entity. */
  clusterId: string;
  shardType: 'customer' | 'company';
  data: Record<string, unknown>;
}

export interface LabeledSetOptions {
  seed?: number;
  /** People to invent; their look-alikes and everyone's duplicates come on top. */
  people?: number;
  companies?: number;
}

type Random = () => number;

const FIRST_NAMES = [
  'Robert', 'William', 'Elizabeth', 'Margaret', 'Richard', 'James', 'John', 'Michael', 'Thomas', 'Joseph', 'Charles', 'Christopher',
  'Daniel', 'David', 'Edward', 'Anthony', 'Andrew', 'Alexander', 'Benjamin', 'Samuel', 'Matthew', 'Nicholas', 'Patrick', 'Patricia',
  'Katherine', 'Jennifer', 'Jessica', 'Rebecca', 'Susan', 'Victoria', 'Deborah', 'Stephen', 'Timothy', 'Kenneth', 'Sarah', 'Emily',
  'Olivia', 'Sophia', 'Emma', 'Noah', 'Lucas', 'Ethan', 'Aisha', 'Priya', 'Wei', 'Hiroshi', 'Fatima', 'Mohammed', 'Olga', 'Dmitri',
  'Siobhán', 'Niamh', 'Marta', 'Giulia', 'Lars', 'Ingrid', 'José', 'Francisco', 'Zoë', 'Renée', 'François', 'Björn', 'Søren', 'Chloé',
  'Łukasz', 'Agnès', 'Jürgen', 'Inés', 'Raúl', 'Mónica', 'Hélène', 'Anaïs', 'Grace', 'Henry', 'Laura', 'Paul', 'Mark', 'Anna',
];

const NICKNAMES: Record<string, string[]> = {
  Robert: ['Bob', 'Rob', 'Bobby'], William: ['Bill', 'Will'], Elizabeth: ['Liz', 'Beth', 'Betty'], Margaret: ['Maggie', 'Peggy'],
  Richard: ['Rick', 'Dick'], James: ['Jim', 'Jimmy'], John: ['Jack', 'Johnny'], Michael: ['Mike', 'Mick'], Thomas: ['Tom'],
  Joseph: ['Joe'], Charles: ['Charlie', 'Chuck'], Christopher: ['Chris'], Daniel: ['Dan', 'Danny'], David: ['Dave'],
  Edward: ['Ed', 'Ted', 'Eddie'], Anthony: ['Tony'], Andrew: ['Andy', 'Drew'], Alexander: ['Alex', 'Sasha'], Benjamin: ['Ben'],
  Samuel: ['Sam'], Matthew: ['Matt'], Nicholas: ['Nick'], Patrick: ['Pat', 'Paddy'], Patricia: ['Pat', 'Trish'],
  Katherine: ['Kate', 'Kathy', 'Katie'], Jennifer: ['Jen', 'Jenny'], Jessica: ['Jess'], Rebecca: ['Becky', 'Becca'],
  Susan: ['Sue', 'Suzie'], Victoria: ['Vicky', 'Tori'], Deborah: ['Debbie', 'Deb'], Stephen: ['Steve'], Timothy: ['Tim'],
  Kenneth: ['Ken'], José: ['Pepe'], Francisco: ['Paco'], Dmitri: ['Dima'], Henry: ['Harry'],
};

const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez',
  'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris',
  'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen',
  'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Müller',
  'Schmidt', 'Schröder', 'Weiß', 'Núñez', 'Peña', 'O\'Brien', 'O\'Connor', 'McDonald', 'MacLeod', 'Dubois', 'Lefèvre', 'Sørensen',
  'Nowak', 'Kowalski', 'Wójcik', 'Kim', 'Park', 'Chen', 'Wang', 'Li', 'Zhang', 'Tanaka', 'Suzuki', 'Patel', 'Shah', 'Singh', 'Kumar',
  'Ivanov', 'Petrova', 'Rossi', 'Russo', 'Bianchi', 'Jensen', 'Hansen', 'Andersson', 'Johansson', 'Novák', 'Dvořák', 'Fernández',
];

interface Place {
  city: string;
  country: string;
  postcode: (random: Random) => string;
  /** National significant number (without trunk prefix) and its formats. */
  phone: (random: Random) => { e164: string; formats: string[] };
}

const digits = (random: Random, count: number) => Array.from({ length: count }, () => Math.floor(random() * 10)).join('');
const between = (random: Random, low: number, high: number) => low + Math.floor(random() * (high - low + 1));

function usPlace(city: string, zipPrefix: string, area: string): Place {
  return {
    city,
    country: 'US',
    postcode: (random) => `${zipPrefix}${digits(random, 5 - zipPrefix.length)}`,
    phone: (random) => {
      const exchange = String(between(random, 201, 989));
      const line = digits(random, 4);
      return {
        e164: `+1${area}${exchange}${line}`,
        formats: [
          `+1 (${area}) ${exchange}-${line}`, `${area}-${exchange}-${line}`, `(${area}) ${exchange} ${line}`, `${area}${exchange}${line}`,
          `${area}.${exchange}.${line}`, `+1 ${area} ${exchange} ${line}`, `1-${area}-${exchange}-${line}`, `+1${area}${exchange}${line}`,
        ],
      };
    },
  };
}

const LETTERS = 'ABCDEFGHJKLMNPRSTUWXY';
const letter = (random: Random) => LETTERS[Math.floor(random() * LETTERS.length)]!;

const PLACES: Place[] = [
  usPlace('San Francisco', '941', '415'), usPlace('New York', '100', '212'), usPlace('Chicago', '606', '312'),
  usPlace('Austin', '787', '512'), usPlace('Seattle', '981', '206'), usPlace('Boston', '021', '617'), usPlace('Denver', '802', '303'),
  {
    city: 'London',
    country: 'GB',
    postcode: (random) => `${letter(random)}${letter(random)}${between(random, 1, 20)} ${between(random, 1, 9)}${letter(random)}${letter(random)}`,
    phone: (random) => {
      const a = digits(random, 4);
      const b = digits(random, 4);
      return { e164: `+4420${a}${b}`, formats: [`+44 20 ${a} ${b}`, `020 ${a} ${b}`, `+4420${a}${b}`, `(020) ${a}-${b}`, `0044 20 ${a} ${b}`] };
    },
  },
  {
    city: 'Berlin',
    country: 'DE',
    postcode: (random) => `1${digits(random, 4)}`,
    phone: (random) => {
      const n = digits(random, 8);
      return { e164: `+4930${n}`, formats: [`+49 30 ${n}`, `030 ${n}`, `030/${n}`, `+49 (0)30 ${n}`, `0049 30 ${n}`] };
    },
  },
  {
    city: 'München',
    country: 'DE',
    postcode: (random) => `8${digits(random, 4)}`,
    phone: (random) => {
      const n = digits(random, 8);
      return { e164: `+4989${n}`, formats: [`+49 89 ${n}`, `089 ${n}`, `089-${n}`, `+49 (0)89 ${n}`] };
    },
  },
  {
    city: 'Paris',
    country: 'FR',
    postcode: (random) => `750${String(between(random, 1, 20)).padStart(2, '0')}`,
    phone: (random) => {
      const pairs = Array.from({ length: 4 }, () => digits(random, 2));
      return { e164: `+331${pairs.join('')}`, formats: [`+33 1 ${pairs.join(' ')}`, `01 ${pairs.join(' ')}`, `01.${pairs.join('.')}`, `+331${pairs.join('')}`] };
    },
  },
];

const MAIL_DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'proton.me', 'gmx.de', 'orange.fr'];

const COMPANY_WORDS = [
  'Northwind', 'Contoso', 'Fabrikam', 'Globex', 'Initech', 'Umbrella', 'Vandelay', 'Tyrell', 'Wonka', 'Hooli', 'Soylent', 'Cyberdyne',
  'Aperture', 'Oscorp', 'Blue Harbor', 'Redwood', 'Silver Lake', 'Granite', 'Evergreen', 'Summit', 'Pioneer', 'Atlas', 'Beacon',
  'Keystone', 'Lakeside', 'Meridian', 'Orion', 'Pinnacle', 'Sterling', 'Horizon', 'Crescent', 'Falcon', 'Harbor Point', 'Ironwood',
  'Juniper', 'Kestrel', 'Maple Leaf', 'Nordlicht', 'Sonnenschein', 'Bergmann', 'Lumière', 'Étoile', 'Señor Sol', 'Zürich Alpen',
];
const COMPANY_NOUNS = [
  'Traders', 'Logistics', 'Pharmaceuticals', 'Industries', 'Foods', 'Consulting', 'Systems', 'Technologies', 'Analytics', 'Holdings',
  'Partners', 'Bakery', 'Motors', 'Textiles', 'Maschinenbau', 'International', 'Services', 'Robotics', 'Energy', 'Design Studio',
];
const SUFFIXES: Record<string, string[][]> = {
  // Each inner list: spellings of one legal form.
  US: [['Inc', 'Inc.', 'Incorporated'], ['LLC', 'L.L.C.'], ['Corp', 'Corp.', 'Corporation'], ['Co.', 'Company']],
  GB: [['Ltd', 'Ltd.', 'Limited'], ['PLC', 'plc']],
  DE: [['GmbH'], ['AG'], ['GmbH & Co. KG']],
  FR: [['SA', 'S.A.'], ['SARL', 'S.A.R.L.'], ['SAS']],
};

const KEYBOARD_NEIGHBOURS: Record<string, string> = {
  a: 'sqz', b: 'vn', c: 'xv', d: 'sf', e: 'wr', f: 'dg', g: 'fh', h: 'gj', i: 'uo', j: 'hk', k: 'jl', l: 'k', m: 'n', n: 'bm',
  o: 'ip', p: 'o', q: 'w', r: 'et', s: 'ad', t: 'ry', u: 'yi', v: 'cb', w: 'qe', x: 'zc', y: 'tu', z: 'x',
};

/** What a person with an ASCII keyboard types for a name: "Müller" → "Muller" or "Mueller". */
function asciiFold(text: string, random: Random): string {
  const german = random() < 0.5;
  return text
    .replace(/[äöü]/gu, (c) => (german ? `${c.normalize('NFD')[0]}e` : c.normalize('NFD')[0]!))
    .replace(/[ÄÖÜ]/gu, (c) => (german ? `${c.normalize('NFD')[0]}e` : c.normalize('NFD')[0]!))
    .replace(/ß/gu, 'ss').replace(/ø/gu, 'o').replace(/Ø/gu, 'O').replace(/ł/gu, 'l').replace(/Ł/gu, 'L')
    .normalize('NFD').replace(/\p{M}/gu, '');
}

/** Accents a typist adds to a plain name ("Jose" → "José", "Renee" → "Renée"). */
function addAccent(text: string, random: Random): string {
  const vowels = [...text.matchAll(/[aeiou]/gu)];
  if (vowels.length === 0) return text;
  const at = vowels[Math.floor(random() * vowels.length)]!.index;
  const accented: Record<string, string> = { a: 'á', e: 'é', i: 'í', o: 'ó', u: 'ú' };
  return text.slice(0, at) + accented[text[at]!]! + text.slice(at + 1);
}

function typo(text: string, random: Random): string {
  if (text.length < 3) return text;
  const at = Math.floor(random() * text.length);
  const char = text[at]!;
  const lower = char.toLowerCase();
  switch (Math.floor(random() * 4)) {
    case 0: {
      const options = KEYBOARD_NEIGHBOURS[lower];
      if (!options) return text.slice(0, at) + text.slice(at + 1);
      const replacement = options[Math.floor(random() * options.length)]!;
      return text.slice(0, at) + (char === lower ? replacement : replacement.toUpperCase()) + text.slice(at + 1);
    }
    case 1: return text.slice(0, at) + text.slice(at + 1);
    case 2: return text.slice(0, at + 1) + char + text.slice(at + 1);
    default: return text.slice(0, at + 1) + (KEYBOARD_NEIGHBOURS[lower]?.[0] ?? 'e') + text.slice(at + 1);
  }
}

function transpose(text: string, random: Random): string {
  if (text.length < 3) return text;
  const at = 1 + Math.floor(random() * (text.length - 2));
  return text.slice(0, at) + text[at + 1]! + text[at]! + text.slice(at + 2);
}

const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

function slug(text: string, random: Random): string {
  return asciiFold(text, random).toLowerCase().replace(/[^a-z0-9]/gu, '');
}

interface Person {
  firstName: string;
  lastName: string;
  email: string;
  phone: { e164: string; formats: string[] };
  company: string | null;
  place: Place;
  postcode: string;
}

/** Mailboxes already handed out: two people never share one by accident ("jsmith@" for John and Jane). */
type TakenEmails = Set<string>;

function emailFor(first: string, last: string, random: Random, taken: TakenEmails, domain = pick(random, MAIL_DOMAINS)): string {
  const f = slug(first, random);
  const l = slug(last, random);
  let email = `${pick(random, [`${f}.${l}`, `${f}${l}`, `${f[0]}${l}`, `${f}_${l}${between(random, 1, 99)}`, `${l}.${f}`, `${f}${between(random, 70, 99)}`])}@${domain}`;
  while (taken.has(email)) email = email.replace('@', `${between(random, 0, 9)}@`);
  taken.add(email);
  return email;
}

function newPerson(random: Random, taken: TakenEmails, companies: readonly string[]): Person {
  const firstName = pick(random, FIRST_NAMES);
  const lastName = pick(random, LAST_NAMES);
  const place = pick(random, PLACES);
  return {
    firstName,
    lastName,
    email: emailFor(firstName, lastName, random, taken),
    phone: place.phone(random),
    company: random() < 0.5 ? pick(random, companies) : null,
    place,
    postcode: place.postcode(random),
  };
}

function personRecord(person: Person, random: Random): Record<string, unknown> {
  return {
    email: person.email,
    firstName: person.firstName,
    lastName: person.lastName,
    phone: pick(random, person.phone.formats),
    ...(person.company === null ? {} : { company: person.company }),
    address: { city: person.place.city, postcode: person.postcode, country: person.place.country },
  };
}

/** A later record of the same person: one to three kinds of damage, and the phone typed anew. */
function personDuplicate(person: Person, random: Random, taken: TakenEmails): Record<string, unknown> {
  const record = personRecord(person, random);
  const kinds = ['typo', 'transpose', 'nickname', 'diacritics', 'swap', 'email', 'mailbox', 'drop', 'case', 'moved', 'initial'];
  const chosen = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(random, kinds));
  // Someone who moved kept their mailbox: with a new address, phone AND mailbox nothing but a
  // name would tie the records, and no one could label them duplicates either.
  const moved = chosen.includes('moved');
  for (const kind of chosen) {
    const field = random() < 0.5 ? 'firstName' : 'lastName';
    switch (moved && kind === 'email' ? 'mailbox' : kind) {
      case 'typo': record[field] = typo(String(record[field]), random); break;
      case 'transpose': record[field] = transpose(String(record[field]), random); break;
      case 'nickname': {
        const options = NICKNAMES[person.firstName];
        // Wherever the given name is now, after a swap too.
        const at = record.firstName === person.firstName ? 'firstName' : record.lastName === person.firstName ? 'lastName' : null;
        if (options && at) record[at] = pick(random, options);
        break;
      }
      case 'diacritics': {
        const folded = asciiFold(String(record[field]), random);
        record[field] = folded === record[field] ? addAccent(folded, random) : folded;
        break;
      }
      case 'swap': [record.firstName, record.lastName] = [record.lastName, record.firstName]; break;
      // A new address altogether: a new provider or a work address.
      case 'email': record.email = person.company !== null && random() < 0.5
        ? emailFor(person.firstName, person.lastName, random, taken, `${slug(person.company.split(' ')[0]!, random)}.com`)
        : emailFor(person.firstName, person.lastName, random, taken);
        break;
      // The same mailbox written another way: Gmail ignores dots, most providers deliver "+tag" sub-addresses.
      case 'mailbox': {
        const [local, domain] = person.email.split('@') as [string, string];
        const dotless = local.replaceAll('.', '');
        record.email = pick(random, domain === 'gmail.com'
          ? [`${dotless.slice(0, 2)}.${dotless.slice(2)}@gmail.com`, `${local}@googlemail.com`, `${dotless}+shop@gmail.com`]
          : [`${local}+orders@${domain}`, ` ${person.email.toUpperCase()} `, `${person.firstName} <${person.email}>`]);
        break;
      }
      case 'drop': delete record[pick(random, moved ? ['phone', 'company'] : ['phone', 'email', 'company'])]; break;
      case 'case': record.firstName = String(record.firstName).toUpperCase(); record.lastName = ` ${String(record.lastName).toUpperCase()}  `; break;
      case 'moved': {
        const place = pick(random, PLACES);
        record.address = { city: place.city, postcode: place.postcode(random), country: place.country };
        record.phone = pick(random, place.phone(random).formats);
        break;
      }
      case 'initial': record.firstName = `${String(record.firstName)[0]}.`; break;
    }
  }
  return record;
}

/** Someone else at the same address: same family name, often the same landline, their own e-mail. */
function householdMember(person: Person, random: Random, taken: TakenEmails): Person {
  let firstName = pick(random, FIRST_NAMES);
  while (firstName === person.firstName) firstName = pick(random, FIRST_NAMES);
  return {
    ...person,
    firstName,
    email: emailFor(firstName, person.lastName, random, taken),
    phone: random() < 0.5 ? person.phone : person.place.phone(random),
    company: null,
  };
}

/** Same full name, another person: another address, phone and mailbox, sometimes in the same city. */
function namesake(person: Person, random: Random, taken: TakenEmails, companies: readonly string[]): Person {
  const other = newPerson(random, taken, companies);
  const place = random() < 0.3 ? person.place : other.place;
  return { ...other, firstName: person.firstName, lastName: person.lastName, place, postcode: place.postcode(random), phone: place.phone(random) };
}

interface Company {
  base: string;
  suffix: string[];
  place: Place;
}

function companyName(company: Company, random: Random): string {
  return `${company.base} ${pick(random, company.suffix)}`;
}

function companyDuplicate(company: Company, random: Random): Record<string, unknown> {
  let name = companyName(company, random);
  const record: Record<string, unknown> = { name, country: company.place.country, city: company.place.city };
  const count = 1 + Math.floor(random() * 2);
  for (let i = 0; i < count; i++) {
    switch (pick(random, ['suffix', 'noSuffix', 'and', 'typo', 'case', 'diacritics', 'intl', 'the', 'city', 'country'])) {
      case 'suffix': name = companyName(company, random); break;
      case 'noSuffix': name = company.base; break;
      case 'and': name = name.includes('&') ? name.replace('&', 'and') : name.replace(/ (\S+)$/u, ' & $1'); break;
      case 'typo': name = typo(name, random); break;
      case 'case': name = name.toUpperCase(); break;
      case 'diacritics': name = asciiFold(name, random); break;
      case 'intl': name = name.replace('International', 'Intl.').replace('Technologies', 'Tech'); break;
      case 'the': name = `The ${name}`; break;
      case 'city': if (random() < 0.5) delete record.city; else record.city = typo(company.place.city, random); break;
      case 'country': delete record.country; break;
    }
  }
  record.name = name;
  return record;
}

/**
 * The labeled records, shuffled. Same options, same records: the PRNG is seeded (mulberry32), never
 * Math.random.
 */
export function labeledRecords(options: LabeledSetOptions = {}): LabeledRecord[] {
  const random = mulberry32(options.seed ?? 20_240_601);
  const records: LabeledRecord[] = [];
  let cluster = 0;
  const add = (shardType: LabeledRecord['shardType'], clusterId: string, data: Record<string, unknown>) =>
    records.push({ id: `${shardType === 'customer' ? 'p' : 'c'}${records.length + 1}`, clusterId, shardType, data });

  // Companies first: people's employers come from them.
  const companies = inventCompanies(random, options.companies ?? 150);
  const companyEntities: Company[] = [...companies];
  // Look-alikes: the same name in another country (a separate legal entity), another line of business under the same first word.
  for (const company of companies.slice(0, Math.floor(companies.length / 5))) {
    const abroad = pick(random, PLACES.filter((place) => place.country !== company.place.country));
    companyEntities.push(random() < 0.5
      ? { base: company.base, suffix: pick(random, SUFFIXES[abroad.country]!), place: abroad }
      : { base: `${company.base.split(' ')[0]} ${pick(random, COMPANY_NOUNS.filter((noun) => !company.base.endsWith(noun)))}`, suffix: company.suffix, place: company.place });
  }
  const seen = new Set<string>();
  for (const company of companyEntities) {
    const key = `${company.base}|${company.place.country}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const clusterId = `company-${++cluster}`;
    add('company', clusterId, { name: companyName(company, random), country: company.place.country, city: company.place.city });
    for (let i = duplicateCount(random); i > 0; i--) add('company', clusterId, companyDuplicate(company, random));
  }

  const employerNames = companies.map((company) => companyName(company, random));
  const taken: TakenEmails = new Set();
  const people: Person[] = [];
  for (let i = 0; i < (options.people ?? 400); i++) people.push(...personWithLookAlikes(random, taken, employerNames));
  for (const person of people) {
    const clusterId = `person-${++cluster}`;
    for (const data of personRecords(person, random, taken)) add('customer', clusterId, data);
  }
  shuffle(records, random);
  return records;
}

export interface LabeledStreamOptions {
  seed?: number;
  /** Records to yield. */
  records: number;
  /** Records shuffled together: duplicates arrive up to this far apart, in later batches than their originals. */
  window?: number;
}

/**
 * Customer records for runs too large to hold, generated as they are consumed: the people of
 * labeledRecords, with their look-alikes and duplicates, shuffled window by window. Ids and
 * cluster ids are numbered ("p17", "person-5"); memory grows only with the mailboxes handed out,
 * kept unique across the whole run as in labeledRecords.
 */
export function* labeledCustomerStream(options: LabeledStreamOptions): Generator<LabeledRecord> {
  const random = mulberry32(options.seed ?? 20_240_601);
  const employerNames = inventCompanies(random, 150).map((company) => companyName(company, random));
  const taken: TakenEmails = new Set();
  const window = options.window ?? 10_000;
  let created = 0;
  let cluster = 0;
  let yielded = 0;
  while (yielded < options.records) {
    const buffer: LabeledRecord[] = [];
    while (buffer.length < window) {
      for (const person of personWithLookAlikes(random, taken, employerNames)) {
        const clusterId = `person-${++cluster}`;
        for (const data of personRecords(person, random, taken)) buffer.push({ id: `p${++created}`, clusterId, shardType: 'customer', data });
      }
    }
    shuffle(buffer, random);
    for (const record of buffer.slice(0, options.records - yielded)) yield record;
    yielded += Math.min(buffer.length, options.records - yielded);
  }
}

function inventCompanies(random: Random, count: number): Company[] {
  const companies: Company[] = [];
  const usedBases = new Set<string>();
  while (companies.length < count) {
    const base = `${pick(random, COMPANY_WORDS)} ${pick(random, COMPANY_NOUNS)}`;
    if (usedBases.has(base)) continue;
    usedBases.add(base);
    const place = pick(random, PLACES);
    companies.push({ base, suffix: pick(random, SUFFIXES[place.country]!), place });
  }
  return companies;
}

const duplicateCount = (random: Random) => (random() < 0.45 ? 1 + Math.floor(random() * 3) : 0);

/** A new person, and sometimes someone easily taken for them: a household member or a namesake. */
function personWithLookAlikes(random: Random, taken: TakenEmails, employerNames: readonly string[]): Person[] {
  const person = newPerson(random, taken, employerNames);
  const roll = random();
  if (roll < 0.15) return [person, householdMember(person, random, taken)];
  if (roll < 0.22) return [person, namesake(person, random, taken, employerNames)];
  return [person];
}

/** A person's first record and its duplicates. */
function personRecords(person: Person, random: Random, taken: TakenEmails): Record<string, unknown>[] {
  const records = [personRecord(person, random)];
  for (let i = duplicateCount(random); i > 0; i--) records.push(personDuplicate(person, random, taken));
  return records;
}

/** Fisher-Yates, so duplicates do not sit next to their originals. */
function shuffle<T>(list: T[], random: Random): void {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
}
