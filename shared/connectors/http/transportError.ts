import { ProviderError } from '../providerError.js';
import { ProviderUnavailableError } from '../providerUnavailableError.js';
import { redactCredentials } from '../redactCredentials.js';
import { DestinationRefusedError } from './destinationRefusedError.js';

// Certificate problems do not heal by retrying; they need `caCertificate` or a fixed server.
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

/**
 * Maps a failure without an HTTP response (socket, DNS, TLS, timeout) to a typed error. `where`
 * names the call (`Acme GET /v1/contacts`), never its query, which may be signed.
 */
export function errorFromTransport(error: unknown, where: string, secrets: readonly string[]): ProviderError {
  if (error instanceof DestinationRefusedError) return error;
  const { code, name, message } = describe(error);
  if (name === 'TimeoutError' || timeoutCodes.has(code)) {
    return new ProviderUnavailableError({ code: 'timeout', message: `${where} timed out (${code || name})` });
  }
  if (certificateErrorCodes.has(code)) {
    return new ProviderError({
      code: 'tls_certificate',
      retriable: false,
      message: `${where}: the server's TLS certificate is not trusted (${code}); set caCertificate for a private CA`,
    });
  }
  return new ProviderUnavailableError({ code: code || 'network_error', message: redactCredentials(`${where} failed: ${message}`, secrets) });
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
