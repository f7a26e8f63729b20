import { createRedactor } from '../core/security/redaction.js';

const credentialParam = /\b(oauth_[a-z_]+|consumer_key|consumer_secret)=[^&\s#"'<>]*/gi;
const authorizationValue = /\b(authorization"?\s*[:=]\s*"?)(basic|bearer|oauth)\s+[^\s",]+/gi;
// A token must contain a non-lowercase character so prose such as "Basic authentication" survives.
const bareAuthScheme = /\b([Bb]asic|[Bb]earer)\s+(?=[\w+/=.~-]*[A-Z0-9+/=])[\w+/=.~-]{8,}/g;

/**
 * Removes credential query parameters, Authorization values and any `knownSecrets` in every form
 * they may be echoed in (raw, URL-encoded, JSON-escaped, base64, case-changed: see
 * core/security/redaction.ts), e.g. the consumer secret echoed back in a provider message.
 */
export function redactCredentials(text: string, knownSecrets: readonly string[] = []): string {
  return createRedactor(knownSecrets).redact(
    text
      .replace(credentialParam, '$1=[redacted]')
      .replace(authorizationValue, '$1$2 [redacted]')
      .replace(bareAuthScheme, '$1 [redacted]'),
  );
}
