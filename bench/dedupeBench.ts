import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { labeledCustomerStream, type LabeledRecord } from '../dev/fakes/labeledDuplicates.js';
import { openDatabase, type SqliteDatabase } from '../shared/adapters/embedded/sqliteDatabase.js';
import { SqliteStore } from '../shared/adapters/embedded/sqliteStore.js';
import { defaultDedupeRules } from '../shared/core/dedupe/defaultDedupeRules.js';
import type { MatchQuality } from '../shared/core/dedupe/matchQuality.js';
import { prepareRecord, scorePrepared } from '../shared/core/dedupe/matchScore.js';
import { systemClock } from '../shared/ports/clock.js';
import type { EntityRecord } from '../shared/core/dedupe/resolutionCandidate.js';
import { resolveEntities } from '../shared/sync/entityResolution/entityIndex.js';
import { createSyncCaches } from '../shared/sync/syncCaches.js';
import type { Figure } from './benchReport.js';

const RULES = defaultDedupeRules.customer;
const TENANT = 'bench';
/** Records per call of the stage, a page of a sync: larger pages share more reads but lose more races between the workers. */
const BATCH = 100;
/** Workers resolving batches at once, each with its own connection to one database, as Functions instances would. */
const WORKERS = Math.min(2, availableParallelism());
const BASELINE_RECORDS = 5_000;
/**
 * Records generated before the clock runs again. Generating them is not the stage (in production
 * records arrive from fetch functions elsewhere), and on this machine's two cores a generator in
 * the main thread would take CPU from the workers; a chunk at a time keeps memory flat.
 */
const CHUNK = 50_000;

type Task =
  | { kind: 'resolve'; records: EntityRecord[] }
  | { kind: 'pairs'; records: unknown[]; worker: number; workers: number }
  | { kind: 'close' };

interface Resolved {
  /** Per record: the position of the record it was merged into, or -1 for a new entity. */
  survivors: number[];
  compared: number;
  scored: number;
  raced: number;
}

/** Shard ids are stream positions, so a decision maps back to its record without a table. */
const shardId = (position: number) => `shd${position}`;
const positionOf = (id: string) => Number(id.slice(3));

/**
 * The de-duplication stage (resolveEntities, look-ups through the embedded Store on a temp-file
 * database) over 100,000 and 1,000,000 generated customer records, batch by batch in two workers;
 * quality against the labels; and every pair of a 5,000-record slice scored, as the cost blocking
 * avoids. Records are generated a chunk at a time with the clock stopped (see CHUNK).
 */
export async function dedupeBench(): Promise<Figure[]> {
  const small = await runStage(100_000);
  const large = await runStage(1_000_000, { sampleRss: true });
  const slice = await runStage(BASELINE_RECORDS);
  const baseline = await pairwiseBaseline(BASELINE_RECORDS);
  const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
  const perRecord = (run: StageRun) => (run.seconds * 1e6) / run.records;
  const figure = (metric: string, value: number, unit: string, target?: string): Figure => ({ bench: 'dedupe', metric, value, unit, ...(target ? { target } : {}) });
  return [
    figure('f1', round(large.quality.f1, 4), 'ratio'),
    figure('precision', round(large.quality.precision, 4), 'ratio'),
    figure('recall', round(large.quality.recall, 4), 'ratio'),
    figure('seconds_100k', round(small.seconds, 1), 's'),
    figure('seconds_1m', round(large.seconds, 1), 's', '< 120'),
    figure('us_per_record_100k', round(perRecord(small), 1), 'us'),
    figure('us_per_record_1m', round(perRecord(large), 1), 'us'),
    figure('cost_ratio_1m_vs_100k', round(perRecord(large) / perRecord(small)), 'x', '0.75-1.25'),
    figure('peak_rss_mb_1m', Math.round(large.peakRssMb), 'MB', '< 1536'),
    figure('comparisons_per_record', round(large.compared / large.records), 'pairs'),
    figure('scored_per_record', round(large.scored / large.records), 'pairs'),
    figure('raced_records_1m', large.raced, 'records'),
    figure('f1_5k', round(slice.quality.f1, 4), 'ratio'),
    figure('baseline_f1_5k', round(baseline.quality.f1, 4), 'ratio'),
    figure('baseline_us_per_record_5k', Math.round((baseline.seconds * 1e6) / BASELINE_RECORDS), 'us'),
  ];
}

