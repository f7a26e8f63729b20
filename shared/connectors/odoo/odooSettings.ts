import { z } from 'zod';
import { rootUrlSetting, timeoutMsSetting } from '../http/connectionSettings.js';

/**
 * Connection settings of one Odoo database (stored in clear; the API key is not). JSON-2
 * (`/json/2/<model>/<method>`, Odoo 19+) is the default; `jsonrpc` serves older servers through
 * `/jsonrpc`, which needs the database and the login the key belongs to.
 */
export const odooSettingsSchema = z
  .strictObject({
    baseUrl: rootUrlSetting("The server's root, e.g. `https://acme.odoo.com`."),
    api: z
      .enum(['json2', 'jsonrpc'])
      .default('json2')
      .describe('`json2`: the JSON-2 API (Odoo 19 and later); `jsonrpc`: the older JSON-RPC API (`common.authenticate`, then `object.execute_kw`).'),
    database: z
      .string()
      .regex(/^[\w.-]{1,63}$/, 'must be an Odoo database name')
      .optional()
      .describe('The database: sent as `X-Odoo-Database` with JSON-2 (needed when the server hosts several); required with `jsonrpc`.'),
    login: z.string().min(1).max(200).optional().describe('With `jsonrpc`: the user the API key belongs to (their login, e.g. an e-mail).'),
    timeoutMs: timeoutMsSetting,
  })
  .refine((settings) => settings.api === 'json2' || (settings.database !== undefined && settings.login !== undefined), {
    message: 'jsonrpc needs `database` and `login`',
    path: ['login'],
  });
export type OdooSettings = z.output<typeof odooSettingsSchema>;
export type OdooSettingsInput = z.input<typeof odooSettingsSchema>;
