import type { z } from 'zod';
import type { Connector, StreamInfo } from './connector.js';
import type { ProviderName } from '../core/schemas/connection.js';

/** What the engine needs to know about a provider before and while talking to it. */
export interface ProviderDefinition {
  provider: ProviderName;
  settingsSchema: z.ZodType;
  credentialsSchema: z.ZodType;
  streams: StreamInfo[];
  create(settings: unknown, credentials: unknown): Connector;
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
