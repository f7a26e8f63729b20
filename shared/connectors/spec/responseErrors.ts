import { AuthError } from '../authError.js';
import { IncrementalStateExpiredError } from '../incrementalStateExpiredError.js';
import { ProviderError } from '../providerError.js';
import { ProviderUnavailableError } from '../providerUnavailableError.js';
import { QuotaExhaustedError } from '../quotaExhaustedError.js';
import { RateLimitError } from '../rateLimitError.js';
import { RecordNotFoundError } from '../recordNotFoundError.js';
import { ValidationError } from '../validationError.js';
import { WriteConflictError } from '../writeConflictError.js';
import { redactCredentials } from '../redactCredentials.js';
import { parseRetryAfter } from '../../core/retry/retryAfter.js';
import { parseRateLimitHeaders, type ResponseHeaders } from '../../core/operations/rateLimitHeaders.js';
import type { ErrorSpec } from './errorSpec.js';
import { failureKind } from './failureKind.js';
import { readPath } from '../../core/schemas/fieldPath.js';

/** Where a failure happened, for messages: the provider's title, method and path, never the (signed) query. */
export interface RequestContext {
  title: string;
  method: string;
  path: string;
  /** Values to scrub from anything the server echoes back. */
  secrets: readonly string[];
  nowMs: number;
}

export const whereOf = (context: RequestContext) => `${context.title} ${context.method} ${context.path}`;

export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Maps a non-2xx answer to the typed error its kind (failureKind) calls for. `on: 'write'` is a
 * write, or the read of the one record it targets. The provider's code and message come from the
 * spec's paths; an answer in another shape (a proxy's HTML page) is named `http_<status>`.
 */
export function errorFromResponse(
  errors: ErrorSpec,
  on: 'read' | 'write',
  status: number,
  headers: ResponseHeaders,
  bodyText: string,
  context: RequestContext,
): ProviderError {
  const body = parseErrorBody(errors, bodyText);
  const code = body.code ?? `http_${status}`;
  // Redacted before it is cut short: a secret cut in half would no longer be recognised.
  const detail = body.message ?? redactCredentials(bodyText, context.secrets).slice(0, 200).replace(/\s+/g, ' ').trim();
  const message = redactCredentials(`${whereOf(context)} failed with ${status} ${code}: ${detail}`, context.secrets);
  const retryAfterMs = parseRetryAfter(firstHeader(headers['retry-after']), context.nowMs);
  switch (failureKind(status, body.code, errors.rules, on, body.message)) {
    case 'auth':
      return new AuthError({ status, code, message });
    case 'rateLimit':
      return new RateLimitError({ code, message, retryAfterMs });
    case 'recoverable':
      return new ProviderUnavailableError({ status, code, message, retryAfterMs });
    case 'quota': {
      const resetAt = parseRateLimitHeaders(headers, context.nowMs)?.resetAt ?? (retryAfterMs === undefined ? undefined : new Date(context.nowMs + retryAfterMs).toISOString());
      return new QuotaExhaustedError({ status, code, message, ...(resetAt === undefined ? {} : { resetAt }) });
    }
    case 'conflict':
      return new WriteConflictError({ status, code, message });
    case 'notFound':
      return new RecordNotFoundError({ status, code, message });
    case 'stateExpired':
      return new IncrementalStateExpiredError({ status, code, message });
    case 'validation':
      return new ValidationError({
        status,
        code,
        message,
        providerMessage: redactCredentials(detail, context.secrets),
        ...(body.fieldErrors ? { fieldErrors: body.fieldErrors } : {}),
      });
    case 'fatal':
      return new ProviderError({ status, code, message, retriable: false });
  }
}

interface ErrorBody {
  code?: string;
  message?: string;
  fieldErrors?: Record<string, string>;
}

/** `fieldErrorsPath` may hold messages by field, or a list of missing fields' names. */
function parseErrorBody(errors: ErrorSpec, text: string): ErrorBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return {};
  }
  const at = (path: string) => (errors.jsonInStrings ? readPathThroughJson(json, path) : readPath(json, path));
  const text_ = (path: string | undefined) => {
    const value = path === undefined ? undefined : at(path);
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  };
  const code = text_(errors.codePath);
  const message = text_(errors.messagePath);
  const fields = errors.fieldErrorsPath === undefined ? undefined : at(errors.fieldErrorsPath);
  const fieldErrors = Array.isArray(fields)
    ? fields.every((name) => typeof name === 'string')
      ? Object.fromEntries(fields.map((name: string) => [name, 'missing']))
      : undefined
    : typeof fields === 'object' && fields !== null && Object.values(fields).every((value) => typeof value === 'string')
      ? (fields as Record<string, string>)
      : undefined;
  return { ...(code !== undefined ? { code } : {}), ...(message !== undefined ? { message } : {}), ...(fieldErrors ? { fieldErrors } : {}) };
}

/** readPath, parsing a string met before the path's end as JSON (text that is not JSON ends the path). */
function readPathThroughJson(value: unknown, path: string): unknown {
  let current = value;
  for (const segment of path.split('.')) {
    if (typeof current === 'string') {
      try {
        current = JSON.parse(current);
      } catch {
        return undefined;
      }
    }
    current = readPath(current, segment);
    if (current === undefined) return undefined;
  }
  return current;
}
