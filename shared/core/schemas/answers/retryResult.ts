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
  .meta({
    id: 'RetryResult',
    description: 'What a retry took over, and the executions doing it',
    examples: [
      {
        retried: 2500,
        executions: [
          { executionId: 'exe_a1', taskId: 'shop-customers', statusUrl: '/api/tenants/acme/executions/exe_a1', failures: 1000 },
          { executionId: 'exe_a2', taskId: 'shop-customers', statusUrl: '/api/tenants/acme/executions/exe_a2', failures: 1000 },
          { executionId: 'exe_a3', taskId: 'shop-customers', statusUrl: '/api/tenants/acme/executions/exe_a3', failures: 500 },
        ],
        skipped: { notOpen: 0, withoutTask: 0, takenByAnother: 0 },
      },
    ],
  });
export type RetryResult = z.infer<typeof retryResult>;
