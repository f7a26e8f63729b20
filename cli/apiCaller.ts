import { apiErrorMessage, CliError } from './cliError.js';

export interface ApiTarget {
  /** The API's base URL, `/api` included: http://localhost:7071/api. */
  url: string;
  tenant: string;
  credential: () => Promise<string>;
}

/** Calls the admin API; any answer but a 2xx is a CliError with the API's own message. */
export class ApiCaller {
  private credential: Promise<string> | undefined;

  constructor(readonly target: ApiTarget) {}

  /** `path` below the tenant: `tasks/nightly/executions`. */
  tenantPath(path: string): string {
    return `tenants/${encodeURIComponent(this.target.tenant)}/${path}`;
  }

  async headers(): Promise<Record<string, string>> {
    this.credential ??= this.target.credential();
    return { authorization: `Bearer ${await this.credential}` };
  }

  url(path: string): string {
    return `${this.target.url.replace(/\/+$/, '')}/${path}`;
  }

  async call<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.url(path), {
        method,
        headers: { ...(await this.headers()), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new CliError(`cannot reach ${this.target.url}: ${causeOf(error)}`);
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: the message below shows the text.
    }
    if (!response.ok) throw new CliError(apiErrorMessage(response.status, parsed));
    return parsed as T;
  }
}

/** fetch's "fetch failed" says nothing: the cause (ECONNREFUSED…) does. */
export const causeOf = (error: unknown): string => {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
};
