import { app } from '@azure/functions';
import { resumeAfterQuota } from '../shared/sync/executions/quotaResume.js';
import { timerEndpoint } from './timer/timerEndpoint.js';

/** Every minute: runs paused because a provider's quota ran out resume once it is back. */
app.timer('quotaResume', {
  schedule: '30 * * * * *',
  handler: timerEndpoint(async (deps) => {
    const summary = await resumeAfterQuota(deps);
    if (summary.resumed > 0) deps.log.info('runs resumed after their quota came back', { ...summary });
  }),
});
