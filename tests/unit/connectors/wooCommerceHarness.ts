import { afterEach } from 'vitest';
import { startFakeWooCommerce, type FakeWooCommerce, type FakeWooCommerceOptions } from '../../../dev/fakes/fakeWooCommerce.js';
import {
  createWooCommerceConnector,
  type WooCommerceConnector,
  type WooCommerceConnectorOptions,
} from '../../../shared/connectors/woocommerce/wooCommerceConnector.js';
import type { WooCommerceSettingsInput } from '../../../shared/connectors/woocommerce/wooCommerceSettings.js';
import { loopbackOutbound } from '../sync/loopbackOutbound.js';

interface Credentials {
  consumerKey: string;
  consumerSecret: string;
}

export interface ConnectOptions {
  settings?: Partial<WooCommerceSettingsInput>;
  options?: WooCommerceConnectorOptions;
  secrets?: Credentials;
}

/**
 * Fake stores and connectors for a test file, all closed after each test. Connectors' retries
 * sleep for nothing but record in `delays` how long they would have waited, with fixed jitter.
 */
export function wooCommerceHarness(defaults: {
  seed: number;
  counts: FakeWooCommerceOptions['counts'];
  credentials: Credentials;
  /** Connector options when a test gives none. */
  options?: WooCommerceConnectorOptions;
}) {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  });

  async function fake(options: Partial<FakeWooCommerceOptions> = {}): Promise<FakeWooCommerce> {
    const store = await startFakeWooCommerce({ seed: defaults.seed, counts: defaults.counts, ...defaults.credentials, ...options });
    cleanups.push(() => store.close());
    return store;
  }

  function connect(store: FakeWooCommerce, given: ConnectOptions = {}): { connector: WooCommerceConnector; delays: number[] } {
    const delays: number[] = [];
    const connector = createWooCommerceConnector({ baseUrl: store.url, ...given.settings }, given.secrets ?? defaults.credentials, loopbackOutbound(), {
      sleep: async (ms) => {
        delays.push(ms);
      },
      random: () => 0.5,
      ...(given.options ?? defaults.options),
    });
    cleanups.push(() => connector.close());
    return { connector, delays };
  }

  return { fake, connect };
}
