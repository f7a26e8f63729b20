import { z } from 'zod';
import { AuthError } from '../authError.js';
import { ProviderError } from '../providerError.js';
import { ProviderUnavailableError } from '../providerUnavailableError.js';
import { RateLimitError } from '../rateLimitError.js';
import { RecordNotFoundError } from '../recordNotFoundError.js';
import { ValidationError } from '../validationError.js';
import { WriteConflictError } from '../writeConflictError.js';
import { redactCredentials } from '../redactCredentials.js';
import { parseRetryAfter } from '../../core/retry/retryAfter.js';
import { DestinationRefusedError } from '../http/destinationRefusedError.js';

/** Where a failure happened, for messages: method and path only, never the (signed) query. */
export interface RequestContext {
  method: string;
  path: string;
  /** Values to scrub from anything the server echoes back. */
  secrets: readonly string[];
  nowMs: number;
}

/**
 * Maps a non-2xx WooCommerce response to a typed error. WordPress REST errors are JSON
 * `{code, message, data: {status}}` (https://woocommerce.github.io/woocommerce-rest-api-docs/#errors);
 * proxies and hosts may answer HTML instead, hence the fallback code `http_<status>`.
 */
export function errorFromResponse(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  bodyText: string,
  context: RequestContext,
): ProviderError {
  const { code, message } = describeFailure(status, bodyText, context);
  const retryAfterMs = parseRetryAfter(firstHeader(headers['retry-after']), context.nowMs);
  if (status === 401 || status === 403) return new AuthError({ status, code, message });
  if (status === 429) return new RateLimitError({ code, message, retryAfterMs });
  if (status === 408 || status >= 500) return new ProviderUnavailableError({ status, code, message, retryAfterMs });
  return new ProviderError({ status, code, message, retriable: false });
}

/**
 * Like errorFromResponse, for a write or the read of the one record it targets. WooCommerce has
 * no conditional requests: a 409/412 comes from a plugin or proxy in front of it. An unknown id
 * is matched by code because the status varies: `woocommerce_rest_{product|shop_order}_invalid_id`
 * is 404 on reads but 400 on updates (WC_REST_CRUD_Controller), customers answer
 * `wc_user_invalid_id` 404 (older stores: `woocommerce_rest_invalid_id` 400).
 */
export function writeErrorFromResponse(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  bodyText: string,
  context: RequestContext,
): ProviderError {
  const { body, code, detail, message } = describeFailure(status, bodyText, context);
  if (status === 409 || status === 412) return new WriteConflictError({ status, code, message });
  if ((status === 400 || status === 404) && body && /(^|_)invalid_id$/.test(body.code)) {
    return new RecordNotFoundError({ status, code, message });
  }
  if (status === 400 || status === 422) {
    return new ValidationError({
      status,
      code,
      message,
      providerMessage: redactCredentials(detail, context.secrets),
      ...(body?.fieldErrors ? { fieldErrors: body.fieldErrors } : {}),
    });
  }
  return errorFromResponse(status, headers, bodyText, context);
}

// Certificate problems do not heal by retrying; they need `caCertificate` or a fixed store.
const certificateErrorCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const timeoutCodes = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** Maps a failure without an HTTP response (socket, DNS, TLS, timeout) to a typed error. */
export function errorFromTransport(error: unknown, context: RequestContext): ProviderError {
  if (error instanceof DestinationRefusedError) return error;
  const { code, name, message } = describe(error);
  const where = `WooCommerce ${context.method} ${context.path}`;
  if (name === 'TimeoutError' || timeoutCodes.has(code)) {
    return new ProviderUnavailableError({ code: 'timeout', message: `${where} timed out (${code || name})` });
  }
  if (certificateErrorCodes.has(code)) {
    return new ProviderError({
      code: 'tls_certificate',
      retriable: false,
      message: `${where}: the store's TLS certificate is not trusted (${code}); set caCertificate for a private CA`,
    });
  }
  return new ProviderUnavailableError({
    code: code || 'network_error',
    message: redactCredentials(`${where} failed: ${message}`, context.secrets),
  });
}

export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function describeFailure(status: number, bodyText: string, context: RequestContext) {
  const body = parseWordPressError(bodyText);
  const code = body?.code ?? `http_${status}`;
  // Redacted before it is cut short: a secret cut in half would no longer be recognised.
  const detail = body?.message ?? redactCredentials(bodyText, context.secrets).slice(0, 200).replace(/\s+/g, ' ').trim();
  const message = redactCredentials(
    `WooCommerce ${context.method} ${context.path} failed with ${status} ${code}: ${detail}`,
    context.secrets,
  );
  return { body, code, detail, message };
}

/**
 * `data.params` names the offending parameters: messages by name for `rest_invalid_param`, a list
 * of names for `rest_missing_callback_param` (WP_REST_Request::has_valid_params).
 */
const wordPressErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  data: z
    .object({ params: z.union([z.record(z.string(), z.string()), z.array(z.string())]).optional().catch(undefined) })
    .nullish()
    .catch(undefined),
});

function parseWordPressError(text: string): { code: string; message: string; fieldErrors?: Record<string, string> } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = wordPressErrorSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { code, message, data } = parsed.data;
  const params = data?.params;
  if (params === undefined) return { code, message };
  const fieldErrors = Array.isArray(params) ? Object.fromEntries(params.map((name) => [name, 'missing'])) : params;
  return { code, message, fieldErrors };
}

/** undici throws its own errors, sometimes wrapping the socket error in `cause`. */
function describe(error: unknown): { code: string; name: string; message: string } {
  const outer = error instanceof Error ? error : new Error(String(error));
  const cause = outer.cause instanceof Error ? outer.cause : undefined;
  const codeOf = (value: Error | undefined) => {
    const code = (value as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' ? code : '';
  };
  return {
    code: codeOf(outer) || codeOf(cause),
    name: outer.name,
    message: cause ? `${outer.message}: ${cause.message}` : outer.message,
  };
}
