import { describe, expect, it } from 'vitest';
import { compileSchema } from '../../../../shared/core/conversion/compileSchema.js';

describe('expression transform', () => {
  it('makes the schema async and evaluates over the record with $value', async () => {
    const compiled = compileSchema({
      shardType: 't',
      fields: [
        { from: 'items', to: 'total', transforms: [{ op: 'expression', expression: '$sum($value.(price * qty))' }] },
        { from: 'name', to: 'name', transforms: [{ op: 'trim' }, { op: 'expression', expression: '$uppercase($value) & " #" & $string(id)' }] },
        { from: 'tags', to: 'tags', transforms: [{ op: 'expression', expression: 'tags[$ != "x"]' }] },
      ],
    });
    expect(compiled.async).toBe(true);
    const result = await compiled.run({ id: 3, name: ' zoë ', items: [{ price: 2, qty: 3 }, { price: 1.5, qty: 2 }], tags: ['a', 'x', 'b'] });
    expect(result).toEqual({ ok: true, primary: { shardType: 't', data: { total: 9, name: 'ZOË #3', tags: ['a', 'b'] } }, derived: [], warnings: [] });
  });

  it('fails only the record whose expression throws', async () => {
    const compiled = compileSchema({ shardType: 't', fields: [{ from: 'n', to: 'n', transforms: [{ op: 'expression', expression: '$number($value) + 1' }] }] });
    const [bad, good] = await Promise.all([compiled.run({ n: 'abc' }), compiled.run({ n: '41' })]);
    expect(bad).toMatchObject({ ok: false, issues: [{ sourcePath: 'n', targetPath: 'n', rule: 'expression' }] });
    expect(good).toMatchObject({ ok: true, primary: { data: { n: 42 } } });
  });

  it('stops an expression that runs past its time bound, failing only that record', async () => {
    const compiled = compileSchema({
      shardType: 't',
      fields: [{
        from: 'loop', to: 'out',
        transforms: [{ op: 'expression', timeoutMs: 50, expression: '$value ? ($f := function($n) { $f($n + 1) }; $f(0)) : "done"' }],
      }],
    });
    const started = Date.now();
    const [looping, quick] = await Promise.all([compiled.run({ loop: true }), compiled.run({ loop: false })]);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(looping).toMatchObject({ ok: false, issues: [{ rule: 'expression', message: 'expression took longer than 50 ms' }] });
    expect(quick).toMatchObject({ ok: true, primary: { data: { out: 'done' } } });
    // The compiled expression stays usable after a timeout.
    expect(await compiled.run({ loop: false })).toMatchObject({ ok: true });
  });

  it('runs expressions inside map per element', async () => {
    const compiled = compileSchema({ shardType: 't', fields: [{ from: 'xs', to: 'ys', transforms: [{ op: 'map', transforms: [{ op: 'expression', expression: '$value * 2' }] }] }] });
    expect(await compiled.run({ xs: [1, 2, 3] })).toMatchObject({ ok: true, primary: { data: { ys: [2, 4, 6] } } });
  });
});
