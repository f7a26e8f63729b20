import type { z } from 'zod';
import { InvalidInputError, type IssueDetail } from './useCaseErrors.js';

export const toIssues = (error: z.ZodError, prefix = ''): IssueDetail[] =>
  error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));

/** Parses with a zod schema, turning every problem into one InvalidInputError (HTTP 422). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new InvalidInputError(toIssues(result.error, prefix));
  return result.data;
}
