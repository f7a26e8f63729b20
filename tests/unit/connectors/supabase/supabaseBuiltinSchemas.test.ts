import { describe, expect, it } from 'vitest';
import { compileSchema } from '../../../../shared/core/conversion/compileSchema.js';
import { SUPABASE_BUILTIN_SCHEMAS } from '../../../../shared/connectors/supabase/supabaseBuiltinSchemas.js';
import { supabaseRawSchemas } from '../../../../shared/connectors/supabase/supabaseRawSchemas.js';
import { BUILTIN_SCHEMAS } from '../../../../shared/connectors/woocommerce/wooCommerceBuiltinSchemas.js';

describe('Supabase schemas', () => {
  it('supabase/rows: any row as a record shard, its id, updated time and the whole row', () => {
    const compiled = compileSchema(SUPABASE_BUILTIN_SCHEMAS['supabase/rows']);
    if (compiled.async) throw new Error('expected a synchronous schema');
    const row = { id: 12, name: 'x', updated_at: '2026-01-02T03:04:05.123456+00:00', tags: ['a'] };
    const result = compiled.run(row);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.primary).toMatchObject({ shardType: 'record', data: { externalId: 12, sourceModifiedAt: '2026-01-02T03:04:05.123Z', row } });
  });

  it('supabaseRawSchemas keeps the whole source record at raw, once', () => {
    const schemas = supabaseRawSchemas({ customers: BUILTIN_SCHEMAS['woocommerce/customers'] });
    expect(schemas.customers.fields.at(-1)).toEqual({ from: '$', to: 'raw' });
    expect(supabaseRawSchemas(schemas).customers.fields.filter((rule) => rule.to === 'raw')).toHaveLength(1);
    const compiled = compileSchema(schemas.customers);
    if (compiled.async) throw new Error('expected a synchronous schema');
    const record = { id: 3, email: 'A@Example.org', first_name: 'A', last_name: 'B', billing: {}, date_modified_gmt: '2026-01-01T00:00:00' };
    const result = compiled.run(record);
    expect(result.ok && result.primary.data.raw).toEqual(record);
  });
});
