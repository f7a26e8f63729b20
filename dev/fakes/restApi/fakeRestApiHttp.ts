import type { IncomingMessage, ServerResponse } from 'node:http';

/** Past this, request bodies are refused with 413. */
export const maxBodyBytes = 1024 * 1024;

/** A refusal in the fake's error shape: `{"error":{"code","message",…}}`. */
export class FakeRestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (status === 204) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

export function sendError(res: ServerResponse, error: FakeRestError, headers: Record<string, string> = {}): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message, ...error.extra } }, { ...headers, ...error.headers });
}

/**
 * The body as JSON. Over `maxBodyBytes` (by Content-Length, or as it streams in) is 413; the rest
 * of an oversized body is drained rather than the socket cut, so the client reads the answer.
 */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new FakeRestError(400, 'invalid_json', 'the request body is not valid JSON');
  }
}

/** Events, not `for await`: leaving that loop early destroys the request, and with it the socket the answer needs. */
function readBody(req: IncomingMessage): Promise<string> {
  const tooLarge = () => new FakeRestError(413, 'payload_too_large', `request bodies are limited to ${maxBodyBytes} bytes`, {}, { connection: 'close' });
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) {
      req.resume();
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData).off('end', onEnd).resume();
      reject(tooLarge());
    };
    const onEnd = () => resolve(Buffer.concat(chunks).toString('utf8'));
    req.on('data', onData).on('end', onEnd).on('error', reject);
  });
}
