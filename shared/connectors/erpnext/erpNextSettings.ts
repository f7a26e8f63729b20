import { z } from 'zod';
import { rootUrlSetting, timeoutMsSetting } from '../http/connectionSettings.js';
import { timestampMismatchRules } from './erpNextConflictDecision.js';

/** A DocType as Frappe names it (`Sales Invoice`): letters, digits, spaces, `-` and `_`; it becomes a path segment. */
export const doctypeName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9 _-]{0,139}$/, 'must be a DocType name such as `Supplier` or `Sales Invoice`');

const fieldName = z.string().regex(/^[a-z_][a-z0-9_]{0,139}$/, 'must be a Frappe field name such as `supplier_name`');

/** One more DocType synced as a stream, beside the built-in ones. */
const extraDoctype = z.strictObject({
  stream: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be lower-case letters, digits and `_`, starting with a letter').describe('The stream name tasks use, e.g. `suppliers`.'),
  doctype: doctypeName.describe('The DocType listed at `/api/resource/{DocType}`, e.g. `Supplier`.'),
  fields: z
    .array(fieldName)
    .min(1)
    .max(200)
    .optional()
    .describe('Fields a list asks for; absent: every field (`["*"]`). `name`, `modified` and `creation` are always asked for.'),
});

/** Connection settings of one Frappe / ERPNext site (stored in clear; the API key and secret are credentials). */
export const erpNextSettingsSchema = z
  .strictObject({
    baseUrl: rootUrlSetting('The site root, e.g. `https://erp.example.com` (the API is under `/api/resource/`).'),
    doctypes: z
      .array(extraDoctype)
      .max(40)
      .default([])
      .describe('More DocTypes to sync beside `customers` (Customer), `items` (Item) and `sales_invoices` (Sales Invoice).'),
    timestampMismatch: timestampMismatchRules,
    timeoutMs: timeoutMsSetting,
  })
  .superRefine((settings, context) => {
    const builtin = ['customers', 'items', 'sales_invoices'];
    settings.doctypes.forEach((entry, index) => {
      const clash = builtin.includes(entry.stream) || settings.doctypes.findIndex((other) => other.stream === entry.stream) !== index;
      if (clash) context.addIssue({ code: 'custom', path: ['doctypes', index, 'stream'], message: `"${entry.stream}" is already a stream of this connection` });
    });
  });
export type ErpNextSettings = z.output<typeof erpNextSettingsSchema>;
export type ErpNextSettingsInput = z.input<typeof erpNextSettingsSchema>;
