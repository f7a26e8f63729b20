import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSelfSignedCertificate } from './selfSignedCertificate.js';

export interface FakeKeyVaultOptions {
  /** The only bearer token accepted; anything else gets the 401 challenge again. */
  token: string;
  /** Tenant named in the challenge's `authorization` URL (default: a fixed GUID). */
  tenantId?: string;
}

/** One request as seen by the vault (no bodies: they hold values). */
export interface FakeKeyVaultRequest {
  method: string;
  /** Path without the query, e.g. `/secrets/conn-a/`. */
  path: string;
  status: number;
  /** Whether it carried an `Authorization: Bearer …` header (right or wrong). */
  bearer: boolean;
}

/** A canned answer for the next request, for error-path tests. */
export interface FakeKeyVaultReply {
  status: number;
  /** Raw response text, sent as JSON content. */
  body: string;
}

export interface FakeKeyVault {
  /** Vault URL, e.g. `https://127.0.0.1:43123` */
  url: string;
  /** PEM certificate of the server, for the client to trust. */
  ca: string;
  requests: FakeKeyVaultRequest[];
  /** Answers the next authorised request with `reply` instead of serving it. */
  failNext(reply: FakeKeyVaultReply): void;
  close(): Promise<void>;
}

interface SecretVersion {
  version: string;
  value: string;
  contentType?: string;
  created: number;
}

/** Key Vault's own rule for secret names, so a bad name mapping fails here as it would in Azure. */
const VALID_NAME = /^[0-9a-zA-Z-]{1,127}$/;
const SECRET_PATH = /^\/(secrets|deletedsecrets)\/([^/]+)\/?([^/]*)$/;

/**
 * A Key Vault stand-in over HTTPS on 127.0.0.1 (a throwaway self-signed certificate) for the
 * secrets REST calls the SDK makes: `PUT /secrets/{name}`, `GET /secrets/{name}/{version?}`,
 * `DELETE /secrets/{name}` and `GET /deletedsecrets/{name}` (soft delete), with challenge
 * authentication, Key Vault's JSON shapes and case-insensitive names.
 */
export async function startFakeKeyVault(options: FakeKeyVaultOptions): Promise<FakeKeyVault> {
  const certificate = createSelfSignedCertificate();
  if (!certificate) throw new Error('the fake Key Vault needs the openssl CLI (on PATH) to create its self-signed certificate');
  const tenantId = options.tenantId ?? '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const secrets = new Map<string, SecretVersion[]>();
  const deleted = new Map<string, SecretVersion>();
  const requests: FakeKeyVaultRequest[] = [];
  let nextReply: FakeKeyVaultReply | undefined;

  const server: Server = createServer(certificate, (request, response) => {
    readBody(request)
      .then((body) => handle(request, body, response))
      .catch(() => response.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function handle(request: IncomingMessage, body: string, response: ServerResponse): void {
    const method = request.method ?? 'GET';
    const [path = '/', search = ''] = (request.url ?? '/').split('?', 2);
    const bearer = /^Bearer /i.test(request.headers.authorization ?? '');
    const send = (status: number, text: string, headers: Record<string, string> = {}) => {
      requests.push({ method, path, status, bearer });
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
      response.end(text);
    };
    const reply = (status: number, json: unknown) => send(status, JSON.stringify(json));
    const fail = (status: number, code: string, message: string) => reply(status, { error: { code, message } });

    if (request.headers.authorization !== `Bearer ${options.token}`) {
      // As Key Vault: no (or a bad) token gets the challenge naming the tenant and resource.
      const message = bearer ? 'AKV10032: Invalid issuer or token.' : 'AKV10000: Request is missing a Bearer or PoP token.';
      return send(401, JSON.stringify({ error: { code: 'Unauthorized', message } }), {
        'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/${tenantId}", resource="https://vault.azure.net"`,
      });
    }
    if (nextReply) {
      const canned = nextReply;
      nextReply = undefined;
      return send(canned.status, canned.body);
    }
    if (!new URLSearchParams(search).get('api-version')) {
      return fail(400, 'BadParameter', 'The api-version query parameter (?api-version=) is required for all requests');
    }
    const match = SECRET_PATH.exec(path);
    if (!match) return fail(404, 'NotFound', `No route for ${method} ${path}`);
    const name = decodeURIComponent(match[2] ?? '');
    if (!VALID_NAME.test(name)) return fail(400, 'BadParameter', `The request URI contains an invalid name: ${name}`);

    // Soft delete, as every vault has it now: the secret moves to the deleted secrets (recoverable).
    if (match[1] === 'deletedsecrets') {
      const gone = deleted.get(name.toLowerCase());
      if (method !== 'GET' || !gone) return fail(404, 'SecretNotFound', `Deleted Secret not found: ${name}`);
      return reply(200, deletedBundle(name, gone));
    }
    const versions = secrets.get(name.toLowerCase()) ?? [];
    if (method === 'DELETE' && !match[3]) {
      const latest = versions.at(-1);
      if (!latest) return fail(404, 'SecretNotFound', `A secret with (name/id) ${name} was not found in this key vault.`);
      secrets.delete(name.toLowerCase());
      deleted.set(name.toLowerCase(), latest);
      return reply(200, deletedBundle(name, latest));
    }

    if (method === 'GET') {
      const wanted = match[3];
      const found = wanted ? versions.find((candidate) => candidate.version === wanted) : versions.at(-1);
      if (!found) return fail(404, 'SecretNotFound', `A secret with (name/id) ${name}${wanted ? `/${wanted}` : ''} was not found in this key vault.`);
      return reply(200, bundle(name, found));
    }
    if (method === 'PUT' && !match[3]) {
      const parameters = parseJson(body);
      if (typeof parameters?.value !== 'string') return fail(400, 'BadParameter', 'Property value is required');
      const created = Math.floor(Date.now() / 1000);
      const stored: SecretVersion = { version: randomUUID().replaceAll('-', ''), value: parameters.value, created };
      if (typeof parameters.contentType === 'string') stored.contentType = parameters.contentType;
      secrets.set(name.toLowerCase(), [...versions, stored]);
      return reply(200, bundle(name, stored));
    }
    return fail(405, 'MethodNotAllowed', `${method} is not supported on ${path}`);
  }

  function deletedBundle(name: string, secret: SecretVersion) {
    const { value: _value, ...rest } = bundle(name, secret);
    const now = Math.floor(Date.now() / 1000);
    return { ...rest, recoveryId: `${url}/deletedsecrets/${name}`, deletedDate: now, scheduledPurgeDate: now + 90 * 24 * 3600 };
  }

  function bundle(name: string, secret: SecretVersion) {
    return {
      value: secret.value,
      ...(secret.contentType === undefined ? {} : { contentType: secret.contentType }),
      id: `${url}/secrets/${name}/${secret.version}`,
      attributes: {
        enabled: true,
        created: secret.created,
        updated: secret.created,
        recoveryLevel: 'Recoverable+Purgeable',
        recoverableDays: 90,
      },
      tags: {},
    };
  }

  return {
    url,
    ca: certificate.cert,
    requests,
    failNext(reply) {
      nextReply = reply;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections(); // the SDK keeps connections alive
      }),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
