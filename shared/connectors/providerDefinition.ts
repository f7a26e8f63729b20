import type { z } from 'zod';
import type { Connector, SourceRecord, StreamInfo } from './connector.js';
import type { OutboundGuard } from './http/outboundGuard.js';
import type { TokenEndpoint } from './oauth/tokenEndpoint.js';
import type { TokenSource } from './oauth/tokenSource.js';
import type { ProviderWebhooks } from './providerWebhooks.js';

/** What a connector is built with besides its settings and credentials. */
export interface ProviderContext {
  /** Every connection to the provider goes through `outbound.agent(…)`, so internal destinations are refused when connecting. */
  outbound: OutboundGuard;
  /** OAuth 2 connectors: the connection's token source, whose refreshes every worker and host share. */
  tokens?: (endpoint: TokenEndpoint) => TokenSource;
}

/** A URL a connection's settings make the connector call, checked by the outbound guard when the connection is saved. */
export interface SettingsUrl {
  /** Where in the request it comes from, e.g. `settings.baseUrl`. */
  path: string;
  url: string;
}

/**
 * What the engine needs to know about a provider before and while talking to it. Settings arrive
 * validated by `settingsSchema`; a provider whose streams are defined by its settings
 * (`generic-rest`) answers per connection.
 */
export interface ProviderDefinition {
  provider: string;
  settingsSchema: z.ZodType;
  /** The credentials a connection with these settings saves. */
  credentialsSchema: (settings: unknown) => z.ZodType;
  /** The shape of any connection's credentials, for the API description. */
  documentedCredentials: z.ZodType;
  streams(settings: unknown): StreamInfo[];
  /** The most records the provider serves per page: a run asks for its batch size, within this. */
  maxPageSize(settings: unknown): number;
  /** The URLs the connector will call: each is checked by the outbound guard when a connection is saved. */
  urls(settings: unknown): SettingsUrl[];
  webhooks: ProviderWebhooks;
  /** Requests per minute a connection stays under when its `protection` names none: the provider's documented limit, less a margin. */
  defaultRequestsPerMinute?: number;
  /**
   * Who keeps the fields both sides changed when an update was refused as stale (WriteConflictError
   * with the current record): `ours` the shard, `theirs` the provider, `conflict` a person. It
   * replaces the task's strategy for that settlement; undefined (or absent) leaves the task's.
   * `localModifiedAt` is the shard's change time (ISO). Pure (ERPNext: last write wins).
   */
  settleRefusedUpdate?(settings: unknown, stream: string, localModifiedAt: string, current: SourceRecord): 'ours' | 'theirs' | 'conflict' | undefined;
  create(settings: unknown, credentials: unknown, context: ProviderContext): Connector;
}
