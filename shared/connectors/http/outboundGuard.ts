import { Agent, type Dispatcher, type buildConnector } from 'undici';
import type { HostResolver } from '../../ports/hostResolver.js';
import type { OutboundAllowList } from '../../core/security/outboundAllowList.js';
import { judgeOutboundUrl, judgeResolvedAddresses } from '../../core/security/outboundDestination.js';
import { guardedConnector } from './guardedConnector.js';
import { ProviderCallAgent, type ProviderCallLabels } from '../../observability/providerCallAgent.js';

/** A tenant-supplied URL and where it sits in the request body, e.g. `settings.baseUrl`. */
export interface UrlField {
  path: string;
  url: string;
}

export interface UrlProblem {
  path: string;
  message: string;
}

/**
 * undici Agent options; `connect` takes connect options only, since the guard supplies the
 * connector. `calls` (set by a connection's guard) makes each request a client span (observability/).
 */
export type GuardedAgentOptions = Omit<Agent.Options, 'connect'> & { connect?: buildConnector.BuildOptions; calls?: ProviderCallLabels };

/**
 * Keeps tenant-supplied URLs (connection base URLs, alert URLs) away from internal destinations:
 * checked when they are saved, so the tenant hears of it at once, and again on every connection,
 * against the address actually connected to. Only `allowList` gets through what the policy
 * refuses (shared/core/security/).
 */
export class OutboundGuard {
  private shared: Agent | undefined;

  constructor(
    private readonly allowList: OutboundAllowList,
    private readonly resolver: HostResolver,
  ) {}

  /**
   * This guard for one connection's connector: its agents trace and measure each call by provider
   * and connection. A view that asks this guard for every agent, so it is this guard's agents.
   */
  forConnection(labels: ProviderCallLabels): OutboundGuard {
    const view = Object.create(this) as OutboundGuard;
    view.agent = (options: GuardedAgentOptions = {}) => this.agent({ ...options, calls: labels });
    // The guard's shared agent stays the guard's to close.
    view.close = async () => {};
    return view;
  }

  /**
   * The save-time check: each URL parsed, judged, its host name resolved and every address
   * judged. Returns a problem per refused URL (none: all may be saved); never throws.
   */
  async checkUrls(fields: readonly UrlField[]): Promise<UrlProblem[]> {
    const problems = await Promise.all(
      fields.map(async ({ path, url }) => {
        const refusal = await this.refusalOf(url);
        return refusal === undefined ? [] : [{ path, message: `refused: ${refusal}` }];
      }),
    );
    return problems.flat();
  }

  /** An Agent whose every connection is checked when it is made (see guardedConnector). */
  agent(options: GuardedAgentOptions = {}): Agent {
    const { connect, calls, ...rest } = options;
    const guarded = { ...rest, connect: guardedConnector(this.allowList, this.resolver, connect) };
    return calls ? new ProviderCallAgent(calls, guarded) : new Agent(guarded);
  }

  /** One guarded Agent with default options, for occasional requests (alerts). */
  get dispatcher(): Dispatcher {
    this.shared ??= this.agent();
    return this.shared;
  }

  async close(): Promise<void> {
    await this.shared?.close();
    this.shared = undefined;
  }

  private async refusalOf(url: string): Promise<string | undefined> {
    const verdict = judgeOutboundUrl(url, this.allowList);
    if (verdict.kind !== 'resolve') return verdict.kind === 'refused' ? verdict.reason : undefined;
    let addresses;
    try {
      addresses = await this.resolver.resolve(verdict.hostName);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      return `${verdict.hostName} could not be resolved${typeof code === 'string' ? ` (${code})` : ''}`;
    }
    if (addresses.length === 0) return `${verdict.hostName} does not resolve to any address`;
    return judgeResolvedAddresses(verdict.hostName, addresses.map((entry) => entry.address), this.allowList);
  }
}
