import type { ChainedSourcePage, ConnectionTestOptions, Connector, ListPageRequest, SourcePage, SourceRecord, StreamInfo, WritePrecondition, WriteResult } from '../connector.js';
import type { SpecConnector } from '../spec/specConnector.js';
import type { OdooSession } from './odooSession.js';

/**
 * A JSON-RPC connection: the spec connector, once the session knows the uid each call names.
 * (JSON-2 connections are the spec connector alone.)
 */
export class OdooRpcConnector implements Connector {
  readonly provider = 'odoo';

  constructor(
    private readonly inner: SpecConnector,
    private readonly session: OdooSession,
    private readonly onClose: () => Promise<void>,
  ) {}

  streams(): StreamInfo[] {
    return this.inner.streams();
  }

  async listPage(request: ListPageRequest): Promise<SourcePage> {
    await this.session.ready();
    return this.inner.listPage(request);
  }

  async listChainedPage(request: ListPageRequest): Promise<ChainedSourcePage> {
    await this.session.ready();
    return this.inner.listChainedPage(request);
  }

  async testConnection(options?: ConnectionTestOptions): Promise<void> {
    await this.session.ready();
    return this.inner.testConnection(options);
  }

  async update(stream: string, externalId: string, fields: SourceRecord, precondition?: WritePrecondition): Promise<WriteResult> {
    await this.session.ready();
    return this.inner.update(stream, externalId, fields, precondition);
  }

  async create(stream: string, fields: SourceRecord): Promise<WriteResult> {
    await this.session.ready();
    return this.inner.create(stream, fields);
  }

  async close(): Promise<void> {
    await this.inner.close();
    await this.onClose();
  }
}
