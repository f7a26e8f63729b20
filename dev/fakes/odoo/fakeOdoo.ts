import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeRestError, readJsonBody } from '../restApi/fakeRestApiHttp.js';
import type { Row } from './fakeOdooDomain.js';
import { accessDenied, accessError, invalidApiKey, notFound, OdooException, serializationFailure, serverError, valueError } from './fakeOdooErrors.js';
import { callMethod, namedArguments } from './fakeOdooMethods.js';
import type { FakeOdooModel } from './fakeOdooSeed.js';
import { OdooStore } from './fakeOdooStore.js';

export type { Row as OdooRow } from './fakeOdooDomain.js';
export type { FakeOdooModel } from './fakeOdooSeed.js';

export interface FakeOdooOptions {
  database?: string;
  login?: string;
  /** The user's API key: JSON-2's bearer token, JSON-RPC's password. */
  apiKey: string;
  /** The user's id, as `common.authenticate` answers it. */
  uid?: number;
  /** The server's clock (write_date stamps); default Date.now. */
  now?: () => number;
}

export interface FakeOdooRequest {
  api: 'json2' | 'jsonrpc';
  /** `common.authenticate`, `res.partner.search_read`, … */
  call: string;
  model?: string;
  method?: string;
  /** The method's named arguments (JSON-RPC's positional ones named); the key never appears. */
  args: Record<string, unknown>;
  database: string | undefined;
  status: number;
  /** The exception answered, if any. */
  error?: string;
}

/** Refusals a test can make the next model calls meet. `malformed`: a 200 whose result is not what the method returns. */
export type FakeOdooFault = 'server_error' | 'serialization_failure' | 'malformed';

export interface FakeOdoo {
  /** http://127.0.0.1:<port>, the server's root. */
  url: string;
  database: string;
  login: string;
  uid: number;
  seed(model: FakeOdooModel, n: number): Row[];
  get(model: FakeOdooModel, id: number): Row | undefined;
  /** Every row, archived ones included, by id. */
  all(model: FakeOdooModel): Row[];
  /** A write as a user makes it in Odoo: write_date is stamped now. */
  update(model: FakeOdooModel, id: number, vals: Record<string, unknown>): Row;
  archive(model: FakeOdooModel, id: number): void;
  unlink(model: FakeOdooModel, id: number): void;
  /** The next `times` model calls fail with `fault`. */
  failNext(fault: FakeOdooFault, times?: number): void;
  /** Model calls on `model` are refused with AccessError from now on. */
  deny(model: FakeOdooModel): void;
  readonly requests: FakeOdooRequest[];
  close(): Promise<void>;
}


/**
 * An Odoo server on 127.0.0.1 speaking the JSON-2 API (`POST /json/2/<model>/<method>`, bearer
 * API key, optional `X-Odoo-Database`, errors as 4xx/5xx `{name, message, arguments, context,
 * debug}`) and JSON-RPC (`POST /jsonrpc`: `common.version|authenticate|login`, then
 * `object.execute_kw`, errors inside an HTTP 200). No XML-RPC.
 */
