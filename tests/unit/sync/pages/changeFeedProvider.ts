import { z } from 'zod';
import { request, type Agent } from 'undici';
import type { ChainedSourcePage, Connector, ListPageRequest, SourcePage, StreamInfo } from '../../../../shared/connectors/connector.js';
import type { ProviderDefinition } from '../../../../shared/connectors/providerDefinition.js';
import { wooCommerceProvider } from '../../../../shared/connectors/woocommerce/wooCommerceProvider.js';
import { AuthError } from '../../../../shared/connectors/authError.js';
import { ProviderError } from '../../../../shared/connectors/providerError.js';
import { IncrementalStateExpiredError } from '../../../../shared/connectors/incrementalStateExpiredError.js';
import type { OutboundGuard } from '../../../../shared/connectors/http/outboundGuard.js';

const streams: StreamInfo[] = [
  { name: 'items', idField: 'id', modifiedField: 'updated_at', dependsOn: [], serverFiltersModified: true, paging: 'chained', connectorState: true },
];

const settingsSchema = z.object({ baseUrl: z.url() }).strict();
const credentialsSchema = z.object({ token: z.string().min(1) }).strict();
const feedPage = z.object({ items: z.array(z.record(z.string(), z.unknown())), deleted: z.array(z.string()), next_cursor: z.string().nullable(), sync_token: z.string() });
/** The connector's incremental state: the feed's sync token after the last complete read. */
const feedState = z.object({ syncToken: z.string() });

/** A connector over the fake change feed: cursor paging, and a sync token as its incremental state. */
class ChangeFeedConnector implements Connector {
  readonly provider = 'change-feed';
  private readonly agent: Agent;

  constructor(
    private readonly settings: z.infer<typeof settingsSchema>,
    private readonly credentials: z.infer<typeof credentialsSchema>,
    outbound: OutboundGuard,
  ) {
    this.agent = outbound.agent();
  }

  streams(): StreamInfo[] {
    return streams;
  }

  listPage(request_: ListPageRequest): Promise<SourcePage> {
    return Promise.reject(new ProviderError({ code: 'not_numbered', message: `${request_.stream} is read by cursor`, retriable: false }));
  }

  async listChainedPage(request_: ListPageRequest): Promise<ChainedSourcePage> {
    const query = new URLSearchParams({ limit: String(request_.perPage) });
    // The cursor carries the read it continues; only the first page starts from the state.
    if (request_.next !== undefined) query.set('cursor', request_.next);
    else if (request_.state !== undefined) query.set('sync_token', feedState.parse(request_.state).syncToken);
    const body = feedPage.parse(await this.get(`/items?${query}`));
    return {
      records: body.items,
      page: request_.page,
      ...(body.next_cursor ? { next: body.next_cursor } : {}),
      ...(body.deleted.length > 0 ? { deletedIds: body.deleted } : {}),
      state: { syncToken: body.sync_token },
    };
  }

  async testConnection(): Promise<void> {
    await this.get('/items?limit=1');
  }

  private async get(path: string): Promise<unknown> {
    const response = await request(new URL(path, this.settings.baseUrl), {
      headers: { authorization: `Bearer ${this.credentials.token}` },
      dispatcher: this.agent,
    });
    const body = (await response.body.json()) as { error?: { code?: string; message?: string } };
    if (response.statusCode === 200) return body;
    const init = { status: response.statusCode, code: body.error?.code ?? 'http_error', message: body.error?.message ?? `HTTP ${response.statusCode}` };
    if (response.statusCode === 401 || response.statusCode === 403) throw new AuthError(init);
    if (response.statusCode === 410 && init.code === 'sync_token_expired') throw new IncrementalStateExpiredError(init);
    throw new ProviderError({ ...init, retriable: response.statusCode >= 500 });
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** A provider whose one stream (`items`) pages by cursor and owns its incremental state; WooCommerce's webhooks stand in for its own. */
export const changeFeedProvider: ProviderDefinition = {
  ...wooCommerceProvider,
  provider: 'change-feed',
  settingsSchema,
  credentialsSchema: () => credentialsSchema,
  documentedCredentials: credentialsSchema,
  streams: () => streams,
  maxPageSize: () => 100,
  urls: (settings) => [{ path: 'settings.baseUrl', url: settingsSchema.parse(settings).baseUrl }],
  create: (settings, credentials, context) =>
    new ChangeFeedConnector(settingsSchema.parse(settings), credentialsSchema.parse(credentials), context.outbound),
};
