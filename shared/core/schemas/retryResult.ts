import { z } from 'zod';

const failureCount = z.number().int().min(0);

/**
 * The answer of every retry route (`…/executions/{id}/retry`, `…/failures/retry`,
 * `…/failures/{id}/retry`), the same whether the retry started no execution, one or many.
 */
export const retryResult = z
  .strictObject({
    retried: failureCount.describe('Failures this request took over: each is now `retried`, naming its execution.'),
    executions: z
      .array(
        z.strictObject({
          executionId: z.string(),
          taskId: z.string(),
          statusUrl: z.string().describe('Where the run reports its progress (GET).'),
          failures: failureCount.describe('How many of the failures this run took over for this request.'),
        }),
      )
      .describe('The runs doing the retry: per task, as many as it takes (a run names at most 1,000 record ids per stream).'),
    skipped: z
      .strictObject({
        notOpen: failureCount.describe('Listed by id but no longer open: retried or resolved already.'),
        withoutTask: failureCount.describe('Not from a task run, so there is nothing to re-run.'),
        takenByAnother: failureCount.describe('Taken over by another retry at the same moment (theirs counts).'),
      })
      .describe('Matching failures this request did not take over, by reason.'),
  })
  .meta({ id: 'RetryResult', description: 'What a retry took over, and the executions doing it' });
export type RetryResult = z.infer<typeof retryResult>;
