/** A refusal in PostgREST's shape: `{code, details, hint, message}` with the status PostgREST gives it. */
export class PostgrestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: string | null = null,
    readonly hint: string | null = null,
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { code: this.code, details: this.details, hint: this.hint, message: this.message };
  }
}

/** What PostgREST answers for a PostgreSQL error (docs/references/errors.rst, "SQLSTATE → HTTP"). */
export function statusOfSqlState(code: string): number {
  if (code === '23503' || code === '23505') return 409;
  if (code === '42P01' || code === '42883') return 404;
  if (code === '42501') return 403;
  if (code === '25006') return 405;
  if (code === '53400') return 500;
  if (code.startsWith('08') || code.startsWith('53') || code.startsWith('57')) return 503;
  if (code.startsWith('22') || code.startsWith('23') || code.startsWith('42') || code === 'P0001') return 400;
  return 500;
}

/** A `pg` error (SQLSTATE in `code`) as PostgREST would answer it. */
export function fromDatabaseError(error: unknown): PostgrestError {
  const pg = error as { code?: unknown; message?: unknown; detail?: unknown; hint?: unknown };
  if (typeof pg.code !== 'string' || !/^[0-9A-Z]{5}$/.test(pg.code)) throw error;
  return new PostgrestError(
    statusOfSqlState(pg.code),
    pg.code,
    typeof pg.message === 'string' ? pg.message : 'database error',
    typeof pg.detail === 'string' ? pg.detail : null,
    typeof pg.hint === 'string' ? pg.hint : null,
  );
}

export const singularError = (rows: number) =>
  new PostgrestError(406, 'PGRST116', 'JSON object requested, multiple (or no) rows returned', `The result contains ${rows} rows`);
export const parseError = (message: string, details: string | null = null) => new PostgrestError(400, 'PGRST100', message, details);
export const jwtError = () => new PostgrestError(401, 'PGRST301', 'JWSError JWSInvalidSignature', null);
