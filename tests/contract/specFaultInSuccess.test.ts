import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectorSpec } from '../../shared/connectors/spec/connectorSpec.js';
import { SpecConnector } from '../../shared/connectors/spec/specConnector.js';
import { ProviderError } from '../../shared/connectors/providerError.js';
import { WriteConflictError } from '../../shared/connectors/writeConflictError.js';
import { loopbackOutbound } from '../unit/sync/loopbackOutbound.js';

/** QuickBooks answers some failures with a 200 whose body is a `Fault`: a spec's `faultPath` reads them as the errors they are. */
let server: Server | undefined;
afterEach(async () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

const fault = (code: string, message: string) => ({ Fault: { Error: [{ Message: message, Detail: `${message}: detail`, code }], type: 'ValidationFault' }, time: '2026-12-07T06:00:00.000-08:00' });

async function api(answer: (path: string) => unknown): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer(req.url ?? '')));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

const spec = connectorSpec.parse({
  title: 'QuickBooks',
  baseUrl: 'http://placeholder/',
  auth: { kind: 'none' },
  maxPageSize: 100,
  errors: {
    codePath: 'Fault.Error.0.code',
    messagePath: 'Fault.Error.0.Message',
    faultPath: 'Fault',
    rules: [{ code: '^5010$', on: 'write', kind: 'conflict' }],
  },
  streams: [
    {
      name: 'customers',
      path: 'query',
      recordsPath: 'QueryResponse.Customer',
      idField: 'Id',
      modifiedField: 'MetaData.LastUpdatedTime',
      paginator: { kind: 'offset', offsetParam: 'start', limitParam: 'max' },
      writes: { update: { method: 'POST', path: 'customer/{id}' }, concurrency: { kind: 'bodyField', field: 'SyncToken' }, versionField: 'SyncToken' },
    },
  ],
});

describe('a fault inside a 200', () => {
  it('fails a read with the provider code and message, and a stale write takes the conflict path', async () => {
    const url = await api((path) => (path.startsWith('/query') ? fault('4000', 'Error parsing query') : fault('5010', 'Stale Object Error')));
    const connector = new SpecConnector('quickbooks', spec, { baseUrl: url, timeoutMs: 5_000 }, {}, { outbound: loopbackOutbound() });
    const read = await connector.listChainedPage({ stream: 'customers', page: 1, perPage: 10 }).catch((error: unknown) => error);
    expect(read).toBeInstanceOf(ProviderError);
    expect(read).toMatchObject({ status: 400, code: '4000', retriable: false, message: expect.stringContaining('Error parsing query') });
    const write = await connector.update('customers', '7', { DisplayName: 'Ada' }, { version: '3' }).catch((error: unknown) => error);
    expect(write).toBeInstanceOf(WriteConflictError);
    expect(write).toMatchObject({ code: '5010' });
    await connector.close();
  });
});
