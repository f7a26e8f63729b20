import { report, type Figure } from './benchReport.js';
import { conflictsBench } from './conflictsBench.js';
import { connectorsBench } from './connectorsBench.js';
import { dedupeBench } from './dedupeBench.js';
import { demoBench } from './demoBench.js';
import { pipelineBench } from './pipelineBench.js';
import { storeOpsBench } from './storeOpsBench.js';
import { transformBench } from './transformBench.js';
import { webhookLatencyBench } from './webhookLatencyBench.js';

/** `npm run bench` runs every benchmark; `npm run bench -- NAME` one of them. */
const benches: Record<string, () => Promise<Figure[]>> = {
  pipeline: pipelineBench,
  demo: demoBench,
  'store-ops': storeOpsBench,
  'webhook-latency': webhookLatencyBench,
  transform: transformBench,
  dedupe: dedupeBench,
  conflicts: conflictsBench,
  connectors: connectorsBench,
};

const names = process.argv.slice(2);
const unknown = names.filter((name) => !(name in benches));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
const figures: Figure[] = [];
for (const name of names.length > 0 ? names : Object.keys(benches)) {
  // Benchmarks point the runtime at their own servers through the environment: each starts clean.
  const environment = { ...process.env };
  figures.push(...(await benches[name]!()));
  for (const key of Object.keys(process.env)) if (!(key in environment)) delete process.env[key];
  Object.assign(process.env, environment);
}
report(figures);
process.exit(0);
