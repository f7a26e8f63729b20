import type { z } from 'zod';
import type { Connector, StreamInfo } from './connector.js';
import type { OutboundGuard } from './http/outboundGuard.js';
import type { ProviderWebhooks } from './providerWebhooks.js';

/** What a connector is built with besides its settings and credentials. */
export interface ProviderContext {
  /** Every connection to the provider goes through `outbound.agent(…)`, so internal destinations are refused when connecting. */
  outbound: OutboundGuard;
}

/** What the engine needs to know about a provider before and while talking to it. */
export interface ProviderDefinition {
  provider: string;
  settingsSchema: z.ZodType;
  credentialsSchema: z.ZodType;
  streams: StreamInfo[];
  /** The most records the provider serves per page: a run asks for its batch size, within this. */
  maxPageSize: number;
  /** Top-level settings holding URLs the connector calls: each is checked by the outbound guard when a connection is saved. */
  urlSettings: readonly string[];
  webhooks: ProviderWebhooks;
  create(settings: unknown, credentials: unknown, context: ProviderContext): Connector;
}
