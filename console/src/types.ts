/** The shapes of the API's answers the console reads (see docs/openapi.json). */
export type Counts = Record<'fetched' | 'created' | 'updated' | 'unchanged' | 'merged' | 'skipped' | 'failed' | 'conflicts' | 'deleted', number>;
export const COUNT_NAMES = ['fetched', 'created', 'updated', 'unchanged', 'merged', 'skipped', 'failed', 'conflicts', 'deleted'] as const;

export interface Connection {
  id: string;
  provider: string;
  providerState?: { circuit?: { state?: string } } | null;
}

export interface Task {
  id: string;
  connectionId: string;
  direction: string;
  streams: Array<{ stream: string }>;
  lastExecution?: { id: string; status: string; createdAt: string; finishedAt: string | null; counts: Counts } | null;
  lastSuccessfulSyncAt?: string | null;
  lastSuccessfulCounts?: Counts | null;
}

export interface Schedule {
  id: string;
  taskId: string;
  enabled: boolean;
  nextFireAt?: string | null;
}

export interface StreamView {
  counts: Counts;
  recordsTotal: number | null;
  pagesTotal: number | null;
  pagesDone: number;
  read?: { kind: string; reason: string | null } | null;
}

export interface Execution {
  id: string;
  taskId: string;
  connectionId: string;
  mode: string;
  dryRun: boolean;
  status: string;
  pauseReason: string | null;
  phase: string;
  counts: Counts;
  streams: Record<string, StreamView>;
  percent: number;
  total: number | null;
  etaMs: number | null;
  eta: string | null;
  startedAt?: string | null;
  finishedAt?: string | null;
  durationMs?: number | null;
  createdAt?: string;
  lastErrors: Array<{ at: string; stage: string; errorClass: string; message: string; stream?: string; externalId?: string }>;
}

export interface Conflict {
  id: string;
  type: string;
  status: string;
  shardId: string;
  shardType: string;
  connectionId: string;
  stream: string;
  externalId: string;
  path?: string;
  base?: unknown;
  local?: unknown;
  remote?: unknown;
  message?: string;
  createdAt: string;
}

export interface Failure {
  id: string;
  executionId: string;
  taskId?: string;
  stream?: string;
  stage: string;
  errorClass: string;
  message: string;
  status: string;
  attempts: number;
  payloadRef?: { externalId?: string };
  createdAt: string;
}

export interface Shard {
  id: string;
  shardType: string;
  data: Record<string, unknown>;
  externalRelationships: Array<{ connectionId: string; stream: string; externalId: string; lastSyncedAt: string }>;
  merges?: Array<{ source: string; shardId: string; score: number; matched: Array<{ field: string; kind: string; similarity: number }>; mergedAt: string }>;
  separatedFrom?: string[];
  updatedAt: string;
}

export const TERMINAL = new Set(['success', 'partial', 'failed', 'cancelled']);

export interface ScheduleView extends Schedule {
  cron?: string;
  interval?: { every: number; unit: string };
  timeZone: string;
  mode: string;
  missedRunPolicy: string;
  maxCatchUp: number;
  lastFiredAt?: string | null;
}

export interface ActivityEntry {
  id: string;
  at: string;
  actor: { type: string; id?: string };
  action: string;
  subject: { kind: string; id: string };
  executionId?: string;
  taskId?: string;
  details?: Record<string, unknown>;
}
