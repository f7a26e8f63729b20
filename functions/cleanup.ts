import { app } from '@azure/functions';
import { getRuntime } from '../shared/runtime.js';
import { runRetention } from '../shared/sync/operations/runRetention.js';

/** Hourly retention: a run does bounded work per tenant, so a backlog drains over a few runs. */
app.timer('cleanup', {
  schedule: '0 0 * * * *',
  handler: async () => {
    const { deps } = await getRuntime();
    const summary = await runRetention(deps);
    deps.log.info('retention cleanup done', { ...summary });
  },
});
