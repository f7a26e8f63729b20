import { describe, expect, it } from 'vitest';
import { erpNextWebhooks } from '../../../shared/connectors/erpnext/erpNextWebhooks.js';

const settings = { baseUrl: 'https://erp.example.com', doctypes: [{ stream: 'suppliers', doctype: 'Supplier' }] };
const headers = { get: () => null };
const parse = (body: unknown) => erpNextWebhooks.parseEvent(erpNextWebhooks.verifier, headers, body, new TextEncoder().encode(JSON.stringify(body)), settings);

describe('ERPNext webhook events', () => {
  it('name the stream of the DocType and the document; on_trash is a delete', () => {
    expect(parse({ doctype: 'Sales Invoice', name: 'ACC-SINV-2026-00001', event: 'on_update', modified: '2026-01-02 10:00:00.000001' })).toMatchObject({
      kind: 'event',
      event: { topic: 'Sales Invoice.on_update', stream: 'sales_invoices', externalId: 'ACC-SINV-2026-00001', replayKey: expect.any(String) },
    });
    const deleted = parse({ doctype: 'Supplier', name: 'Acme', event: 'on_trash' });
    expect(deleted).toMatchObject({ kind: 'event', event: { stream: 'suppliers', externalId: 'Acme', deleted: true } });
  });

  it('two deliveries about one document differ by modified, so neither is a replay of the other', () => {
    const first = parse({ doctype: 'Customer', name: 'A', modified: '2026-01-02 10:00:00.000001' });
    const second = parse({ doctype: 'Customer', name: 'A', modified: '2026-01-02 10:00:00.000002' });
    expect(first.kind === 'event' && second.kind === 'event' && first.event.replayKey !== second.event.replayKey).toBe(true);
  });

  it('ignores bodies without a document and DocTypes the connection does not sync', () => {
    expect(parse({ doctype: 'Customer' })).toMatchObject({ kind: 'ignored' });
    expect(parse([{ doctype: 'Customer', name: 'A' }])).toMatchObject({ kind: 'ignored' });
    expect(parse({ doctype: 'Lead', name: 'L-1' })).toEqual({ kind: 'ignored', reason: 'DocType "Lead" is not synced by this connection' });
  });

  it('verifies X-Frappe-Webhook-Signature as base64 HMAC-SHA256 of the body', () => {
    expect(erpNextWebhooks.verifier).toEqual({ kind: 'hmac', header: 'X-Frappe-Webhook-Signature', algorithm: 'sha256', encoding: 'base64', signedPayload: 'body' });
  });
});
