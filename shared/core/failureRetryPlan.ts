import type { Failure } from './schemas/failure.js';

export interface FailureRetryPlan {
  taskId: string;
  /** The execution most of these failures came from (the retry records it). */
  retryOf: string;
  /** Body of the start request: streams to read, and ids where only some records failed. */
  request: { streams?: string[]; ids?: Record<string, string[]> };
  failureIds: string[];
}

/**
 * Groups failures into one retry per task: a failed record is retried by its external id; a failed
 * page (no record id) re-reads its whole stream; a failure with no stream (a start that failed)
 * re-runs every stream of the task. Failures without a task cannot be retried and are left out.
 */
export function planFailureRetry(failures: ReadonlyArray<Pick<Failure, 'id' | 'taskId' | 'executionId' | 'stream' | 'payloadRef'>>): FailureRetryPlan[] {
  const byTask = new Map<string, typeof failures[number][]>();
  for (const failure of failures) {
    if (!failure.taskId) continue;
    byTask.set(failure.taskId, [...(byTask.get(failure.taskId) ?? []), failure]);
  }
  return [...byTask.entries()].map(([taskId, group]) => {
    const wholeTask = group.some((f) => !f.stream);
    const wholeStreams = new Set(group.filter((f) => f.stream && !f.payloadRef?.externalId).map((f) => f.stream!));
    const ids: Record<string, string[]> = {};
    for (const failure of group) {
      const externalId = failure.payloadRef?.externalId;
      if (!failure.stream || !externalId || wholeStreams.has(failure.stream)) continue;
      ids[failure.stream] = [...new Set([...(ids[failure.stream] ?? []), externalId])];
    }
    const streams = [...new Set(group.map((f) => f.stream).filter((s): s is string => Boolean(s)))];
    const counts = new Map<string, number>();
    for (const failure of group) counts.set(failure.executionId, (counts.get(failure.executionId) ?? 0) + 1);
    const retryOf = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    return {
      taskId,
      retryOf,
      request: wholeTask ? {} : { streams, ...(Object.keys(ids).length > 0 ? { ids } : {}) },
      failureIds: group.map((f) => f.id),
    };
  });
}
