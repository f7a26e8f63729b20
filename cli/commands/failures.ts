import { Command } from 'commander';
import type { ContextFactory } from '../commandContext.js';
import { CliError } from '../cliError.js';
import { renderTable } from '../table.js';
import { renderRetry } from './runs.js';

interface FailureItem {
  id: string;
  executionId: string;
  taskId?: string;
  stream?: string;
  stage: string;
  errorClass: string;
  message: string;
  attempts: number;
}

/** Pure: open failures, one a row. */
export function renderFailures(items: FailureItem[]): string {
  return renderTable(
    ['failure', 'execution', 'task', 'stream', 'stage', 'error', 'message'],
    items.map((f) => [f.id, f.executionId, f.taskId, f.stream, f.stage, f.errorClass, f.message]),
  );
}

export function failuresCommand(context: ContextFactory): Command {
  const failures = new Command('failures').description('records, pages and messages that could not be synced');
  failures
    .command('list')
    .description('open failures')
    .action(async () => {
      const { api, out } = context();
      const page = await api.call<{ items: FailureItem[] }>('GET', api.tenantPath('failures?status=open&limit=1000'));
      out.show(page, () => renderFailures(page.items));
    });
  failures
    .command('retry [failureId]')
    .description('retry one failure, or every open one with --all')
    .option('--all', 'every open failure')
    .action(async (failureId: string | undefined, options: { all?: boolean }) => {
      if ((failureId === undefined) === !options.all) throw new CliError('give a failure id or --all', 2);
      const { api, out } = context();
      const answer = failureId
        ? await api.call<Record<string, unknown>>('POST', api.tenantPath(`failures/${encodeURIComponent(failureId)}/retry`))
        : await api.call<Record<string, unknown>>('POST', api.tenantPath('failures/retry'), {});
      out.show(answer, () => renderRetry(answer));
    });
  return failures;
}
