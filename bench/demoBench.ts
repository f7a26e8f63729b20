import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Figure } from './benchReport.js';

const RECORDS = 10_000;

/**
 * The demo end to end on embedded defaults in a fresh data directory: records per second from
 * the 202 to the terminal status, for a first run (all created) and a re-run (all unchanged).
 */
export async function demoBench(): Promise<Figure[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shardsync-bench-'));
  process.env.SHARDSYNC_DATA_DIR = dataDir;
  process.env.SHARDSYNC_PORT = '0';
  // Imported after the settings are in place: the runtime reads them on first use.
  const { startDemo } = await import('../dev/demoRun.js');
  const demo = await startDemo({ records: RECORDS });
  try {
    const figures: Figure[] = [];
    for (const [metric, expected] of [['records_per_s', 'created'], ['records_per_s_rerun', 'unchanged']] as const) {
      const outcome = await demo.sync();
      if (outcome.status !== 'success' || outcome.counts[expected] !== RECORDS) {
        throw new Error(`demo bench run ended ${outcome.status} with ${JSON.stringify(outcome.counts)}`);
      }
      figures.push({ bench: 'demo', metric, value: Math.round((RECORDS / outcome.durationMs) * 1000), unit: 'records/s', ...(metric === 'records_per_s' ? { target: '>= 5000' } : {}) });
    }
    return figures;
  } finally {
    await demo.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
