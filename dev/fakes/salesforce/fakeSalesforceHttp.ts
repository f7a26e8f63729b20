import type { IncomingMessage, ServerResponse } from 'node:http';

/** Past this, request bodies are refused. */
const maxBodyBytes = 1024 * 1024;

/**
 * A refusal in Salesforce's REST error shape: a JSON array of `{message, errorCode, fields?}`
 * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm).
 */
export class SalesforceError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
  }

  body(): unknown[] {
    return [{ message: this.message, errorCode: this.errorCode, ...(this.fields ? { fields: this.fields } : {}) }];
  }
}

export const notFound = () => new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (status === 204) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  // Salesforce labels JSON with a charset; jsforce's parser accepts `application/json;…`.
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
}

/** The body as UTF-8 text; events rather than `for await`, so an early refusal keeps the socket for the answer. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData).resume();
      reject(new SalesforceError(413, 'REQUEST_TOO_LARGE', `request bodies are limited to ${maxBodyBytes} bytes`));
    };
    req.on('data', onData).on('end', () => resolve(Buffer.concat(chunks).toString('utf8'))).on('error', reject);
  });
}

/** A JSON object body; anything else is Salesforce's `JSON_PARSER_ERROR`. */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'The request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}
