import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../shared/sync/startExecution.js';
import { getExecution } from '../../../shared/sync/executionQueries.js';
import { saveConnection } from '../../../shared/sync/connections.js';
import { putTenant } from '../../../shared/sync/tenants.js';
import { DEMO_CREDENTIALS } from '../../../dev/demoSetup.js';
import { drain, syncFixture, type SyncFixture } from './syncFixture.js';

describe('credentials the provider refuses', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  it('pause the execution with reason auth and alert; new credentials resume it to success', async () => {
    fixture = await syncFixture(120);
    await putTenant(fixture.deps, 't1', { settings: { alerts: { url: 'http://127.0.0.1:9/alerts' } } });
    const revoked = { consumerKey: DEMO_CREDENTIALS.consumerKey, consumerSecret: 'cs_revoked' };
    await saveConnection(fixture.deps, 't1', { provider: 'woocommerce', settings: { baseUrl: fixture.fake.url }, credentials: revoked }, 'shop');

    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await drain(fixture);
    const paused = await getExecution(fixture.deps, 't1', execution.id);
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'auth', counts: { created: 0 } });
    const alerts = await fixture.bus.receive('alerts', 10);
    expect(alerts.map((message) => (message.body as { event: { type: string } }).event.type)).toEqual(['execution.paused_auth']);
    // The refused request was not retried over and over: auth errors wait for a person.
    expect(fixture.fake.requestLog.filter((entry) => entry.status === 401)).toHaveLength(1);

    await saveConnection(fixture.deps, 't1', { provider: 'woocommerce', settings: { baseUrl: fixture.fake.url }, credentials: DEMO_CREDENTIALS }, 'shop');
    expect((await getExecution(fixture.deps, 't1', execution.id)).status).toBe('running');
    await drain(fixture);
    expect(await getExecution(fixture.deps, 't1', execution.id)).toMatchObject({ status: 'success', counts: { created: 120, failed: 0 } });
  });
});
