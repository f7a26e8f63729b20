import type { ErpNextSettings } from './erpNextSettings.js';

/** A DocType synced as a stream. */
export interface ErpNextDoctype {
  stream: string;
  doctype: string;
  /** Fields a list asks for; undefined: every field. */
  fields?: readonly string[];
  dependsOn: readonly string[];
}

/** The streams every connection has: ERPNext's selling masters and their invoices. */
export const builtinDoctypes: readonly ErpNextDoctype[] = [
  { stream: 'customers', doctype: 'Customer', dependsOn: [] },
  { stream: 'items', doctype: 'Item', dependsOn: [] },
  // An invoice names its customer and items: a run reads those first.
  { stream: 'sales_invoices', doctype: 'Sales Invoice', dependsOn: ['customers', 'items'] },
];

/** The built-in DocTypes and those the settings add. */
export function doctypesOf(settings: Pick<ErpNextSettings, 'doctypes'>): ErpNextDoctype[] {
  return [...builtinDoctypes, ...settings.doctypes.map((entry) => ({ stream: entry.stream, doctype: entry.doctype, ...(entry.fields ? { fields: entry.fields } : {}), dependsOn: [] }))];
}

/** The stream syncing `doctype`, if any (webhooks name the DocType). */
export function streamOfDoctype(settings: Pick<ErpNextSettings, 'doctypes'>, doctype: string): string | undefined {
  return doctypesOf(settings).find((entry) => entry.doctype === doctype)?.stream;
}

/** The DocType a stream syncs, if it is one of the connection's. */
export function doctypeOfStream(settings: Pick<ErpNextSettings, 'doctypes'>, stream: string): string | undefined {
  return doctypesOf(settings).find((entry) => entry.stream === stream)?.doctype;
}
