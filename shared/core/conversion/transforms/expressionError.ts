/** An expression failed or ran past its time bound: the record fails, not the batch. */
export class ExpressionError extends Error {}
