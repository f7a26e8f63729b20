import type { z } from 'zod';
import { InvalidInputError, type IssueDetail } from './invalidInputError.js';

const joinPath = (parts: (string | number | symbol)[]): string => parts.map(String).filter(Boolean).join('.');

/** One issue per problem; an unknown key is named in its own path (`query.since`, `data.foo`). */
export const toIssues = (error: z.ZodError, prefix = ''): IssueDetail[] =>
  error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: joinPath([prefix, ...issue.path, key]), message: 'is not recognised here' }))
      : [{ path: joinPath([prefix, ...issue.path]), message: issue.message }],
  );

/** Parses with a zod schema, turning every problem into one InvalidInputError (HTTP 422). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new InvalidInputError(toIssues(result.error, prefix));
  return result.data;
}
