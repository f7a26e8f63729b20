import jsonata from 'jsonata';
import type { TransformRule } from '../schema.js';
import type { AsyncStep } from '../step.js';
import { ExpressionError } from './expressionError.js';

const DEADLINE = 'shardsyncDeadline';

/** JSONata sequences carry extra properties; shards hold plain JSON only. */
function plain(value: unknown): unknown {
  if (value === undefined || typeof value === 'function') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(plain);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined && typeof item !== 'function') out[key] = plain(item);
  return out;
}

/**
 * Compiled once. The time bound is checked on every evaluation step through JSONata's
 * `__evaluate_entry` hook: a timer cannot fire while evaluation only queues microtasks. The
 * deadline travels in the per-call bindings, so concurrent records do not share it. The input
 * is the whole record; `$value` is the field's value so far.
 */
export function expressionStep(rule: Extract<TransformRule, { op: 'expression' }>): AsyncStep {
  const expression = jsonata(rule.expression);
  const onEntry = (_node: unknown, _input: unknown, environment: { lookup(name: string): unknown }) => {
    if (Date.now() > (environment.lookup(DEADLINE) as number)) throw new ExpressionError(`expression took longer than ${rule.timeoutMs} ms`);
  };
  expression.assign(Symbol.for('jsonata.__evaluate_entry') as unknown as string, onEntry);
  return async (value, context) => {
    try {
      return plain(await expression.evaluate(context.record, { value, [DEADLINE]: Date.now() + rule.timeoutMs }));
    } catch (error) {
      const message = error instanceof Error ? error.message : (error as { message?: string }).message ?? String(error);
      throw new ExpressionError(message);
    }
  };
}
