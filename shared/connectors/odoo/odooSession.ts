import { request, type Dispatcher } from 'undici';
import { AuthError } from '../authError.js';
import { ProviderError } from '../providerError.js';
import { errorFromTransport } from '../http/transportError.js';
import { errorFromResponse, whereOf, type RequestContext } from '../spec/responseErrors.js';
import type { ErrorSpec } from '../spec/errorSpec.js';

export interface OdooLogin {
  /** The server root, ending in `/`. */
  baseUrl: string;
  database: string;
  login: string;
  apiKey: string;
  timeoutMs: number;
}

/**
 * JSON-RPC's `common.authenticate(db, login, key, {})`: the uid every `execute_kw` names. Asked
 * once per connector (the API is stateless: no session cookie), again only after a failure.
 */
export class OdooSession {
  private uid: number | undefined;
  private pending: Promise<number> | undefined;

  constructor(
    private readonly login: OdooLogin,
    private readonly errors: ErrorSpec,
    private readonly dispatcher: Dispatcher,
    private readonly now: () => number = Date.now,
  ) {}

  /** The uid once known; calls are only shaped after `ready()`. */
  current(): number {
    if (this.uid === undefined) throw new ProviderError({ code: 'not_authenticated', retriable: false, message: 'Odoo JSON-RPC: no uid yet (common.authenticate has not answered)' });
    return this.uid;
  }

  ready(): Promise<number> {
    if (this.uid !== undefined) return Promise.resolve(this.uid);
    this.pending ??= this.authenticate().then(
      (uid) => (this.uid = uid),
      (error: unknown) => {
        this.pending = undefined;
        throw error;
      },
    );
    return this.pending;
  }

  private async authenticate(): Promise<number> {
    const url = new URL('jsonrpc', this.login.baseUrl);
    const context: RequestContext = { title: 'Odoo', method: 'POST', path: `${url.pathname} common.authenticate`, secrets: [this.login.apiKey], nowMs: this.now() };
    const body = { jsonrpc: '2.0', method: 'call', id: 0, params: { service: 'common', method: 'authenticate', args: [this.login.database, this.login.login, this.login.apiKey, {}] } };
    let statusCode: number;
    let text: string;
    let headers: Dispatcher.ResponseData['headers'];
    try {
      const response = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'shardsync' },
        body: JSON.stringify(body),
        dispatcher: this.dispatcher,
        signal: AbortSignal.timeout(this.login.timeoutMs),
      });
      ({ statusCode, headers } = response);
      text = await response.body.text();
    } catch (error) {
      throw errorFromTransport(error, whereOf(context), context.secrets);
    }
    if (statusCode < 200 || statusCode >= 300) throw errorFromResponse(this.errors, 'read', statusCode, headers, text, context);
    return this.uidOf(text, headers, context);
  }

  /** Pure reading of the answer: a uid, `false` (wrong login or key), an error, or something else. */
  private uidOf(text: string, headers: Dispatcher.ResponseData['headers'], context: RequestContext): number {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const answer = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as { result?: unknown; error?: unknown };
    if (answer.error !== undefined) throw errorFromResponse(this.errors, 'read', 400, headers, text, context);
    if (answer.result === false) throw new AuthError({ code: 'invalid_login', message: `${whereOf(context)}: the database, login or API key is wrong` });
    if (typeof answer.result !== 'number' || !Number.isSafeInteger(answer.result) || answer.result < 1) {
      throw new ProviderError({ status: 200, code: 'invalid_response', retriable: false, message: `${whereOf(context)}: result is not a uid` });
    }
    return answer.result;
  }
}
