import { describe, expect, it } from 'vitest';
import { conflictTypes, decideFailure } from '../../../../shared/core/conflicts/failureDecision.js';

describe('failure decision table', () => {
  it('retries a data mismatch automatically while attempts remain, then leaves it to a person', () => {
    expect(decideFailure('DataMismatch', 0, 3)).toEqual({ handling: 'AutoRetry', pauseConnection: false });
    expect(decideFailure('DataMismatch', 2, 3)).toEqual({ handling: 'AutoRetry', pauseConnection: false });
    expect(decideFailure('DataMismatch', 3, 3)).toEqual({ handling: 'Manual', pauseConnection: false });
    expect(decideFailure('DataMismatch', 0, 0)).toEqual({ handling: 'Manual', pauseConnection: false });
  });

  it('leaves invalid data and exhausted retries to a person at once', () => {
    expect(decideFailure('ValidationError', 0, 3)).toEqual({ handling: 'Manual', pauseConnection: false });
    expect(decideFailure('RetryExhausted', 5, 5)).toEqual({ handling: 'Manual', pauseConnection: false });
  });

  it('leaves broken credentials to a person and pauses the connection', () => {
    expect(decideFailure('AuthError', 0, 3)).toEqual({ handling: 'Manual', pauseConnection: true });
  });

  it('skips a duplicate key', () => {
    expect(decideFailure('DuplicateKey', 0, 3)).toEqual({ handling: 'Skip', pauseConnection: false });
  });

  it('pauses the connection for auth errors only, whatever the attempts', () => {
    for (const type of conflictTypes) {
      for (const attempts of [0, 1, 10]) expect(decideFailure(type, attempts, 3).pauseConnection).toBe(type === 'AuthError');
    }
  });
});
