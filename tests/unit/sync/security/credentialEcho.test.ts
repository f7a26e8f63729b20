import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../shared/sync/executions/startExecution.js';
import { getExecution } from '../../../../shared/sync/executions/executionQueries.js';
import { getFailure, listFailures } from '../../../../shared/sync/queries/failureQueries.js';
import { listConflicts } from '../../../../shared/sync/queries/conflictQueries.js';
import { saveSyncTask } from '../../../../shared/sync/resources/syncTasks.js';
import { patchShard } from '../../../../shared/sync/bidirectional/localEdits.js';
import { writeBack } from '../../../../shared/sync/bidirectional/writeBack.js';
import { putTenant } from '../../../../shared/sync/tenants/tenants.js';
import { openConflict } from '../../../../shared/sync/bidirectional/openConflict.js';
import { recordPageFailure } from '../../../../shared/sync/failures/pageFailure.js';
import { queueAlert } from '../../../../shared/sync/operations/alertQueue.js';
import { syncWriteBackMessage } from '../../../../shared/core/schemas/messages.js';
import { ids } from '../../../../shared/core/ids.js';
import { DEMO_CREDENTIALS } from '../../../../dev/demoSetup.js';
import { echoedForms, formsIn } from '../../core/security/echoedForms.js';
import { drain, syncFixture, type SyncFixture } from '../syncFixture.js';

/**
 * A store that echoes the credentials it received in its error bodies, through the use cases:
 * the connection boundary redacts what the connector throws, and what the use cases store or
 * send (failures, execution errors, conflicts, alerts) carries the provider's words, not the
 * credentials.
 */
const forms = echoedForms(DEMO_CREDENTIALS.consumerKey, DEMO_CREDENTIALS.consumerSecret);
const operator = { type: 'operator' as const, id: 'ops@example.com' };

describe('a provider echoing the credentials', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  it('fails the pages; failures and the execution’s last errors keep its message with the credentials redacted', async () => {
    fixture = await syncFixture(30);
    fixture.fake.setFaults({ failureRate: 1, kinds: ['credential_echo'], credentialEchoStatus: 400 });
    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await drain(fixture);

    const view = await getExecution(fixture.deps, 't1', execution.id);
    expect(view.status).toBe('failed');
    expect(view.lastErrors.length).toBeGreaterThan(0);
    for (const error of view.lastErrors) expect(error.message).toMatch(/Consumer key \[redacted\] with secret \[redacted\] was refused/);
    const failures = await listFailures(fixture.deps, 't1', { executionId: execution.id });
    expect(failures.items.length).toBeGreaterThan(0);
    const full = await Promise.all(failures.items.map((failure) => getFailure(fixture.deps, 't1', failure.id)));
    expect(formsIn(JSON.stringify({ view, full }), forms)).toEqual([]);
  });

  it('pauses the run for auth with an alert whose reason has the credentials redacted', async () => {
    fixture = await syncFixture(30);
    await putTenant(fixture.deps, 't1', { settings: { alerts: { url: 'http://127.0.0.1:9/alerts' } } });
    fixture.fake.setFaults({ failureRate: 1, kinds: ['credential_echo'] });
    const { execution } = await startExecution(fixture.deps, 't1', 'task', {});
    await drain(fixture);

    expect(await getExecution(fixture.deps, 't1', execution.id)).toMatchObject({ status: 'paused', pauseReason: 'auth' });
    const alerts = (await fixture.bus.receive('alerts', 10)).map((message) => message.body as { event: { type: string; reason?: string } });
    expect(alerts.map(({ event }) => event.type)).toEqual(['execution.paused_auth']);
    expect(alerts[0]!.event.reason).toMatch(/was refused.*\[redacted\]/);
    expect(formsIn(JSON.stringify(alerts), forms)).toEqual([]);
  });

  it('turns a write-back it rejects into a ValidationError conflict whose message has the credentials redacted', async () => {
    fixture = await syncFixture(5);
    await saveSyncTask(fixture.deps, 't1', { connectionId: 'shop', direction: 'bidirectional', streams: [{ stream: 'customers', schemaId: 'customers' }] }, 'bidi');
    const { execution } = await startExecution(fixture.deps, 't1', 'bidi', {});
    await drain(fixture);
    expect((await getExecution(fixture.deps, 't1', execution.id)).status).toBe('success');

    fixture.fake.setFaults({ writeFaults: [{ kind: 'credential_echo' }] });
    await patchShard(fixture.deps, 't1', ids.shardFor('shop', 'customers', '1'), { data: { phone: '+1 555 0100' } }, operator);
    const queued = await fixture.bus.receive('sync-writeback', 10);
    expect(queued).toHaveLength(1);
    await writeBack(fixture.deps, syncWriteBackMessage.parse(queued[0]!.body));

    const { items } = await listConflicts(fixture.deps, 't1', { type: 'ValidationError' });
    expect(items).toHaveLength(1);
    expect(items[0]!.message).toMatch(/^Consumer key \[redacted\] with secret \[redacted\] was refused/);
    expect(formsIn(JSON.stringify(items), forms)).toEqual([]);
  });
});

describe('where provider text is stored or sent', () => {
  let fixture: SyncFixture;
  afterEach(async () => fixture?.close());

  /** A secret the process loaded that no connector boundary knows, as text from elsewhere might carry. */
  const stray = 'whsec_stray_signing_key_42';

  it('failures, conflicts and alerts pass through the process’s redaction too', async () => {
    fixture = await syncFixture(5);
    const { deps } = fixture;
    deps.redaction.add(stray);
    await putTenant(deps, 't1', { settings: { alerts: { url: 'http://127.0.0.1:9/alerts' } } });
    const { execution } = await startExecution(deps, 't1', 'task', {});

    await recordPageFailure(
      deps,
      { id: 'fail_stray', tenantId: 't1', executionId: execution.id, taskId: 'task', stream: 'customers', stage: 'fetch', errorClass: 'ProviderError', message: `page 1: ${stray}`, attempts: 1, status: 'open', createdAt: new Date().toISOString() },
      1,
    );
    await openConflict(deps, {
      tenantId: 't1', shardId: 'shd_x', shardType: 'customer', connectionId: 'shop', stream: 'customers', externalId: '1', taskId: 'task',
      type: 'ValidationError', subject: 'ValidationError', message: `refused: ${stray.toUpperCase()}`,
    });
    await queueAlert(deps, { type: 'execution.paused_auth', tenantId: 't1', occurredAt: new Date().toISOString(), reason: `Bearer ${Buffer.from(`k:${stray}`).toString('base64')}` });

    expect((await getFailure(deps, 't1', 'fail_stray')).message).toBe('page 1: [redacted]');
    expect((await listConflicts(deps, 't1', {})).items.map((conflict) => conflict.message)).toEqual(['refused: [redacted]']);
    const alerts = await fixture.bus.receive('alerts', 10);
    expect(alerts.map((message) => (message.body as { event: { reason: string } }).event.reason)).toEqual(['Bearer [redacted]']);
  });
});
