import { beforeAll, describe, expect, it } from 'vitest';
import { loadFunctionFiles, type LoadedApp } from '../../dev/host/loadFunctions.js';
import { projectDir } from './hostProcess.js';

/**
 * Loads every compiled function file (package.json `main`) through the `@azure/functions-core`
 * module the Node worker provides, and checks what each one registers.
 */
describe('function registrations', () => {
  let loaded: LoadedApp;
  beforeAll(async () => {
    loaded = await loadFunctionFiles(projectDir, { ...process.env });
  });

  const summary = () =>
    Object.fromEntries(
      loaded.functions.map((f) => [
        f.name,
        f.trigger === 'httpTrigger'
          ? { trigger: f.trigger, route: f.route, methods: f.methods, authLevel: f.authLevel, access: f.access }
          : f.trigger === 'serviceBusTrigger'
            ? { trigger: f.trigger, queueName: f.queueName, connection: f.connection }
            : { trigger: f.trigger, schedule: f.schedule },
      ]),
    );

  it('loads every function file and nothing is left unsupported', () => {
    expect(loaded.files.map((file) => file.replace(/.*\/dist\//, 'dist/')).sort()).toEqual([
      'dist/functions/accessControl.js',
      'dist/functions/activity.js',
      'dist/functions/changes.js',
      'dist/functions/cleanup.js',
      'dist/functions/conflicts.js',
      'dist/functions/connections.js',
      'dist/functions/console.js',
      'dist/functions/conversionSchemas.js',
      'dist/functions/deadLetters.js',
      'dist/functions/dedupeRollout.js',
      'dist/functions/dedupeRules.js',
      'dist/functions/deliverAlerts.js',
      'dist/functions/executionControls.js',
      'dist/functions/executionEvents.js',
      'dist/functions/executions.js',
      'dist/functions/failures.js',
      'dist/functions/health.js',
      'dist/functions/openApi.js',
      'dist/functions/quotaResume.js',
      'dist/functions/scheduler.js',
      'dist/functions/schedules.js',
      'dist/functions/shards.js',
      'dist/functions/syncBatch.js',
      'dist/functions/syncPage.js',
      'dist/functions/syncStart.js',
      'dist/functions/syncTasks.js',
      'dist/functions/syncWriteBack.js',
      'dist/functions/tenants.js',
      'dist/functions/webhooks.js',
    ]);
    expect(loaded.warnings).toEqual([]);
  });

  it('registers the admin API with its routes, methods and who may call each (authenticated in code, so anonymous to the platform)', () => {
    const http = (route: string, methods: string[], access: string) => ({ trigger: 'httpTrigger', route, methods, authLevel: 'anonymous', access });
    expect(summary()).toMatchObject({
      health: http('health', ['GET'], 'anonymous'),
      openApi: http('openapi.json', ['GET'], 'anonymous'),
      console: http('console/{*path}', ['GET'], 'anonymous'),
      putTenant: http('tenants/{tenantId}', ['PUT'], 'admin'),
      getTenant: http('tenants/{tenantId}', ['GET'], 'read'),
      createConnection: http('tenants/{tenantId}/connections', ['POST'], 'admin'),
      listConnections: http('tenants/{tenantId}/connections', ['GET'], 'read'),
      putConnection: http('tenants/{tenantId}/connections/{connectionId}', ['PUT'], 'admin'),
      getConnection: http('tenants/{tenantId}/connections/{connectionId}', ['GET'], 'read'),
      testConnection: http('tenants/{tenantId}/connections/{connectionId}/test', ['POST'], 'operate'),
      readWebhookVerification: http('tenants/{tenantId}/connections/{connectionId}/webhook-verification', ['GET'], 'admin'),
      createSchema: http('tenants/{tenantId}/schemas', ['POST'], 'admin'),
      listSchemas: http('tenants/{tenantId}/schemas', ['GET'], 'read'),
      putSchema: http('tenants/{tenantId}/schemas/{schemaId}', ['PUT'], 'admin'),
      getSchema: http('tenants/{tenantId}/schemas/{schemaId}', ['GET'], 'read'),
      deleteSchema: http('tenants/{tenantId}/schemas/{schemaId}', ['DELETE'], 'admin'),
      previewSchema: http('tenants/{tenantId}/schemas/{schemaId}/preview', ['POST'], 'read'),
      createRuleSet: http('tenants/{tenantId}/dedupe-rules', ['POST'], 'admin'),
      listRuleSets: http('tenants/{tenantId}/dedupe-rules', ['GET'], 'read'),
      putRuleSet: http('tenants/{tenantId}/dedupe-rules/{shardType}', ['PUT'], 'admin'),
      getRuleSet: http('tenants/{tenantId}/dedupe-rules/{shardType}', ['GET'], 'read'),
      createTask: http('tenants/{tenantId}/tasks', ['POST'], 'admin'),
      listTasks: http('tenants/{tenantId}/tasks', ['GET'], 'read'),
      putTask: http('tenants/{tenantId}/tasks/{taskId}', ['PUT'], 'admin'),
      getTask: http('tenants/{tenantId}/tasks/{taskId}', ['GET'], 'read'),
      pushTask: http('tenants/{tenantId}/tasks/{taskId}/push', ['POST'], 'operate'),
      startExecution: http('tenants/{tenantId}/tasks/{taskId}/executions', ['POST'], 'operate'),
      listExecutions: http('tenants/{tenantId}/executions', ['GET'], 'read'),
      getExecution: http('tenants/{tenantId}/executions/{executionId}', ['GET'], 'read'),
      streamExecutionEvents: http('tenants/{tenantId}/executions/{executionId}/events', ['GET'], 'read'),
      pauseExecution: http('tenants/{tenantId}/executions/{executionId}/pause', ['POST'], 'operate'),
      resumeExecution: http('tenants/{tenantId}/executions/{executionId}/resume', ['POST'], 'operate'),
      cancelExecution: http('tenants/{tenantId}/executions/{executionId}/cancel', ['POST'], 'operate'),
      confirmExecution: http('tenants/{tenantId}/executions/{executionId}/confirm', ['POST'], 'operate'),
      retryExecution: http('tenants/{tenantId}/executions/{executionId}/retry', ['POST'], 'operate'),
      listFailures: http('tenants/{tenantId}/failures', ['GET'], 'read'),
      getFailure: http('tenants/{tenantId}/failures/{failureId}', ['GET'], 'read'),
      retryFailures: http('tenants/{tenantId}/failures/retry', ['POST'], 'operate'),
      retryFailure: http('tenants/{tenantId}/failures/{failureId}/retry', ['POST'], 'operate'),
      listActivity: http('tenants/{tenantId}/activity', ['GET'], 'read'),
      listChanges: http('tenants/{tenantId}/changes', ['GET'], 'read'),
      createSchedule: http('tenants/{tenantId}/schedules', ['POST'], 'admin'),
      listSchedules: http('tenants/{tenantId}/schedules', ['GET'], 'read'),
      putSchedule: http('tenants/{tenantId}/schedules/{scheduleId}', ['PUT'], 'admin'),
      getSchedule: http('tenants/{tenantId}/schedules/{scheduleId}', ['GET'], 'read'),
      deleteSchedule: http('tenants/{tenantId}/schedules/{scheduleId}', ['DELETE'], 'admin'),
      receiveWebhook: http('webhooks/{tenantId}/{connectionId}', ['POST'], 'signature'),
      listShards: http('tenants/{tenantId}/shards', ['GET'], 'read'),
      getShard: http('tenants/{tenantId}/shards/{shardId}', ['GET'], 'read'),
      unmergeShard: http('tenants/{tenantId}/shards/{shardId}/unmerge', ['POST'], 'operate'),
      patchShard: http('tenants/{tenantId}/shards/{shardId}', ['PATCH'], 'admin'),
      listConflicts: http('tenants/{tenantId}/conflicts', ['GET'], 'read'),
      resolveConflict: http('tenants/{tenantId}/conflicts/{conflictId}/resolve', ['POST'], 'operate'),
      createApiKey: http('tenants/{tenantId}/api-keys', ['POST'], 'admin'),
      listApiKeys: http('tenants/{tenantId}/api-keys', ['GET'], 'admin'),
      getApiKey: http('tenants/{tenantId}/api-keys/{keyId}', ['GET'], 'admin'),
      rotateApiKey: http('tenants/{tenantId}/api-keys/{keyId}/rotate', ['POST'], 'admin'),
      revokeApiKey: http('tenants/{tenantId}/api-keys/{keyId}', ['DELETE'], 'admin'),
      putMembership: http('tenants/{tenantId}/members/{principalId}', ['PUT'], 'admin'),
      listMemberships: http('tenants/{tenantId}/members', ['GET'], 'admin'),
      getMembership: http('tenants/{tenantId}/members/{principalId}', ['GET'], 'admin'),
      deleteMembership: http('tenants/{tenantId}/members/{principalId}', ['DELETE'], 'admin'),
    });
  });

  it('registers the queue functions, a dead-letter function per queue, the scheduler, the quota resume and the hourly cleanup', () => {
    const queue = (queueName: string) => ({ trigger: 'serviceBusTrigger', queueName, connection: 'ServiceBusConnection' });
    expect(summary()).toMatchObject({
      syncStart: queue('sync-start'),
      syncPage: queue('sync-page'),
      syncBatch: queue('sync-batch'),
      syncWriteBack: queue('sync-writeback'),
      syncWritebackDeadLetters: queue('sync-writeback/$DeadLetterQueue'),
      syncStartDeadLetters: queue('sync-start/$DeadLetterQueue'),
      syncPageDeadLetters: queue('sync-page/$DeadLetterQueue'),
      syncBatchDeadLetters: queue('sync-batch/$DeadLetterQueue'),
      deliverAlerts: queue('alerts'),
      alertsDeadLetters: queue('alerts/$DeadLetterQueue'),
      flushWebhooks: queue('webhooks'),
      webhooksDeadLetters: queue('webhooks/$DeadLetterQueue'),
      dedupeRollout: queue('dedupe-rollout'),
      dedupeRolloutDeadLetters: queue('dedupe-rollout/$DeadLetterQueue'),
    });
    expect(summary()).toMatchObject({
      cleanup: { trigger: 'timerTrigger', schedule: '0 0 * * * *' },
      scheduler: { trigger: 'timerTrigger', schedule: '0 * * * * *' },
      quotaResume: { trigger: 'timerTrigger', schedule: '30 * * * * *' },
    });
    expect(loaded.functions).toHaveLength(79);
  });
});
