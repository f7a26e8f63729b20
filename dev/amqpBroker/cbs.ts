/** `$cbs`: claims-based security. The SDK sends a put-token before it opens any entity link. */
import type { Message } from 'rhea';

/**
 * Any token is accepted: this broker listens on loopback for tests and demos only. The reply uses
 * CBS's kebab-case status properties (management replies use camelCase).
 */
export function cbsReply(request: Message): Message {
  const operation: unknown = request.application_properties?.['operation'];
  if (operation !== 'put-token') {
    return { body: null, application_properties: { 'status-code': 400, 'status-description': `unsupported $cbs operation '${String(operation)}'` } };
  }
  return { body: null, application_properties: { 'status-code': 202, 'status-description': 'Accepted' } };
}
