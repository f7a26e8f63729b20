/** A small client of the admin API over HTTP, used by the demo, the benchmarks and the e2e tests. */
export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** One request and its answer, as the client saw it. */
export interface ApiExchange {
  method: string;
  /** Below `/api`, query included: `tenants/acme/shards?type=customer`. */
  path: string;
  status: number;
  body: unknown;
}

export class AdminClient {
  /**
   * `key`: sent as `Authorization: Bearer <key>` (the local admin key, a tenant API key or a token).
   * `observe`: sees every exchange (the e2e suite checks each against the API description).
   */
  constructor(
    readonly baseUrl: string,
    private readonly key?: string,
    private readonly observe?: (exchange: ApiExchange) => void,
  ) {}

  /** The same host, as another caller. */
  as(key: string | undefined): AdminClient {
    return new AdminClient(this.baseUrl, key, this.observe);
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const response = await fetch(`${this.baseUrl}/api/${path.replace(/^\//, '')}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.key ? { authorization: `Bearer ${this.key}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: keep the text so the caller sees what came back.
    }
    this.observe?.({ method, path: path.replace(/^\//, ''), status: response.status, body: parsed });
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  /** Like request, but anything other than a 2xx is an error carrying the response body. */
  async ok<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.request<T>(method, path, body);
    if (response.status < 200 || response.status > 299) {
      throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    return response.body;
  }

  /** Polls an execution until it reaches a terminal status, reporting each view it sees. */
  async waitForExecution(tenantId: string, executionId: string, options: { timeoutMs?: number; intervalMs?: number; onProgress?: (view: any) => void } = {}): Promise<any> {
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    for (;;) {
      const view = await this.ok('GET', `tenants/${tenantId}/executions/${executionId}`);
      options.onProgress?.(view);
      if (['success', 'partial', 'failed', 'cancelled'].includes(view.status)) return view;
      if (Date.now() > deadline) throw new Error(`execution ${executionId} still ${view.status} after ${options.timeoutMs ?? 120_000} ms`);
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
    }
  }
}
