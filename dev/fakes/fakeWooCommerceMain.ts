import { startFakeWooCommerce, type FakeWooCommerceOptions } from './fakeWooCommerce.js';

/**
 * The fake store as its own process (options as JSON in argv[2]), so that a demo or benchmark
 * does not share a CPU core with the engine it measures. Prints `listening <url>` when ready and
 * stops on SIGTERM or when its parent goes away.
 */
const options = JSON.parse(process.argv[2] ?? '{}') as FakeWooCommerceOptions;
const fake = await startFakeWooCommerce(options);
process.stdout.write(`listening ${fake.url}\n`);
const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
