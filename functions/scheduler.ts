import { app } from '@azure/functions';
import { runDueSchedules } from '../shared/sync/triggers/runDueSchedules.js';
import { timerEndpoint } from './timer/timerEndpoint.js';

/**
 * Every minute: start what schedules have due. Safe to overlap or repeat (instances, retries):
 * each occurrence starts one execution whoever fires it.
 */
app.timer('scheduler', {
  schedule: '0 * * * * *',
  handler: timerEndpoint(async (deps) => {
    const summary = await runDueSchedules(deps);
    // Quiet minutes stay out of the log.
    if (summary.fired + summary.skipped + summary.refused + summary.failed > 0) deps.log.info('schedules evaluated', { ...summary });
  }),
});
