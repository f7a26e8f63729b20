import type { StreamInfo } from './connector.js';
import type { ProviderDefinition } from './providerDefinition.js';
import { connectionInputFor } from './registeredConnectionInput.js';

/** The providers the engine talks to, by name. */
export class ProviderRegistry {
  private readonly byName: Map<string, ProviderDefinition>;
  /** What a connection save takes: an unknown provider, or scheme named as a webhook `verifier`, is an input error listing the registered ones. */
  readonly connectionInput: ReturnType<typeof connectionInputFor>;

  constructor(definitions: readonly ProviderDefinition[]) {
    this.byName = new Map(definitions.map((definition) => [definition.provider, definition]));
    this.connectionInput = connectionInputFor([...this.byName.keys()]);
  }

  /** The definition of the provider named `name`; a saved connection names only registered ones. */
  definition(name: string): ProviderDefinition {
    const definition = this.byName.get(name);
    if (!definition) throw new Error(`no provider is registered as "${name}"`);
    return definition;
  }

  /** The streams a connection offers: the provider's, or those its settings define (`generic-rest`). */
  streamsOf(connection: { provider: string; settings: unknown }): StreamInfo[] {
    return this.definition(connection.provider).streams(connection.settings);
  }

  /** The stream `name` of a connection, if it offers one. */
  streamOf(connection: { provider: string; settings: unknown }, name: string): StreamInfo | undefined {
    return this.streamsOf(connection).find((stream) => stream.name === name);
  }

  /** Every registered provider, for what comes before a delivery's connection is known (webhook pings). */
  all(): readonly ProviderDefinition[] {
    return [...this.byName.values()];
  }
}
