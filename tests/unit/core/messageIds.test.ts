import { describe, expect, it } from 'vitest';
import { messageIds } from '../../../shared/core/messageIds.js';
import { alertId, type AlertEvent } from '../../../shared/core/operations/alertPayload.js';

const failed: AlertEvent = { type: 'execution.failed', tenantId: 'acme', occurredAt: '2025-01-02T03:04:05.000Z', executionId: 'exe_1' };

/** Every text of 1 to `length` characters of `alphabet`. */
function texts(alphabet: readonly string[], length: number): string[] {
  let level = [''];
  const all: string[] = [];
  for (let i = 0; i < length; i++) {
    level = level.flatMap((text) => alphabet.map((char) => text + char));
    all.push(...level);
  }
  return all;
}

/** Free text made of what could make two ids meet: separators, kind letters, digits. */
const freeTexts = texts([':', '~', 'p', 'a', '1'], 3);
/** Generated ids hold neither `:` nor `~`; one ends in a digit, like a count. */
const executionIds = ['exe_a', 'exe_1'];
const resourceIds = ['a', 'a-1'];
/** One digit and two, so a number can never pass for two. */
const numbers = [1, 2, 12];

type Made = { id: string; parts: unknown[] };

/** Each id a kind makes from its parts, over every combination of the given values. */
function everyId(kind: string, make: (...parts: never[]) => string, values: ReadonlyArray<readonly unknown[]>): Made[] {
  let combinations: unknown[][] = [[]];
  for (const options of values) combinations = combinations.flatMap((combination) => options.map((value) => [...combination, value]));
  return combinations.map((parts) => ({ id: (make as (...parts: unknown[]) => string)(...parts), parts: [kind, ...parts] }));
}

/** A queue's ids, and each of them re-sent after a pause. */
const withReleases = (made: Made[]): Made[] => [
  ...made,
  ...made.flatMap(({ id, parts }) => numbers.map((at) => ({ id: messageIds.released(id, at), parts: ['released', ...parts, at] }))),
];

/** No id made twice from different parts. */
function expectInjective(made: Made[]): void {
  expect(made.length).toBeGreaterThan(50);
  const partsOf = new Map<string, string>();
  const collisions: string[] = [];
  for (const { id, parts } of made) {
    const key = JSON.stringify(parts);
    const seen = partsOf.get(id);
    if (seen !== undefined && seen !== key) collisions.push(`${id}: ${seen} and ${key}`);
    partsOf.set(id, key);
  }
  expect(collisions).toEqual([]);
}

describe('message ids', () => {
  it('keep the spellings messages have always had, so duplicate detection holds across a deploy', () => {
    expect(messageIds.start('exe_1')).toBe('exe_1:start');
    expect(messageIds.startAfter('exe_2', 'exe_1')).toBe('exe_2:start:after:exe_1');
    expect(messageIds.startWait('exe_1', 1700000000000, 42)).toBe('exe_1:start:w1700000000000:42');
    expect(messageIds.page('exe_1', 'customers', 1)).toBe('exe_1:customers:p1');
    expect(messageIds.pageRetry('exe_1', 'customers', 3, 2)).toBe('exe_1:customers:p3:a2');
    expect(messageIds.pageDeferral('exe_1', 'customers', 3, 0, 1)).toBe('exe_1:customers:p3:a0:d1');
    expect(messageIds.batch('exe_1', 'orders', 7)).toBe('exe_1:orders:b7');
    expect(messageIds.batchLinkWait('exe_1', 'orders', 7, 2)).toBe('exe_1:orders:b7:w2');
    expect(messageIds.released('exe_1:orders:b7', 1700000000000)).toBe('exe_1:orders:b7~1700000000000');
    expect(messageIds.writeBack('acme', 'shd_x', 'crm', 'hash', 0)).toBe('acme:shd_x:crm:hash:0');
    expect(messageIds.dedupeRolloutPage('acme', 'person', 3, '1700000000000', 2)).toBe('rollout:acme:person:3:1700000000000:2');
    expect(messageIds.alert(failed)).toBe(alertId(failed));
    expect(messageIds.alertRetry(failed, 2)).toBe(`${alertId(failed)}:a2`);
    expect(messageIds.webhookFlush('whw_1')).toBe('webhook-flush:whw_1');
  });

  it('never give two different requests of one queue the same id, whatever text a stream holds', () => {
    expectInjective(
      withReleases([
        ...everyId('page', messageIds.page, [executionIds, freeTexts, numbers]),
        ...everyId('retry', messageIds.pageRetry, [executionIds, freeTexts, numbers, numbers]),
        ...everyId('deferral', messageIds.pageDeferral, [executionIds, freeTexts, numbers, numbers, numbers]),
      ]),
    );
    expectInjective(
      withReleases([
        ...everyId('batch', messageIds.batch, [executionIds, freeTexts, numbers]),
        ...everyId('link wait', messageIds.batchLinkWait, [executionIds, freeTexts, numbers, numbers]),
      ]),
    );
    expectInjective(
      withReleases([
        ...everyId('start', messageIds.start, [executionIds]),
        ...everyId('after', messageIds.startAfter, [executionIds, executionIds]),
        ...everyId('wait', messageIds.startWait, [executionIds, numbers, numbers]),
      ]),
    );
  });

  it('never give two write-backs or two rollout pages the same id, whatever text their free part holds', () => {
    expectInjective(everyId('write-back', messageIds.writeBack, [resourceIds, executionIds, resourceIds, freeTexts, numbers]));
    expectInjective(everyId('rollout page', messageIds.dedupeRolloutPage, [resourceIds, freeTexts, numbers, numbers.map(String), numbers]));
  });

  it('the check finds ids that meet: without the kind letters, a page and a retry share one', () => {
    const page = (executionId: string, stream: string, page: number) => `${executionId}:${stream}:${page}`;
    const retry = (executionId: string, stream: string, page: number, attempt: number) => `${executionId}:${stream}:${page}:${attempt}`;
    expect(() =>
      expectInjective([...everyId('page', page, [executionIds, freeTexts, numbers]), ...everyId('retry', retry, [executionIds, freeTexts, numbers, numbers])]),
    ).toThrow();
  });
});
