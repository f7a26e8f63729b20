import type { FieldContext } from './result.js';

/** One compiled transform: pure apart from reporting warnings to the field's context. */
export type Step = (value: unknown, context: FieldContext) => unknown;
export type AsyncStep = (value: unknown, context: FieldContext) => Promise<unknown>;
