import type { ApiCaller } from './apiCaller.js';
import { apiErrorMessage, CliError } from './cliError.js';
import { EventStreamParser } from './eventStreamParser.js';
import type { RunProgress } from './progressText.js';

const TERMINAL = new Set(['success', 'partial', 'failed', 'cancelled']);
const POLL_MS = 1_000;

/**
 * Follows a run to its end, calling `onView` with each view: from the server-sent events of
 * `…/executions/{id}/events`, or, when the stream is not to be had (an older server, a proxy that
 * buffers or cuts it), by reading the execution every second. Resolves with the final view.
 */
export async function followRun(api: ApiCaller, executionId: string, onView: (view: RunProgress) => void): Promise<RunProgress> {
  for (;;) {
    const outcome = await followEvents(api, executionId, onView);
    if (outcome === 'again') continue;
    if (outcome === 'unavailable') return pollRun(api, executionId, onView);
    return outcome;
  }
}

type StreamOutcome = RunProgress | 'again' | 'unavailable';

async function followEvents(api: ApiCaller, executionId: string, onView: (view: RunProgress) => void): Promise<StreamOutcome> {
  let response: Response;
  try {
    response = await fetch(api.url(api.tenantPath(`executions/${encodeURIComponent(executionId)}/events`)), {
      headers: { ...(await api.headers()), accept: 'text/event-stream' },
    });
  } catch {
    return 'unavailable';
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as { error?: { resource?: string } } | undefined;
    // The API's own refusals (unknown run, credentials) stand; anything else: try polling.
    if ([401, 403].includes(response.status) || (response.status === 404 && body?.error?.resource)) throw new CliError(apiErrorMessage(response.status, body));
    return 'unavailable';
  }
  if (!response.body) return 'unavailable';
  const parser = new EventStreamParser();
  const decoder = new TextDecoder();
  try {
    for await (const chunk of response.body) {
      for (const event of parser.push(decoder.decode(chunk, { stream: true }))) {
        if (event.event === 'execution' || event.event === 'end') {
          const view = JSON.parse(event.data) as RunProgress;
          onView(view);
          if (event.event === 'end') return view;
        }
        if (event.event === 'timeout') return 'again';
        if (event.event === 'error') return 'unavailable';
      }
    }
  } catch {
    // The connection broke: the run goes on regardless, so keep following it another way.
  }
  return 'unavailable';
}

async function pollRun(api: ApiCaller, executionId: string, onView: (view: RunProgress) => void): Promise<RunProgress> {
  for (;;) {
    const view = await api.call<RunProgress>('GET', api.tenantPath(`executions/${encodeURIComponent(executionId)}`));
    onView(view);
    if (TERMINAL.has(view.status)) return view;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
