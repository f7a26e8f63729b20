import { describe, expect, it } from 'vitest';
import { compileSchema } from '../../../../shared/core/conversion/compileSchema.js';
import { compileRelationships } from '../../../../shared/core/conversion/relationships.js';
import { conversionSchema, type ConversionSchemaInput } from '../../../../shared/core/conversion/schema.js';
import { transformBatch, type BatchConversion } from '../../../../shared/core/executions/batchTransform.js';
import { recordHash } from '../../../../shared/core/executions/shardWritePlan.js';

const source = { connectionId: 'con_1', stream: 'orders', idField: 'id', modifiedField: 'date_modified' };

const ORDERS: ConversionSchemaInput = {
  shardType: 'order',
  fields: [
    { from: 'id', to: 'number' },
    { from: 'billing.email', to: 'email' },
  ],
  validations: [{ path: 'email', rule: 'required' }],
  relationships: [{ rel: 'customer', stream: 'customers', from: 'customer_id', none: [0] }],
};

const conversionOf = (input: ConversionSchemaInput): BatchConversion => {
  const definition = conversionSchema.parse(input);
  return { transform: compileSchema(definition), parentsOf: compileRelationships(definition.relationships) };
};

/** Nested `depth` objects deep. */
const nested = (depth: number): Record<string, unknown> => {
  let value: Record<string, unknown> = {};
  for (let level = 0; level < depth; level++) value = { inner: value };
  return value;
};

describe('batch transform', () => {
  it('converts each record into what the shard writer takes: its source, id, data, parents and hash', async () => {
    const records = [
      { id: 7, billing: { email: 'a@example.com' }, customer_id: 42, date_modified: '2026-01-02T03:04:05' },
      { id: 'x8', billing: { email: 'b@example.com' }, customer_id: 0 },
    ];
    const { converted, rejected } = await transformBatch(records, conversionOf(ORDERS), source);
    expect(rejected).toEqual([]);
    expect(converted).toHaveLength(2);
    const [first, second] = converted;
    expect(first).toEqual({
      connectionId: 'con_1',
      stream: 'orders',
      externalId: '7',
      shardType: 'order',
      data: { number: 7, email: 'a@example.com' },
      derived: [],
      parents: [{ rel: 'customer', stream: 'customers', externalId: '42' }],
      hash: recordHash({ shardType: 'order', data: { number: 7, email: 'a@example.com' }, derived: [], parents: [{ rel: 'customer', stream: 'customers', externalId: '42' }] }),
      remoteModifiedAt: '2026-01-02T03:04:05',
    });
    expect(second).toMatchObject({ externalId: 'x8', parents: [] });
    expect(second).not.toHaveProperty('remoteModifiedAt');
  });

  it('rejects a record that fails validation with every field that failed, and goes on with the rest', async () => {
    const records = [{ id: 1, billing: {} }, { id: 2, billing: { email: 'b@example.com' } }];
    const { converted, rejected } = await transformBatch(records, conversionOf(ORDERS), source);
    expect(converted.map((record) => record.externalId)).toEqual(['2']);
    expect(rejected).toEqual([{ index: 0, externalId: '1', details: [{ path: 'billing.email', target: 'email', rule: 'required', message: expect.stringContaining('required') }] }]);
  });

  it('rejects a record without an id, naming the id field first and its position in the page', async () => {
    const records = [{ id: 1, billing: { email: 'a@example.com' } }, { billing: { email: 'b@example.com' } }, { id: '', billing: {} }, { id: null, billing: { email: 'c@example.com' } }];
    const { converted, rejected } = await transformBatch(records, conversionOf(ORDERS), source);
    expect(converted.map((record) => record.externalId)).toEqual(['1']);
    expect(rejected.map((record) => record.index)).toEqual([1, 2, 3]);
    expect(rejected.every((record) => record.externalId === undefined && !('externalId' in record))).toBe(true);
    expect(rejected[0]!.details).toEqual([{ path: 'id', message: 'the record has no id' }]);
    expect(rejected[1]!.details.map((detail) => detail.path)).toEqual(['id', 'billing.email']);
  });

  it('rejects a record nested too deep to keep, and one whose converted data is, naming where', async () => {
    const copyAll: ConversionSchemaInput = { shardType: 'blob', fields: [{ from: 'payload', to: 'payload' }] };
    const records = [{ id: 1, payload: nested(200) }, { id: 2, payload: { ok: true } }];
    const { converted, rejected } = await transformBatch(records, conversionOf(copyAll), source);
    expect(converted.map((record) => record.externalId)).toEqual(['2']);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ index: 0, externalId: '1', details: [{ rule: 'depth' }] });
  });

  it('awaits a schema with an expression, and decides as a synchronous one would', async () => {
    const withExpression: ConversionSchemaInput = {
      ...ORDERS,
      fields: [...ORDERS.fields, { from: 'id', to: 'label', transforms: [{ op: 'expression', expression: '"#" & $string($value)' }] }],
    };
    const conversion = conversionOf(withExpression);
    expect(conversion.transform.async).toBe(true);
    const records = [{ id: 1, billing: {} }, { id: 2, billing: { email: 'b@example.com' } }];
    const { converted, rejected } = await transformBatch(records, conversion, source);
    expect(converted).toHaveLength(1);
    expect(converted[0]!.data).toEqual({ number: 2, email: 'b@example.com', label: '#2' });
    expect(rejected.map((record) => record.index)).toEqual([0]);
  });
});
