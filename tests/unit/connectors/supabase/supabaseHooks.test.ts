import { describe, expect, it } from 'vitest';
import { listCallOf, recordCallOf } from '../../../../shared/connectors/supabase/supabaseHooks.js';
import { supabaseSettingsSchema, supabaseTable } from '../../../../shared/connectors/supabase/supabaseSettings.js';
import { SINCE_PARAM } from '../../../../shared/connectors/supabase/supabaseSpec.js';

const table = supabaseTable.parse({ stream: 'customers', table: 'customers', conflictColumns: ['email'] });

describe('supabase calls as PostgREST takes them', () => {
  it('a full read: ordered by id, Range without a unit plus Range-Unit, an exact count', () => {
    const call = listCallOf(table, { method: 'GET', path: 'customers', params: { select: '*' }, headers: { range: 'items=1000-1999' } });
    expect(call).toEqual({ method: 'GET', path: 'customers', params: { select: '*', order: 'id.asc' }, headers: { range: '1000-1999', 'range-unit': 'items', prefer: 'count=exact' } });
  });

  it('an incremental read: updated_at=gt.<time>, oldest first then by id; ids as a quoted in-list', () => {
    const call = listCallOf(table, { method: 'GET', path: 'customers', params: { select: '*', [SINCE_PARAM]: '2026-01-01T00:00:00.000Z', id: '1,a"b,c,d' }, headers: { range: 'items=0-99' } });
    expect(call.params).toEqual({ select: '*', updated_at: 'gt.2026-01-01T00:00:00.000Z', order: 'id.asc', id: 'in.("1","a\\"b","c","d")' });
  });

  it('refuses a Range it cannot translate rather than read the whole table', () => {
    expect(() => listCallOf(table, { method: 'GET', path: 'customers', params: {}, headers: { range: 'rows=0-99' } })).toThrow('cannot page with Range "rows=0-99"');
  });

  it('a read of one row, an upsert on the conflict columns, an update under the updated_at as last read', () => {
    expect(recordCallOf(table, 'read', { method: 'GET', path: 'customers' }, '7').params).toEqual({ select: '*', id: 'eq.7' });
    expect(recordCallOf(table, 'create', { method: 'POST', path: 'customers', body: { email: 'a@b.c' } })).toMatchObject({
      params: { on_conflict: 'email' },
      headers: { prefer: 'resolution=merge-duplicates,return=representation' },
    });
    const plain = supabaseTable.parse({ stream: 'notes', table: 'notes' });
    expect(recordCallOf(plain, 'create', { method: 'POST', path: 'notes', body: {} })).toMatchObject({ params: {}, headers: { prefer: 'return=representation' } });
    const update = recordCallOf(table, 'update', { method: 'PATCH', path: 'customers', body: { id: '7', updated_at: '2026-01-01T00:00:00.123456+00:00', name: 'N' } }, '7');
    expect(update).toMatchObject({ params: { id: 'eq.7', updated_at: 'eq.2026-01-01T00:00:00.123456+00:00' }, headers: { prefer: 'return=representation' }, body: { name: 'N' } });
  });

  it('settings refuse identifiers that are not plain PostgreSQL names, and streams named twice', () => {
    const base = { url: 'https://abc.supabase.co' };
    expect(supabaseSettingsSchema.safeParse({ ...base, tables: [{ stream: 'x', table: 'x;drop table y' }] }).success).toBe(false);
    expect(supabaseSettingsSchema.safeParse({ ...base, tables: [{ stream: 'x', table: 'x', updatedColumn: 'a.b' }] }).success).toBe(false);
    expect(supabaseSettingsSchema.safeParse({ ...base, tables: [{ stream: 'x', table: 'a' }, { stream: 'x', table: 'b' }] }).error?.issues[0]).toMatchObject({ path: ['tables', 1, 'stream'] });
    expect(supabaseSettingsSchema.safeParse({ url: 'https://user:pw@abc.supabase.co', tables: [{ stream: 'x', table: 'x' }] }).success).toBe(false);
  });
});
