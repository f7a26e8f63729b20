import { detectConflicts } from '../shared/core/conflicts/conflictDetector.js';
import type { ConflictHookRegistry } from '../shared/core/conflicts/customHooks.js';
import { conflictResolution, resolveConflicts } from '../shared/core/conflicts/resolutionStrategy.js';
import { snapshotOf, type Snapshot } from '../shared/core/conflicts/snapshot.js';
import type { Figure } from './benchReport.js';

const RECORDS = 10_000;
const ROUNDS = 7;

/** The 20 fields of a customer shard, as dotted paths: 12 top-level, 8 in two nested objects, one an array. */
const FIELDS = [
  'externalId', 'email', 'firstName', 'lastName', 'phone', 'company', 'role', 'isPaying', 'totalSpent', 'ordersCount', 'tags', 'note',
  'address.street', 'address.city', 'address.postcode', 'address.country', 'shipping.street', 'shipping.city', 'shipping.postcode', 'shipping.country',
] as const;

function baseRecord(i: number): Record<string, unknown> {
  return {
    externalId: String(i),
    email: `customer${i}@example.com`,
    firstName: `First${i % 97}`,
    lastName: `Last${i % 89}`,
    phone: `+1 415 555 ${String(i % 10_000).padStart(4, '0')}`,
    company: `Company ${i % 53}`,
    role: i % 3 === 0 ? 'administrator' : 'customer',
    isPaying: i % 2 === 0,
    totalSpent: (i * 37) % 5000,
    ordersCount: i % 40,
    tags: ['retail', `segment-${i % 7}`],
    note: null,
    address: { street: `${i} Main St`, city: 'San Francisco', postcode: '94103', country: 'US' },
    shipping: { street: `${i} Side St`, city: 'Oakland', postcode: '94607', country: 'US' },
  };
}

function withField(record: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, leaf] = path.split('.') as [string, string | undefined];
  return leaf === undefined ? { ...record, [head]: value } : { ...record, [head]: { ...(record[head] as Record<string, unknown>), [leaf]: value } };
}

/** Each side changed 3 fields since the base, one of them the same field; which fields varies by record. */
function sides(i: number): [Snapshot, Snapshot, Snapshot] {
  const base = baseRecord(i);
  const field = (offset: number) => FIELDS[(i + offset) % FIELDS.length]!;
  let local = withField(base, field(0), `local ${i}`);
  let remote = withField(base, field(0), `remote ${i}`);
  local = withField(withField(local, field(3), `local ${i}`), field(7), `local ${i}`);
  remote = withField(withField(remote, field(11), `remote ${i}`), field(15), `remote ${i}`);
  // Each side as read from its own store: no objects shared between them, as the spreads above would.
  return [base, local, remote].map((data) => snapshotOf(structuredClone(data))) as [Snapshot, Snapshot, Snapshot];
}

/** Three-way detection (and, for reference, resolution) per record, on records prepared outside the timed loops. */
export async function conflictsBench(): Promise<Figure[]> {
  const records = Array.from({ length: RECORDS }, (_, i) => sides(i));
  for (const [base, local, remote] of records) {
    const detection = detectConflicts(base, local, remote);
    if (detection.conflicts.length !== 1 || detection.localOnly.length !== 2 || detection.remoteOnly.length !== 2) {
      throw new Error(`conflicts bench: unexpected detection for customer ${String(base.data.externalId)}: ${JSON.stringify(detection)}`);
    }
  }
  const detections = records.map(([base, local, remote]) => detectConflicts(base, local, remote));
  const config = conflictResolution.parse({ strategy: 'merge', fallback: 'newest_wins' });
  const context = { stream: 'customers', localModifiedAt: '2026-03-02T10:00:00Z', remoteModifiedAt: '2026-03-01T10:00:00Z' };
  const hooks: ConflictHookRegistry = new Map();

  const best = (run: (i: number) => unknown): number => {
    let us = Infinity;
    for (let round = 0; round < ROUNDS; round++) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < RECORDS; i++) run(i);
      us = Math.min(us, Number(process.hrtime.bigint() - started) / 1000 / RECORDS);
    }
    return us;
  };
  const detectUs = best((i) => {
    const [base, local, remote] = records[i]!;
    return detectConflicts(base, local, remote);
  });
  // Resolution hashes the data the sides end with: the figure includes that hashing.
  const resolveUs = best((i) => resolveConflicts(detections[i]!, config, context, hooks));
  const round2 = (value: number) => Math.round(value * 100) / 100;
  return [
    { bench: 'conflicts', metric: 'detect_us_per_record', value: round2(detectUs), unit: 'us', target: '<= 5' },
    { bench: 'conflicts', metric: 'resolve_us_per_record', value: round2(resolveUs), unit: 'us' },
  ];
}
