import type { ChainedSourcePage, ListPageRequest, SourcePage, SourceRecord, WritePrecondition, WriteResult } from '../connector.js';
import { SpecConnector } from '../spec/specConnector.js';
import { WriteConflictError } from '../writeConflictError.js';
import { withPrimary } from './googlePrimaryFields.js';

/**
 * The spec's connector with two things Google needs besides it. Every contact it hands the engine
 * carries the `primary` view (googlePrimaryFields), so a shard field can be written back. And
 * Google asks that one user's mutations be sent one at a time: this process's updates through the
 * connection (one connector per connection per process) queue behind each other; one from another
 * process meanwhile is refused 409 ABORTED, which the spec maps to a retry later.
 */
export class GoogleContactsConnector extends SpecConnector {
  private mutations: Promise<unknown> = Promise.resolve();

  override async listPage(request: ListPageRequest): Promise<SourcePage> {
    const page = await super.listPage(request);
    return { ...page, records: page.records.map(withPrimary) };
  }

  override async listChainedPage(request: ListPageRequest): Promise<ChainedSourcePage> {
    const page = await super.listChainedPage(request);
    return { ...page, records: page.records.map(withPrimary) };
  }

  override update(stream: string, externalId: string, fields: SourceRecord, precondition?: WritePrecondition): Promise<WriteResult> {
    const turn = this.mutations.then(() => this.updateNow(stream, externalId, fields, precondition));
    // The next one waits for this one to settle, whether it succeeded or not.
    this.mutations = turn.catch(() => undefined);
    return turn;
  }

  private async updateNow(stream: string, externalId: string, fields: SourceRecord, precondition?: WritePrecondition): Promise<WriteResult> {
    try {
      const result = await super.update(stream, externalId, fields, precondition);
      return { ...result, record: withPrimary(result.record) };
    } catch (error) {
      // The engine meets its changes with the current contact: it must read as a listed one does.
      if (!(error instanceof WriteConflictError) || error.current === undefined) throw error;
      throw new WriteConflictError({ ...(error.status !== undefined ? { status: error.status } : {}), code: error.code, message: error.message, current: withPrimary(error.current) });
    }
  }
}
