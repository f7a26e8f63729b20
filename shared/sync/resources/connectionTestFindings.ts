import { AuthError } from '../../connectors/authError.js';
import { ProviderError } from '../../connectors/providerError.js';
import { DestinationRefusedError } from '../../connectors/http/destinationRefusedError.js';
import type { ConnectionTestResult } from '../../core/schemas/answers/connectionTest.js';
import { CredentialsMissingError } from '../credentialsMissingError.js';

export type ConnectionTestFindings = Pick<ConnectionTestResult, 'outcome' | 'status' | 'code' | 'message'>;

/** Transport codes of a TLS handshake that failed before any certificate was judged (e.g. https to a plain-http port). */
const tlsTransportCode = /^(ERR_SSL_|ERR_TLS_|EPROTO$)/;

/**
 * What a failed connection test tells the operator, from the typed error the connector threw
 * (messages are already redacted by the connector boundary). Anything that is not a provider's
 * answer or a failure to reach it — a bug, the store failing — returns undefined for the caller
 * to rethrow.
 */
export function connectionTestFindings(error: unknown): ConnectionTestFindings | undefined {
  if (error instanceof CredentialsMissingError) return { outcome: 'credentials_missing', message: error.message };
  if (!(error instanceof ProviderError)) return undefined;
  const found = {
    ...(error.status === undefined ? {} : { status: error.status }),
    code: error.code,
    message: error.message,
  };
  if (error instanceof DestinationRefusedError) return { outcome: 'refused_destination', ...found };
  if (error instanceof AuthError) return { outcome: error.status === 403 ? 'forbidden' : 'unauthorized', ...found };
  if (error.status !== undefined) return { outcome: 'provider_error', ...found };
  if (error.code === 'timeout') return { outcome: 'timeout', ...found };
  if (error.code === 'tls_certificate' || tlsTransportCode.test(error.code)) return { outcome: 'tls_error', ...found };
  return { outcome: 'unreachable', ...found };
}
