import { describe, expect, it } from 'vitest';
import { IDS_PARAM, odooDateTime, searchArguments, WRITTEN_SINCE_PARAM } from '../../../shared/connectors/odoo/odooDomain.js';
import { ProviderError } from '../../../shared/connectors/providerError.js';

describe('Odoo search_read arguments from a planned page', () => {
  it('a full read: no domain, id order, the offset and limit as numbers', () => {
    expect(searchArguments({ offset: '500', limit: '100' })).toEqual({ domain: [], order: 'id asc', offset: 500, limit: 100 });
  });

  it('an incremental read: write_date > a naive UTC string, ordered by write_date then id', () => {
    expect(searchArguments({ [WRITTEN_SINCE_PARAM]: '2026-03-01T10:59:59', offset: '0', limit: '100' })).toEqual({
      domain: [['write_date', '>', '2026-03-01 10:59:59']],
      order: 'write_date asc, id asc',
      offset: 0,
      limit: 100,
    });
    expect(odooDateTime('2026-03-01T10:59:59.123Z')).toBe('2026-03-01 10:59:59');
  });

  it('ids become an `in` domain of integers', () => {
    expect(searchArguments({ [IDS_PARAM]: '3,17', offset: '0', limit: '100' }).domain).toEqual([['id', 'in', [3, 17]]]);
  });

  it('refuses a filter it cannot express rather than reading more than asked', () => {
    expect(() => searchArguments({ status: 'open', offset: '0', limit: '1' })).toThrow(ProviderError);
  });
});
