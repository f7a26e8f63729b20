import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { saveConnection } from '../../../../shared/sync/resources/connections.js';
import { putTenant } from '../../../../shared/sync/tenants/tenants.js';
import { DEMO_CREDENTIALS } from '../../../../dev/demoSetup.js';
import { echoedForms, formsIn } from '../../core/security/echoedForms.js';
import { drain, syncFixture, type SyncFixture } from '../syncFixture.js';

describe('credentials the provider refuses', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  it('pause the execution with reason auth and alert; new credentials resume it to success', async () => {
    fixture = await syncFixture(120);
    await putTenant(fixture.deps, 't1', { settings: { alerts: { url: 'http://127.0.0.1:9/alerts' } } });
    const revoked = { consumerKey: DEMO_CREDENTIALS.consumerKey, consumerSecret: 'cs_revoked' };
    const saved = await saveConnection(fixture.deps, 't1', { provider: 'woocommerce', settings: { baseUrl: fixture.fake.url }, credentials: revoked }, 'shop');
    // Saving tested them: the store's refusal is in the answer already.
    expect(saved.connection.connectionTest).toMatchObject({ outcome: 'unauthorized', status: 401 });
    const runRequestsFrom = fixture.fake.requestLog.length;

    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await drain(fixture);
    const paused = await getExecution(fixture.deps, 't1', execution.id);
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'auth', counts: { created: 0 } });
    const alerts = await fixture.bus.receive('alerts', 10);
    expect(alerts.map((message) => (message.body as { event: { type: string } }).event.type)).toEqual(['execution.paused_auth']);
    // The refused request was not retried over and over: auth errors wait for a person.
    expect(fixture.fake.requestLog.slice(runRequestsFrom).filter((entry) => entry.status === 401)).toHaveLength(1);

    await saveConnection(fixture.deps, 't1', { provider: 'woocommerce', settings: { baseUrl: fixture.fake.url }, credentials: DEMO_CREDENTIALS }, 'shop');
    expect((await getExecution(fixture.deps, 't1', execution.id)).status).toBe('running');
    await drain(fixture);
    expect(await getExecution(fixture.deps, 't1', execution.id)).toMatchObject({ status: 'success', counts: { created: 120, failed: 0 } });
  });

  it("show the provider's answer, credentials redacted, as the pause detail and in the last errors", async () => {
    fixture = await syncFixture(120);
    // The store refuses with 401 and echoes the credentials it got in every form.
    fixture.fake.setFaults({ failureRate: 1, kinds: ['credential_echo'] });
    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await drain(fixture);

    const paused = await getExecution(fixture.deps, 't1', execution.id);
    const answer = {
      stage: 'fetch',
      stream: 'customers',
      errorClass: 'AuthError',
      httpStatus: 401,
      message: expect.stringMatching(/failed with 401 woocommerce_rest_authentication_error: Consumer key \[redacted\] with secret \[redacted\] was refused/),
    };
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'auth', pauseDetail: { ...answer, code: 'woocommerce_rest_authentication_error' } });
    expect(paused.lastErrors).toEqual([{ ...answer, at: paused.pauseDetail!.at }]);
    expect(formsIn(JSON.stringify(paused), echoedForms(DEMO_CREDENTIALS.consumerKey, DEMO_CREDENTIALS.consumerSecret))).toEqual([]);

    // Fixed: the run goes on and ends; the pause detail goes, the refusal stays one of its errors.
    fixture.fake.setFaults({});
    await saveConnection(fixture.deps, 't1', { provider: 'woocommerce', settings: { baseUrl: fixture.fake.url }, credentials: DEMO_CREDENTIALS }, 'shop');
    await drain(fixture);
    const done = await getExecution(fixture.deps, 't1', execution.id);
    expect(done).toMatchObject({ status: 'success', pauseReason: null, pauseDetail: null });
    expect(done.lastErrors).toEqual([expect.objectContaining({ errorClass: 'AuthError', httpStatus: 401 })]);
  });
});