export async function startFakeOdoo(options: FakeOdooOptions): Promise<FakeOdoo> {
  const database = options.database ?? 'odoo';
  const login = options.login ?? 'admin@example.com';
  const uid = options.uid ?? 2;
  const store = new OdooStore(options.now ?? Date.now);
  const requests: FakeOdooRequest[] = [];
  const faults: FakeOdooFault[] = [];
  const denied = new Set<string>();

  /** A model method with the faults and access rules a test set. */
  const modelCall = (model: string, method: string, named: Record<string, unknown>): unknown => {
    if (denied.has(model)) throw accessError(model, method === 'search_read' || method === 'read' ? 'read' : 'write');
    const fault = faults.shift();
    if (fault === 'server_error') throw serverError();
    if (fault === 'serialization_failure') throw serializationFailure();
    const result = callMethod(store, model, method, named);
    return fault === 'malformed' ? { records: result } : result;
  };

  const json2 = async (req: IncomingMessage, res: ServerResponse, model: string, method: string) => {
    const entry: FakeOdooRequest = { api: 'json2', call: `${model}.${method}`, model, method, args: {}, database: header(req, 'x-odoo-database'), status: 200 };
    requests.push(entry);
    try {
      const auth = /^bearer\s+(.+)$/i.exec(header(req, 'authorization') ?? '');
      if (!auth || auth[1] !== options.apiKey) throw invalidApiKey();
      if (entry.database !== undefined && entry.database !== database) throw notFound(`database ${entry.database}`);
      const body = await readJsonBody(req);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw valueError('the body must be a JSON object of named arguments');
      entry.args = body as Record<string, unknown>;
      send(res, 200, modelCall(model, method, body as Record<string, unknown>));
    } catch (error) {
      const exception = asException(error);
      entry.status = exception.status;
      entry.error = exception.name;
      send(res, exception.status, exception.json2Body());
    }
  };

  const jsonRpc = async (req: IncomingMessage, res: ServerResponse) => {
    const entry: FakeOdooRequest = { api: 'jsonrpc', call: 'unknown', args: {}, database: undefined, status: 200 };
    requests.push(entry);
    let id: unknown = null;
    try {
      const body = (await readJsonBody(req)) as { id?: unknown; params?: { service?: unknown; method?: unknown; args?: unknown } };
      id = body?.id ?? null;
      const { service, method, args } = body?.params ?? {};
      if (!Array.isArray(args)) throw valueError('params.args must be a list');
      entry.call = `${String(service)}.${String(method)}`;
      send(res, 200, { jsonrpc: '2.0', id, result: dispatch(entry, String(service), String(method), args) });
    } catch (error) {
      const exception = asException(error);
      entry.error = exception.name;
      send(res, 200, { jsonrpc: '2.0', id, error: exception.jsonRpcError() });
    }
  };

  const dispatch = (entry: FakeOdooRequest, service: string, method: string, args: unknown[]): unknown => {
    if (service === 'common' && method === 'version') return { server_version: '18.0', server_version_info: [18, 0, 0, 'final', 0, ''], server_serie: '18.0', protocol_version: 1 };
    if (service === 'common' && (method === 'authenticate' || method === 'login')) {
      const [db, user, key] = args;
      entry.database = typeof db === 'string' ? db : undefined;
      if (db !== database) throw new OdooException('psycopg2.OperationalError', `connection to server failed: FATAL:  database "${String(db)}" does not exist`, 500);
      return user === login && key === options.apiKey ? uid : false;
    }
    if (service === 'object' && method === 'execute_kw') {
      const [db, who, key, model, modelMethod, positional = [], kwargs = {}] = args;
      entry.database = typeof db === 'string' ? db : undefined;
      entry.model = String(model);
      entry.method = String(modelMethod);
      entry.call = `${entry.model}.${entry.method}`;
      if (db !== database || who !== uid || key !== options.apiKey) throw accessDenied();
      const named = namedArguments(entry.method, positional, kwargs);
      entry.args = named;
      return modelCall(entry.model, entry.method, named);
    }
    throw notFound(`${service}.${method}`);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const route = /^\/json\/2\/([a-z_.]+)\/([a-z_]+)$/.exec(url.pathname);
    if (req.method === 'POST' && route) return void json2(req, res, route[1]!, route[2]!);
    if (req.method === 'POST' && url.pathname === '/jsonrpc') return void jsonRpc(req, res);
    req.resume();
    send(res, 404, notFound(url.pathname).json2Body());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    database,
    login,
    uid,
    requests,
    seed: (model, n) => store.seed(model, n),
    get: (model, id) => store.get(model, id),
    all: (model) => store.all(model),
    update: (model, id, vals) => {
      store.write(model, [id], vals);
      return store.get(model, id)!;
    },
    archive: (model, id) => void store.archive(model, [id]),
    unlink: (model, id) => void store.unlink(model, [id]),
    failNext: (fault, times = 1) => faults.push(...Array.from({ length: times }, () => fault)),
    deny: (model) => void denied.add(model),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function asException(error: unknown): OdooException {
  if (error instanceof OdooException) return error;
  if (error instanceof FakeRestError) return new OdooException('werkzeug.exceptions.BadRequest', error.message, error.status);
  return new OdooException('builtins.Exception', error instanceof Error ? error.message : String(error), 500);
}
