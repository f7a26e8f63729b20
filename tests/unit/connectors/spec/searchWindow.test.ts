import { describe, expect, it } from 'vitest';
import { decodeWindow, encodeWindow, stepWindow } from '../../../../shared/connectors/spec/searchWindow.js';
import { connectorSpec } from '../../../../shared/connectors/spec/connectorSpec.js';

const at = (second: number) => `2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z`;
const page = (seconds: number[], next?: string) => ({ records: seconds.map((second, index) => ({ id: String(index), updated_at: at(second) })), ...(next ? { next } : {}) });
const options = { ceiling: 10, perPage: 4, modifiedField: 'updated_at' };

describe('search windows', () => {
  it('goes on within the window while another page fits under the ceiling, then starts a window at the latest modified time read', () => {
    const first = stepWindow({ served: 0 }, page([1, 2, 3, 4], 'c1'), options);
    expect(first.kind === 'next' && decodeWindow(first.next)).toEqual({ inner: 'c1', served: 4 });
    const second = stepWindow({ inner: 'c1', served: 4 }, page([5, 6, 7, 8], 'c2'), options);
    expect(second.kind === 'next' && decodeWindow(second.next)).toEqual({ anchorMs: Date.parse(at(8)), served: 0 });
  });

  it('ends after the last page, and is stuck rather than looping when a window cannot move past its anchor', () => {
    expect(stepWindow({ served: 4 }, page([5, 6]), options)).toEqual({ kind: 'next' });
    const stuck = stepWindow({ anchorMs: Date.parse(at(8)), inner: 'c', served: 4 }, page([8, 8, 8, 8], 'c2'), options);
    expect(stuck).toMatchObject({ kind: 'stuck', problem: expect.stringContaining('more than 10 results share one modified time') });
  });

  it('round-trips its token and refuses one it did not make', () => {
    expect(decodeWindow(encodeWindow({ anchorMs: 5, inner: 'x', served: 3 }))).toEqual({ anchorMs: 5, inner: 'x', served: 3 });
    expect(decodeWindow(undefined)).toEqual({ served: 0 });
    expect(decodeWindow('not json')).toBeUndefined();
    expect(decodeWindow('{"a":"yesterday","n":null,"s":0}')).toBeUndefined();
  });

  it('a spec with resultCeiling needs the incremental filter its windows re-anchor with', () => {
    const spec = {
      title: 'Search',
      baseUrl: 'https://api.example.com',
      auth: { kind: 'none' },
      maxPageSize: 100,
      streams: [{ name: 'contacts', path: 'search', modifiedField: 'updated_at', paginator: { kind: 'cursor', nextCursorPath: 'next', resultCeiling: 10_000 } }],
    };
    const parsed = connectorSpec.safeParse(spec);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['streams.0.incremental']);
    expect(connectorSpec.safeParse({ ...spec, streams: [{ ...spec.streams[0], incremental: { param: 'updated_since' } }] }).success).toBe(true);
  });
});
