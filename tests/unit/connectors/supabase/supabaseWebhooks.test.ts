import { describe, expect, it } from 'vitest';
import { databaseWebhookEvent } from '../../../../shared/connectors/supabase/supabaseWebhooks.js';
import { supabaseSettingsSchema } from '../../../../shared/connectors/supabase/supabaseSettings.js';

const settings = supabaseSettingsSchema.parse({ url: 'https://abc.supabase.co', tables: [{ stream: 'people', table: 'customers', deletedColumn: 'deleted_at' }] });
const signed = Buffer.from('body');
const row = { id: 7, email: 'a@example.org', updated_at: '2026-01-01T00:00:00.1+00:00', deleted_at: null };

describe('Supabase database-webhook payloads', () => {
  it('INSERT and UPDATE carry the row whole, for the stream of its table', () => {
    expect(databaseWebhookEvent(settings, { type: 'UPDATE', table: 'customers', schema: 'public', record: row, old_record: row }, signed)).toEqual({
      kind: 'event',
      event: { topic: 'customers.update', stream: 'people', externalId: '7', record: row, replayKey: expect.any(String) },
    });
  });

  it('DELETE names the row from old_record as deleted, without a record; a soft delete is a delete too', () => {
    const deleted = databaseWebhookEvent(settings, { type: 'DELETE', table: 'customers', schema: 'public', record: null, old_record: row }, signed);
    expect(deleted).toMatchObject({ kind: 'event', event: { externalId: '7', deleted: true } });
    expect(deleted.kind === 'event' && 'record' in deleted.event).toBe(false);
    const soft = databaseWebhookEvent(settings, { type: 'UPDATE', table: 'customers', schema: 'public', record: { ...row, deleted_at: '2026-01-02T00:00:00+00:00' }, old_record: row }, signed);
    expect(soft).toMatchObject({ kind: 'event', event: { deleted: true } });
  });

  it('ignores other tables, other events and rows without a usable id', () => {
    expect(databaseWebhookEvent(settings, { type: 'INSERT', table: 'orders', record: row }, signed)).toMatchObject({ kind: 'ignored' });
    expect(databaseWebhookEvent(settings, { type: 'TRUNCATE', table: 'customers' }, signed)).toMatchObject({ kind: 'ignored' });
    expect(databaseWebhookEvent(settings, { type: 'INSERT', table: 'customers', record: { ...row, id: '../x' } }, signed)).toMatchObject({ kind: 'ignored' });
    expect(databaseWebhookEvent(settings, { type: 'DELETE', table: 'customers', record: null, old_record: null }, signed)).toMatchObject({ kind: 'ignored' });
    expect(databaseWebhookEvent(settings, [1, 2], signed)).toMatchObject({ kind: 'ignored' });
  });
});
