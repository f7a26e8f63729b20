import { z } from 'zod';
import './http/httpStreaming.js';
import { getExecution } from '../shared/sync/executions/executionQueries.js';
import { watchExecution } from '../shared/sync/executions/watchExecution.js';
import type { SyncDeps } from '../shared/sync/syncDeps.js';
import { adminRoute } from './http/adminRoute.js';
import { eventStreamBody, serverSentEvent } from './http/serverSentEvents.js';

/** Polling the store is cheap (one document and two small queries) and sees changes made by any instance. */
const WATCH = { pollMs: 500, heartbeatMs: 15_000, maxMs: 15 * 60_000 };

/** A run's events, ending with an `error` event when the store fails mid-stream (the status line is long gone by then). */
async function* eventsOf(deps: SyncDeps, tenantId: string, executionId: string): AsyncGenerator<{ type: string; data: unknown }> {
  try {
    for await (const event of watchExecution(deps, tenantId, executionId, WATCH)) {
      yield event.type === 'execution' || event.type === 'end' ? { type: event.type, data: event.view } : { type: event.type, data: { at: event.at } };
    }
  } catch (error) {
    deps.log.error('execution event stream failed', { executionId, error: error instanceof Error ? error.message : String(error) });
    yield { type: 'error', data: { code: 'internal', message: 'reading the execution failed; see the server log' } };
  }
}

adminRoute('streamExecutionEvents', {
  route: 'tenants/{tenantId}/executions/{executionId}/events',
  method: 'GET',
  access: 'read',
  summary: "Follow a run's progress as server-sent events",
  description:
    'A `text/event-stream`: `execution` (the execution view, as `GET …/executions/{executionId}` answers it) whenever status, phase, progress, counts or errors change; ' +
    '`heartbeat` (`{at}`) after 15 s without one; `end` with the final view once the run has ended, after which the stream closes. ' +
    'An execution that has already ended answers `end` at once. A stream lasts at most 15 minutes and then ends with `timeout`: connect again. ' +
    'The server reads the run every 500 ms.',
  responses: {
    200: {
      description: 'The event stream.',
      contentType: 'text/event-stream',
      schema: z.string().describe('Server-sent events: `event: execution|heartbeat|end|timeout|error`, `data:` one line of JSON.'),
    },
  },
  handler: async ({ deps, tenantId, param }) => {
    const executionId = param('executionId');
    // Unknown runs and tenants are refused before the stream starts, with the usual 404.
    await getExecution(deps, tenantId, executionId);
    return {
      status: 200,
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' },
      body: eventStreamBody(eventsOf(deps, tenantId, executionId), (event) => serverSentEvent(event.type, event.data)),
    };
  },
});
