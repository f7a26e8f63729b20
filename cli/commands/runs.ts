import { Command, Option } from 'commander';
import type { ContextFactory } from '../commandContext.js';
import { CliError } from '../cliError.js';
import { followRun } from '../followRun.js';
import { progressDisplay } from '../progressDisplay.js';
import { renderTable } from '../table.js';
import { formatDuration, type RunProgress } from '../progressText.js';

/** Exit code of a watched run that ended in anything but success: scripts can tell. */
const RUN_NOT_SUCCESSFUL = 3;

interface FinalView extends RunProgress {
  durationMs?: number | null;
  lastErrors?: Array<{ stage: string; errorClass: string; message: string }>;
}

/** Pure: a finished run's counts and its last errors, for people. */
export function renderFinalRun(view: FinalView): string {
  const head = `${view.id}: ${view.status}${view.durationMs ? ` in ${formatDuration(view.durationMs)}` : ''}`;
  const counts = renderTable(Object.keys(view.counts), [Object.values(view.counts)]);
  const errors = view.lastErrors?.length ? `\nlast errors:\n${renderTable(['stage', 'error', 'message'], view.lastErrors.map((e) => [e.stage, e.errorClass, e.message]))}` : '';
  return `${head}\n${counts}${errors}`;
}

export function runsCommand(context: ContextFactory): Command {
  const runs = new Command('runs').description('start, follow and steer executions');

  runs
    .command('start <task>')
    .description('start a run of a sync task')
    .addOption(new Option('--mode <mode>', 'read everything or what changed').choices(['full', 'incremental']))
    .option('--dry-run', 'count what would change, write nothing')
    .option('--watch', 'follow the run to its end with a progress bar')
    .action(async (task: string, options: { mode?: string; dryRun?: boolean; watch?: boolean }) => {
      const { api, out } = context();
      const body = { ...(options.mode ? { mode: options.mode } : {}), ...(options.dryRun ? { dryRun: true } : {}) };
      const started = await api.call<{ executionId: string; status: string }>('POST', api.tenantPath(`tasks/${encodeURIComponent(task)}/executions`), body);
      if (!options.watch) {
        out.show(started, () => `started ${started.executionId} (${started.status})`);
        return;
      }
      out.note(`started ${started.executionId}`);
      const display = progressDisplay();
      let final: FinalView;
      try {
        final = await followRun(api, started.executionId, (view) => display.update(view));
      } finally {
        display.stop();
      }
      out.show(final, () => renderFinalRun(final));
      if (final.status !== 'success') throw new CliError(`run ${final.id} ended ${final.status}`, RUN_NOT_SUCCESSFUL);
    });

  for (const [action, says] of [
    ['pause', 'hold a run (its messages are parked, not lost)'],
    ['resume', 'let a paused run go on'],
    ['cancel', 'stop a run'],
    ['retry', "retry every open failure of a finished run"],
  ] as const) {
    runs
      .command(`${action} <executionId>`)
      .description(says)
      .action(async (executionId: string) => {
        const { api, out } = context();
        const answer = await api.call<Record<string, unknown>>('POST', api.tenantPath(`executions/${encodeURIComponent(executionId)}/${action}`));
        out.show(answer, () => (action === 'retry' ? renderRetry(answer) : `${executionId}: ${String(answer['status'] ?? action)}`));
      });
  }
  return runs;
}

/** Pure: what a retry started. */
export function renderRetry(answer: Record<string, unknown>): string {
  const executions = (answer['executions'] as Array<{ executionId: string; taskId: string; failures: number }> | undefined) ?? [];
  if (executions.length === 0) return 'nothing to retry: no open failures';
  return renderTable(['execution', 'task', 'failures'], executions.map((e) => [e.executionId, e.taskId, e.failures]));
}
