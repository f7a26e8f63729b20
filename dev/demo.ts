import { parseArgs } from 'node:util';
import { ConfigError } from '../shared/configError.js';
import { startDemo } from './demoRun.js';
import { progressLine } from './progressLine.js';

/**
 * `npm run demo -- --records N [--once] [--seed S] [--store cosmos] [--bus servicebus]`: a full
 * sync from a fake WooCommerce store into shards, on embedded defaults or on the Azure SDK
 * adapters against local test servers. The last stdout line is one JSON object with the outcome.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      records: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '42' },
      once: { type: 'boolean', default: false },
      store: { type: 'string', default: 'embedded' },
      bus: { type: 'string', default: 'embedded' },
    },
  });
  if (values.store !== 'embedded' && values.store !== 'cosmos') throw new UsageError(`--store must be embedded or cosmos, not "${values.store}"`);
  if (values.bus !== 'embedded' && values.bus !== 'servicebus') throw new UsageError(`--bus must be embedded or servicebus, not "${values.bus}"`);
  const records = Number(values.records);
  const seed = Number(values.seed);
  if (!Number.isInteger(records) || records < 1 || records > 5_000_000) {
    throw new UsageError(`--records must be a whole number from 1 to 5000000, not "${values.records}"`);
  }
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be a whole number, not "${values.seed}"`);

  const interactive = process.stderr.isTTY;
  let lastLine = 0;
  const demo = await startDemo({ records, seed, store: values.store, bus: values.bus });
  if (demo.adminKey?.created) console.error(`admin key (shown once${demo.adminKey.file ? `; kept in ${demo.adminKey.file}` : ''}): ${demo.adminKey.key}`);
  const outcome = await demo.sync({
    onProgress: (view) => {
      const now = Date.now();
      if (!interactive && now - lastLine < 1000) return;
      lastLine = now;
      process.stderr.write(interactive ? `\r${progressLine(view)}` : `${progressLine(view)}\n`);
    },
  });
  if (interactive) process.stderr.write(`\r${progressLine(outcome.view)}\n`);

  const rows = Object.entries(outcome.view.streams as Record<string, { counts: Record<string, number> }>).map(([stream, s]) => ({
    stream,
    ...s.counts,
  }));
  rows.push({ stream: 'total', ...outcome.counts });
  console.table(rows);
  console.log(`status ${outcome.status} in ${outcome.durationMs} ms (${Math.round((records / outcome.durationMs) * 1000)} records/s)`);
  for (const error of outcome.view.lastErrors ?? []) console.log(`error: ${error.stage} ${error.errorClass}: ${error.message}`);
  console.log(JSON.stringify({ executionId: outcome.executionId, status: outcome.status, counts: outcome.counts, durationMs: outcome.durationMs }));

  if (demo.storeRecord) console.error(`the fake store's port, seed and counts are kept in ${demo.storeRecord}: \`npm start\` on this data directory starts the store again`);
  if (values.once) {
    await demo.stop();
    process.exit(outcome.status === 'success' ? 0 : 1);
  }
  console.error(`the host keeps running at ${demo.hostUrl}/api (Ctrl+C stops it); try:`);
  const key = demo.adminKey;
  const bearer = key?.file ? `"Authorization: Bearer $(cat ${key.file})"` : `"Authorization: Bearer ${key?.key ?? '<key>'}"`;
  console.error(`  curl -H ${bearer} ${demo.hostUrl}/api/tenants/demo/shards`);
  const stop = () => void demo.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  console.error(error instanceof UsageError || error instanceof ConfigError ? error.message : error);
  process.exit(error instanceof UsageError ? 2 : 1);
});
