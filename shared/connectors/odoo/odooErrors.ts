import type { z } from 'zod';
import type { errorSpec } from '../spec/errorSpec.js';

export type ErrorSpecInput = z.input<typeof errorSpec>;

/** Odoo's exception classes (`data.name` / `name`) and what they mean to the engine. */
const exceptionRules = (status: number[] | undefined) => [
  { ...(status ? { status } : {}), code: '^odoo\\.exceptions\\.AccessDenied$', kind: 'auth' as const },
  { ...(status ? { status } : {}), code: '^odoo\\.exceptions\\.AccessError$', kind: 'auth' as const },
  { ...(status ? { status } : {}), code: '^odoo\\.http\\.SessionExpiredException$', kind: 'auth' as const },
  { ...(status ? { status } : {}), code: '^odoo\\.exceptions\\.MissingError$', on: 'write' as const, kind: 'notFound' as const },
  { ...(status ? { status } : {}), code: '^odoo\\.exceptions\\.(ValidationError|UserError|RedirectWarning)$', on: 'write' as const, kind: 'validation' as const },
  // A transaction that lost a race inside Odoo's database is retried there, then surfaces: try later.
  { ...(status ? { status } : {}), code: '^psycopg2\\.errors\\.(SerializationFailure|LockNotAvailable)$', kind: 'recoverable' as const },
];

/**
 * JSON-2 answers failures with a 4xx/5xx `{name, message, arguments, context, debug}` (401
 * "Invalid apikey"); JSON-RPC with an HTTP 200 holding `{"error": {code, message: "Odoo Server
 * Error", data: {name, message, arguments, context, debug}}}`, read as a 400 (`faultPath`).
 */
export function odooErrors(api: 'json2' | 'jsonrpc'): ErrorSpecInput {
  if (api === 'json2') return { codePath: 'name', messagePath: 'message', rules: exceptionRules(undefined) };
  return { codePath: 'error.data.name', messagePath: 'error.data.message', faultPath: 'error', rules: exceptionRules([400]) };
}
