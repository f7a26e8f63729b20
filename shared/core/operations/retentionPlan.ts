import type { z } from 'zod';
import type { Execution } from '../schemas/execution.js';
import { TERMINAL_STATUSES } from '../schemas/execution.js';
import { tenantRetention } from '../schemas/tenant.js';

export type RetentionSettings = z.infer<typeof tenantRetention>;
export type RetentionKind = 'executions' | 'failures' | 'activity' | 'idempotencyKeys';

const DAY_MS = 24 * 3600 * 1000;
const DEFAULTS: RetentionSettings = tenantRetention.parse({});

const daysOf = (settings: Partial<RetentionSettings> | undefined, kind: RetentionKind): number =>
  // Tenants saved before retention settings existed have none stored: they get the defaults.
  ({ ...DEFAULTS, ...settings })[`${kind}Days`];

/** Per kind, the instant before which finished documents of that kind are removed. */
export function retentionCutoffs(settings: Partial<RetentionSettings> | undefined, now: Date): Record<RetentionKind, Date> {
  const cutoff = (kind: RetentionKind) => new Date(now.getTime() - daysOf(settings, kind) * DAY_MS);
  return {
    executions: cutoff('executions'),
    failures: cutoff('failures'),
    activity: cutoff('activity'),
    idempotencyKeys: cutoff('idempotencyKeys'),
  };
}

/** The same retention as a document TTL in seconds, for kinds the store can expire by itself. */
export function retentionTtlSeconds(settings: Partial<RetentionSettings> | undefined, kind: RetentionKind): number {
  return daysOf(settings, kind) * 24 * 3600;
}

/** Only finished runs go: a run still queued or running is kept however old it is. */
export function isExecutionExpired(execution: Pick<Execution, 'status' | 'finishedAt'>, cutoff: Date): boolean {
  return (
    TERMINAL_STATUSES.has(execution.status) &&
    execution.finishedAt !== undefined &&
    Date.parse(execution.finishedAt) < cutoff.getTime()
  );
}