interface StageRun {
  records: number;
  seconds: number;
  quality: MatchQuality;
  compared: number;
  scored: number;
  raced: number;
  peakRssMb: number;
}

async function runStage(records: number, options: { sampleRss?: boolean } = {}): Promise<StageRun> {
  const dir = mkdtempSync(join(tmpdir(), 'shardsync-dedupe-'));
  const path = join(dir, 'shardsync.db');
  openDatabase(path).close(); // the schema, before two workers open the file at once
  const pool = new WorkerPool(path);
  let peakRss = process.memoryUsage.rss();
  const sampler = options.sampleRss ? setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50) : undefined;
  try {
    const labels = new Int32Array(records);
    const survivors = new Int32Array(records);
    const totals = { compared: 0, scored: 0, raced: 0 };
    let elapsed = 0n;
    let chunk: Array<{ first: number; entities: EntityRecord[] }> = [];
    // Timed: the workers resolving a chunk of batches, two at a time, the main thread only handing them out.
    const resolveChunk = async () => {
      const started = process.hrtime.bigint();
      const running = new Set<Promise<void>>();
      for (const { first, entities } of chunk) {
        if (running.size >= WORKERS) await Promise.race(running);
        const job = pool.run<Resolved>({ kind: 'resolve', records: entities }).then((resolved) => {
          resolved.survivors.forEach((survivor, index) => (survivors[first + index] = survivor < 0 ? first + index : survivor));
          totals.compared += resolved.compared;
          totals.scored += resolved.scored;
          totals.raced += resolved.raced;
          running.delete(job);
        });
        running.add(job);
      }
      await Promise.all(running);
      elapsed += process.hrtime.bigint() - started;
      chunk = [];
    };
    let position = 0;
    for (const batch of batches(labeledCustomerStream({ records }), BATCH)) {
      const first = position;
      chunk.push({
        first,
        entities: batch.map((record, index) => {
          labels[first + index] = Number(record.clusterId.slice('person-'.length));
          return { shardId: shardId(first + index), data: record.data };
        }),
      });
      position += batch.length;
      if (position - chunk[0]!.first >= CHUNK) await resolveChunk();
    }
    if (chunk.length > 0) await resolveChunk();
    const seconds = Number(elapsed) / 1e9;
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    return { records, seconds, quality: pairQuality(survivors, labels), ...totals, peakRssMb: peakRss / 2 ** 20 };
  } finally {
    clearInterval(sampler);
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every pair of the first records of the stream scored, rows shared among the workers; matches joined transitively. */
async function pairwiseBaseline(records: number): Promise<{ seconds: number; quality: MatchQuality }> {
  const slice = [...labeledCustomerStream({ records })];
  const pool = new WorkerPool();
  try {
    const started = process.hrtime.bigint();
    const data = slice.map((record) => record.data);
    const parts = await Promise.all(
      Array.from({ length: WORKERS }, (_, worker) => pool.run<number[]>({ kind: 'pairs', records: data, worker, workers: WORKERS })),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const parent = Int32Array.from(slice, (_, index) => index);
    const root = (index: number): number => {
      while (parent[index] !== index) index = parent[index] = parent[parent[index]!]!;
      return index;
    };
    for (const pairs of parts) for (let k = 0; k < pairs.length; k += 2) parent[root(pairs[k]!)] = root(pairs[k + 1]!);
    const clusters = Int32Array.from(slice, (_, index) => root(index));
    return { seconds, quality: pairQuality(clusters, Int32Array.from(slice, (record) => Number(record.clusterId.slice('person-'.length)))) };
  } finally {
    await pool.close();
  }
}

function* batches(records: Iterable<LabeledRecord>, size: number): Generator<LabeledRecord[]> {
  let batch: LabeledRecord[] = [];
  for (const record of records) {
    batch.push(record);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Pairwise precision and recall from two labelings of the same records, without listing pairs
 * (a million records have tens of millions): pairs within a group of n are n(n-1)/2, and the true
 * ones are those within each (predicted, actual) combination.
 */
function pairQuality(predicted: Int32Array, actual: Int32Array): MatchQuality {
  const pairs = (values: Float64Array) => {
    values.sort();
    let total = 0;
    for (let start = 0, end = 1; start < values.length; start = end++) {
      while (end < values.length && values[end] === values[start]) end++;
      total += ((end - start) * (end - start - 1)) / 2;
    }
    return total;
  };
  // Both numberings stay below 2^21, so the combination is exact in a double.
  const both = Float64Array.from(predicted, (cluster, index) => cluster * 2 ** 21 + actual[index]!);
  const truePositives = pairs(both);
  const predictedPairs = pairs(Float64Array.from(predicted));
  const actualPairs = pairs(Float64Array.from(actual));
  // As matchQuality counts, which takes pair sets: too large to build here.
  const precision = predictedPairs === 0 ? 1 : truePositives / predictedPairs;
  const recall = actualPairs === 0 ? 1 : truePositives / actualPairs;
  return {
    truePositives,
    falsePositives: predictedPairs - truePositives,
    falseNegatives: actualPairs - truePositives,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
  };
}

/** Workers that take one task at a time; a task waits for the first idle one. */
class WorkerPool {
  readonly #workers: Worker[];
  readonly #idle: Worker[];
  readonly #waiting: Array<(worker: Worker) => void> = [];

  constructor(databasePath?: string) {
    this.#workers = Array.from({ length: WORKERS }, () => new Worker(new URL(import.meta.url), { workerData: { dedupeBench: { databasePath } } }));
    this.#idle = [...this.#workers];
  }

  async run<T>(task: Task): Promise<T> {
    const worker = this.#idle.pop() ?? (await new Promise<Worker>((resolve) => this.#waiting.push(resolve)));
    try {
      return await call<T>(worker, task);
    } finally {
      const next = this.#waiting.shift();
      if (next) next(worker);
      else this.#idle.push(worker);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => call(worker, { kind: 'close' })));
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }
}

function call<T>(worker: Worker, task: Task): Promise<T> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      worker.off('message', settle);
      reject(error);
    };
    const settle = (reply: { result?: T; error?: string }) => {
      worker.off('error', fail);
      if (reply.error === undefined) resolve(reply.result as T);
      else reject(new Error(`dedupe bench worker: ${reply.error}`));
    };
    worker.once('message', settle);
    worker.once('error', fail);
    worker.postMessage(task);
  });
}

/** A worker: its own connection to the run's database, one task at a time. */
function serve(databasePath: string | undefined): void {
  let db: SqliteDatabase | undefined;
  let store: SqliteStore | undefined;
  const caches = createSyncCaches();
  const perform = async (task: Task): Promise<unknown> => {
    switch (task.kind) {
      case 'resolve': {
        if (!store) {
          db = openDatabase(databasePath!);
          store = new SqliteStore(db, systemClock);
        }
        const { decisions, compared, scored, raced } = await resolveEntities({ store, caches }, TENANT, RULES, task.records);
        const survivors = decisions.map((decision) => (decision.kind === 'match' ? positionOf(decision.survivorId) : -1));
        return { survivors, compared, scored, raced } satisfies Resolved;
      }
      case 'pairs': {
        const prepared = task.records.map((data) => prepareRecord(data, RULES));
        const matches: number[] = [];
        for (let i = task.worker; i < prepared.length; i += task.workers) {
          for (let j = i + 1; j < prepared.length; j++) if (scorePrepared(prepared[i]!, prepared[j]!, RULES).isMatch) matches.push(i, j);
        }
        return matches;
      }
      case 'close':
        db?.close();
        return undefined;
    }
  };
  parentPort!.on('message', (task: Task) => {
    perform(task).then(
      (result) => parentPort!.postMessage({ result }),
      (error: unknown) => parentPort!.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
}

const role = (workerData as { dedupeBench?: { databasePath?: string } } | null)?.dedupeBench;
if (!isMainThread && role) serve(role.databasePath);
