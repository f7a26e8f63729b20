/** An error the CLI reports as one line on stderr (never a stack trace), exiting with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/**
 * Pure: the API's own error message from an error body (`{error: {code, message, issues}}`), with
 * each issue's path, or the status line when the body is not the API's.
 */
export function apiErrorMessage(status: number, body: unknown): string {
  const error = (body as { error?: { code?: unknown; message?: unknown; issues?: unknown } } | undefined)?.error;
  if (!error || typeof error.message !== 'string') return `the API answered ${status}${typeof body === 'string' && body ? `: ${body.slice(0, 200)}` : ''}`;
  const issues = Array.isArray(error.issues)
    ? error.issues
        .filter((issue): issue is { path: unknown; message: unknown } => typeof issue === 'object' && issue !== null)
        .map((issue) => `\n  ${String(issue.path || '(body)')}: ${String(issue.message)}`)
        .join('')
    : '';
  return `${error.message} (${status}${typeof error.code === 'string' ? ` ${error.code}` : ''})${issues}`;
}
