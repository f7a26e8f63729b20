import { requiredParameter } from './fakeQuickBooksFaults.js';

export const quickBooksEntities = ['Customer', 'Item', 'Invoice', 'SalesReceipt', 'Payment'] as const;
export type QuickBooksEntity = (typeof quickBooksEntities)[number];

/** A record as QuickBooks serves it: PascalCase fields, string Id and SyncToken. */
export type QuickBooksRecord = Record<string, unknown> & {
  Id: string;
  SyncToken: string;
  MetaData: { CreateTime: string; LastUpdatedTime: string };
};

/** Name-list entities: their names are unique, and queries hide inactive ones unless asked. */
export const nameField: Partial<Record<QuickBooksEntity, string>> = { Customer: 'DisplayName', Item: 'Name' };

/** Fields the server owns: a write's values for them are ignored. */
export const serverFields = new Set(['Id', 'SyncToken', 'MetaData', 'domain', 'sparse', 'FullyQualifiedName', 'TotalAmt', 'Balance', 'status']);

/** The entity named in a URL segment (`customer`) or a query (`Customer`, any case). */
export function entityNamed(name: string): QuickBooksEntity | undefined {
  return quickBooksEntities.find((entity) => entity.toLowerCase() === name.toLowerCase());
}

const usd = { value: 'USD', name: 'United States Dollar' };
const givenNames = ['Amy', 'Bill', 'Cathy', 'Dukes', 'Ed', 'Freeman', 'Geeta', 'Jeff', 'John', 'Kookies', 'Mark', 'Paulsen', 'Rondonuwu', 'Shara', 'Sushi', 'Travis'];
const familyNames = ['Lew', 'Windsurfer', 'Barnett', 'Basketball', 'Cochran', 'Sporting', 'Kalapatapu', 'Chin', 'Melton', 'Sophie', 'Cho', 'Medical', 'Fruit', 'Barnett', 'Kino', 'Waldron'];
const cities = [
  ['Half Moon Bay', 'CA', '94213'],
  ['Bayshore', 'CA', '94326'],
  ['Middlefield', 'CA', '94303'],
  ['Palo Alto', 'CA', '94303'],
] as const;
const products = ['Design', 'Gardening', 'Installation', 'Lighting', 'Pest Control', 'Pump', 'Rocks', 'Sprinkler Heads', 'Trimming'];

/** The i-th seeded record's writable fields, deterministic so tests can name what they expect. */
export function seedFields(entity: QuickBooksEntity, i: number, refs: { customerIds: string[]; itemIds: string[] }): Record<string, unknown> {
  const customerRef = { value: refs.customerIds.length > 0 ? (refs.customerIds[i % refs.customerIds.length] as string) : '1' };
  const itemRef = { value: refs.itemIds.length > 0 ? (refs.itemIds[i % refs.itemIds.length] as string) : '1', name: products[i % products.length] };
  const amount = 25 + ((i * 37) % 400);
  const txnDate = new Date(Date.UTC(2026, 0, 1 + (i % 28))).toISOString().slice(0, 10);
  switch (entity) {
    case 'Customer': {
      const given = givenNames[i % givenNames.length] as string;
      const family = familyNames[(i * 7) % familyNames.length] as string;
      const [city, state, zip] = cities[i % cities.length] as readonly [string, string, string];
      return {
        GivenName: given,
        FamilyName: family,
        DisplayName: `${given} ${family} ${i + 1}`,
        CompanyName: i % 3 === 0 ? `${family} Co ${i + 1}` : undefined,
        PrimaryEmailAddr: { Address: `${given}.${family}${i + 1}@example.com`.toLowerCase() },
        PrimaryPhone: { FreeFormNumber: `(650) 555-${String(1000 + i).slice(-4)}` },
        BillAddr: { Line1: `${100 + i} Main Street`, City: city, CountrySubDivisionCode: state, PostalCode: zip },
        Taxable: i % 2 === 0,
        Active: true,
      };
    }
    case 'Item':
      return {
        Name: `${products[i % products.length] as string} ${i + 1}`,
        Description: `${products[i % products.length] as string} service`,
        Type: i % 2 === 0 ? 'Service' : 'NonInventory',
        UnitPrice: amount,
        IncomeAccountRef: { value: '79', name: 'Sales of Product Income' },
        Taxable: false,
        Active: true,
      };
    case 'Invoice':
    case 'SalesReceipt':
      return {
        DocNumber: String(1000 + i + 1),
        TxnDate: txnDate,
        CustomerRef: customerRef,
        Line: [{ Id: '1', LineNum: 1, Amount: amount, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: itemRef, Qty: 1, UnitPrice: amount } }],
        ...(entity === 'Invoice' ? { DueDate: txnDate } : { PaymentMethodRef: { value: '1', name: 'Cash' } }),
      };
    case 'Payment':
      return { TxnDate: txnDate, CustomerRef: customerRef, TotalAmt: amount, Line: [] };
  }
}

