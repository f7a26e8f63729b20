import { app } from '@azure/functions';
import { runRetention } from '../shared/sync/operations/runRetention.js';
import { timerEndpoint } from './timer/timerEndpoint.js';

/** Hourly retention: a run does bounded work per tenant, so a backlog drains over a few runs. */
app.timer('cleanup', {
  schedule: '0 0 * * * *',
  handler: timerEndpoint(async (deps) => {
    const summary = await runRetention(deps);
    deps.log.info('retention cleanup done', { ...summary });
  }),
});
