/**
 * Calls the admin API with the operator's own credentials. The key lives in sessionStorage only
 * (gone when the tab closes) and is never put into the page.
 */
const KEY = 'shardsync.apiKey';
const TENANT = 'shardsync.tenant';

export const session = {
  key: () => sessionStorage.getItem(KEY),
  tenant: () => sessionStorage.getItem(TENANT) ?? '',
  signIn(key: string, tenant: string) {
    sessionStorage.setItem(KEY, key);
    sessionStorage.setItem(TENANT, tenant);
  },
  signOut() {
    sessionStorage.removeItem(KEY);
  },
};

/** The API's own message from its error body; never a raw body or stack trace. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** `/api/console/…` → `/api/`: the API is the console's parent path, whatever the route prefix. */
const apiBase = new URL('../', new URL('.', location.href.replace(/#.*$/, ''))).pathname;

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${session.key() ?? ''}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(apiBase + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'The API cannot be reached.');
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = (parsed as { error?: { message?: unknown; issues?: Array<{ path?: string; message?: string }> } } | undefined)?.error;
    const issues = (error?.issues ?? []).map((i) => `${i.path ?? ''}: ${i.message ?? ''}`).join('; ');
    const message = typeof error?.message === 'string' ? error.message : `The API answered ${response.status}.`;
    throw new ApiError(response.status, issues ? `${message} (${issues})` : message);
  }
  return parsed as T;
}

/**
 * A streaming GET (server-sent events) with the operator's credentials: fetch, not EventSource,
 * which cannot send the Authorization header. The body's text as it arrives; an error answer throws.
 */
export async function* streamText(path: string, signal: AbortSignal): AsyncGenerator<string> {
  const response = await fetch(apiBase + path, { headers: { authorization: `Bearer ${session.key() ?? ''}`, accept: 'text/event-stream' }, signal });
  if (!response.ok || !response.body) throw new ApiError(response.status, `The API answered ${response.status}.`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    yield value;
  }
}

/** `tenants/{tenant}/…` of the signed-in tenant. */
export const tenantPath = (rest: string) => `tenants/${encodeURIComponent(session.tenant())}/${rest}`;

export const query = (params: Record<string, string | number | boolean | undefined>) => {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== '') as Array<[string, string]>;
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`;
};

export interface Page<T> {
  items: T[];
  continuationToken?: string | null;
}
