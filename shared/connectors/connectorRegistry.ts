import type { z } from 'zod';
import type { Connector, StreamInfo } from './connector.js';
import type { ProviderName } from '../core/schemas/connection.js';
import type { OutboundGuard } from './http/outboundGuard.js';

/** What a connector is built with besides its settings and credentials. */
export interface ProviderContext {
  /** Every connection to the provider goes through `outbound.agent(…)`, so internal destinations are refused when connecting. */
  outbound: OutboundGuard;
}

/** What the engine needs to know about a provider before and while talking to it. */
export interface ProviderDefinition {
  provider: ProviderName;
  settingsSchema: z.ZodType;
  credentialsSchema: z.ZodType;
  streams: StreamInfo[];
  /** Top-level settings holding URLs the connector calls: each is checked by the outbound guard when a connection is saved. */
  urlSettings: readonly string[];
  create(settings: unknown, credentials: unknown, context: ProviderContext): Connector;
}

export class ConnectorRegistry {
  private readonly byProvider: Map<string, ProviderDefinition>;

  constructor(definitions: ProviderDefinition[]) {
    this.byProvider = new Map(definitions.map((definition) => [definition.provider, definition]));
  }

  get(provider: string): ProviderDefinition {
    const definition = this.byProvider.get(provider);
    if (!definition) throw new Error(`no connector is registered for provider "${provider}"`);
    return definition;
  }
}
