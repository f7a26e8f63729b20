import { describe, expect, it } from 'vitest';
import { editedShardHash } from '../../../../shared/core/executions/editedShardHash.js';
import { recordHash } from '../../../../shared/core/executions/shardWritePlan.js';

describe('the hash of a shard edited on our side', () => {
  it('is the one the writer gives a shard of that type and data', () => {
    const data = { email: 'ann@example.com' };
    expect(editedShardHash({ shardType: 'customer' }, data)).toBe(recordHash({ shardType: 'customer', data, derived: [], parents: [] }));
  });

  it('follows the data, key order aside, and tells shard types and derived keys apart', () => {
    const hash = editedShardHash({ shardType: 'customer' }, { a: 1, b: 2 });
    expect(editedShardHash({ shardType: 'customer' }, { b: 2, a: 1 })).toBe(hash);
    expect(editedShardHash({ shardType: 'customer' }, { a: 1, b: 3 })).not.toBe(hash);
    expect(editedShardHash({ shardType: 'company' }, { a: 1, b: 2 })).not.toBe(hash);
    expect(editedShardHash({ shardType: 'customer', derivedKey: 'Acme' }, { a: 1, b: 2 })).not.toBe(hash);
  });
});