/** The server-derived fields QuickBooks fills in on every write. */
export function derivedFields(entity: QuickBooksEntity, fields: Record<string, unknown>, previous: Record<string, unknown> | undefined): Record<string, unknown> {
  switch (entity) {
    case 'Customer': {
      const name = typeof fields.DisplayName === 'string' && fields.DisplayName !== '' ? fields.DisplayName : nameFromParts(fields);
      if (name === undefined) throw requiredParameter('DisplayName');
      return { DisplayName: name, FullyQualifiedName: name, PrintOnCheckName: fields.PrintOnCheckName ?? name, Active: fields.Active ?? true, Balance: previous?.Balance ?? 0, CurrencyRef: fields.CurrencyRef ?? usd, PreferredDeliveryMethod: fields.PreferredDeliveryMethod ?? 'Print' };
    }
    case 'Item': {
      if (typeof fields.Name !== 'string' || fields.Name === '') throw requiredParameter('Name');
      return { FullyQualifiedName: fields.Name, Active: fields.Active ?? true, Type: fields.Type ?? 'Service' };
    }
    case 'Invoice':
    case 'SalesReceipt': {
      if (!isRef(fields.CustomerRef) && entity === 'Invoice') throw requiredParameter('CustomerRef');
      if (!Array.isArray(fields.Line) || fields.Line.length === 0) throw requiredParameter('Line');
      const total = lineTotal(fields.Line);
      const paid = previous === undefined ? 0 : Number(previous.TotalAmt ?? 0) - Number(previous.Balance ?? 0);
      return { TotalAmt: total, Balance: entity === 'Invoice' ? Math.max(0, total - paid) : 0, CurrencyRef: fields.CurrencyRef ?? usd };
    }
    case 'Payment': {
      if (!isRef(fields.CustomerRef)) throw requiredParameter('CustomerRef');
      if (typeof fields.TotalAmt !== 'number') throw requiredParameter('TotalAmt');
      return { TotalAmt: fields.TotalAmt, UnappliedAmt: fields.TotalAmt - lineTotal(Array.isArray(fields.Line) ? fields.Line : []), CurrencyRef: fields.CurrencyRef ?? usd };
    }
  }
}

function nameFromParts(fields: Record<string, unknown>): string | undefined {
  const parts = ['Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix'].map((key) => fields[key]).filter((part): part is string => typeof part === 'string' && part !== '');
  if (parts.length > 0) return parts.join(' ');
  return typeof fields.CompanyName === 'string' && fields.CompanyName !== '' ? fields.CompanyName : undefined;
}

function isRef(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { value?: unknown }).value === 'string';
}

function lineTotal(lines: unknown[]): number {
  const amounts = lines.map((line) => (typeof line === 'object' && line !== null && (line as { DetailType?: unknown }).DetailType !== 'SubTotalLineDetail' ? Number((line as { Amount?: unknown }).Amount ?? 0) : 0));
  return Math.round(amounts.reduce((sum, amount) => sum + amount, 0) * 100) / 100;
}
