import { describe, expect, it } from 'vitest';
import { depthChecked, keepableRecord, recordTooDeep } from '../../../../shared/core/conversion/depthLimit.js';
import { MAX_JSON_DEPTH } from '../../../../shared/core/jsonDepth.js';
import type { TransformResult } from '../../../../shared/core/conversion/result.js';

function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

describe('the depth limit of conversion', () => {
  it('a record as deep as allowed converts; one level deeper fails naming where, whatever its depth', () => {
    expect(recordTooDeep(nested(MAX_JSON_DEPTH))).toBeUndefined();
    for (const levels of [MAX_JSON_DEPTH + 1, 100_000]) {
      expect(recordTooDeep({ id: 1, meta: nested(levels) })).toEqual({
        ok: false,
        issues: [{ sourcePath: ['meta', ...Array<string>(MAX_JSON_DEPTH - 1).fill('a')].join('.'), targetPath: '', rule: 'depth', message: `the record is nested deeper than ${MAX_JSON_DEPTH} levels` }],
      });
    }
  });

  it('converted data nested too deep, primary or derived, fails naming the target; the rest passes as it is', () => {
    const ok = (derivedData: unknown): TransformResult => ({
      ok: true,
      primary: { shardType: 'customer', data: { name: 'Ann' } },
      derived: [{ shardType: 'profile', key: 'k', data: { extra: derivedData } }],
      warnings: [],
    });
    const fine = ok(nested(3));
    expect(depthChecked(fine)).toBe(fine);
    expect(depthChecked(ok(nested(MAX_JSON_DEPTH)))).toMatchObject({
      ok: false,
      issues: [{ targetPath: expect.stringMatching(/^extra\.a\.a/), rule: 'depth', message: `the profile data is nested deeper than ${MAX_JSON_DEPTH} levels` }],
    });
    const failed: TransformResult = { ok: false, issues: [{ sourcePath: 'email', targetPath: 'email', rule: 'required', message: 'missing' }] };
    expect(depthChecked(failed)).toBe(failed);
  });

  it('a page keeps a record too deep to serialise only as its id, and the batch still fails it naming where', () => {
    const fine = { id: 7, meta: nested(3) };
    expect(keepableRecord(fine, 'id')).toBe(fine);
    const kept = keepableRecord({ id: 8, meta: nested(100_000) }, 'id');
    // Small enough for any serialiser: the page can be parked and published.
    expect(JSON.stringify(kept).length).toBeLessThan(500);
    expect(kept['id']).toBe(8);
    expect(recordTooDeep(kept)).toMatchObject({
      ok: false,
      issues: [{ sourcePath: expect.stringMatching(/^meta\.a\.a/), rule: 'depth', message: `the record is nested deeper than ${MAX_JSON_DEPTH} levels` }],
    });
  });
});
