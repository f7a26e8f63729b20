import type { Connector, ListPageRequest } from '../../connectors/connector.js';
import type { Redactor } from '../../core/security/redaction.js';

/**
 * The connector boundary: whatever a connector throws leaves it with every string it carries
 * (message, stack, cause, provider message, field errors, the record it sent back) redacted with
 * the connection's credentials, before any use case turns it into a failure, an execution error,
 * a conflict, an alert or a log line. A provider that echoes the credentials it received can
 * then not make us store them. The error keeps its class, so retry and pause decisions hold.
 */
export function redactingConnector(connector: Connector, redactor: Redactor): Connector {
  const redacted = <T>(call: () => Promise<T>): Promise<T> =>
    call().catch((error: unknown) => {
      throw redactor.redactValue(error);
    });
  const { update, create, close, listChainedPage } = connector;
  return {
    provider: connector.provider,
    streams: () => connector.streams(),
    listPage: (request) => redacted(() => connector.listPage(request)),
    testConnection: (options) => redacted(() => connector.testConnection(options)),
    ...(listChainedPage ? { listChainedPage: (request: ListPageRequest) => redacted(() => listChainedPage.call(connector, request)) } : {}),
    ...(update ? { update: (...args: Parameters<typeof update>) => redacted(() => update.apply(connector, args)) } : {}),
    ...(create ? { create: (...args: Parameters<typeof create>) => redacted(() => create.apply(connector, args)) } : {}),
    ...(close ? { close: () => close.call(connector) } : {}),
  };
}
