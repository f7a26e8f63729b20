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
          ? { trigger: f.trigger, route: f.route, methods: f.methods, authLevel: f.authLevel }
          : f.trigger === 'serviceBusTrigger'
            ? { trigger: f.trigger, queueName: f.queueName, connection: f.connection }
            : { trigger: f.trigger, schedule: f.schedule },
      ]),
    );

  it('loads every function file and nothing is left unsupported', () => {
    expect(loaded.files.map((file) => file.replace(/.*\/dist\//, 'dist/')).sort()).toEqual([
      'dist/functions/activity.js',
      'dist/functions/cleanup.js',
      'dist/functions/conflicts.js',
      'dist/functions/connections.js',
      'dist/functions/conversionSchemas.js',
      'dist/functions/deadLetters.js',
      'dist/functions/dedupeRollout.js',
      'dist/functions/dedupeRules.js',
      'dist/functions/deliverAlerts.js',
      'dist/functions/executionControls.js',
      'dist/functions/executions.js',
      'dist/functions/failures.js',
      'dist/functions/health.js',
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

  it('registers the admin API with its routes, methods and auth levels', () => {
    const http = (route: string, methods: string[], authLevel = 'function') => ({ trigger: 'httpTrigger', route, methods, authLevel });
    expect(summary()).toMatchObject({
      health: http('health', ['GET'], 'anonymous'),
      putTenant: http('tenants/{tenantId}', ['PUT']),
      getTenant: http('tenants/{tenantId}', ['GET']),
      createConnection: http('tenants/{tenantId}/connections', ['POST']),
      listConnections: http('tenants/{tenantId}/connections', ['GET']),
      putConnection: http('tenants/{tenantId}/connections/{connectionId}', ['PUT']),
      getConnection: http('tenants/{tenantId}/connections/{connectionId}', ['GET']),
      createSchema: http('tenants/{tenantId}/schemas', ['POST']),
      listSchemas: http('tenants/{tenantId}/schemas', ['GET']),
      putSchema: http('tenants/{tenantId}/schemas/{schemaId}', ['PUT']),
      getSchema: http('tenants/{tenantId}/schemas/{schemaId}', ['GET']),
      deleteSchema: http('tenants/{tenantId}/schemas/{schemaId}', ['DELETE']),
      previewSchema: http('tenants/{tenantId}/schemas/{schemaId}/preview', ['POST']),
      createRuleSet: http('tenants/{tenantId}/dedupe-rules', ['POST']),
      listRuleSets: http('tenants/{tenantId}/dedupe-rules', ['GET']),
      putRuleSet: http('tenants/{tenantId}/dedupe-rules/{shardType}', ['PUT']),
      getRuleSet: http('tenants/{tenantId}/dedupe-rules/{shardType}', ['GET']),
      createTask: http('tenants/{tenantId}/tasks', ['POST']),
      listTasks: http('tenants/{tenantId}/tasks', ['GET']),
      putTask: http('tenants/{tenantId}/tasks/{taskId}', ['PUT']),
      getTask: http('tenants/{tenantId}/tasks/{taskId}', ['GET']),
      pushTask: http('tenants/{tenantId}/tasks/{taskId}/push', ['POST']),
      startExecution: http('tenants/{tenantId}/tasks/{taskId}/executions', ['POST']),
      listExecutions: http('tenants/{tenantId}/executions', ['GET']),
      getExecution: http('tenants/{tenantId}/executions/{executionId}', ['GET']),
      pauseExecution: http('tenants/{tenantId}/executions/{executionId}/pause', ['POST']),
      resumeExecution: http('tenants/{tenantId}/executions/{executionId}/resume', ['POST']),
      cancelExecution: http('tenants/{tenantId}/executions/{executionId}/cancel', ['POST']),
      confirmExecution: http('tenants/{tenantId}/executions/{executionId}/confirm', ['POST']),
      retryExecution: http('tenants/{tenantId}/executions/{executionId}/retry', ['POST']),
      listFailures: http('tenants/{tenantId}/failures', ['GET']),
      getFailure: http('tenants/{tenantId}/failures/{failureId}', ['GET']),
      retryFailures: http('tenants/{tenantId}/failures/retry', ['POST']),
      retryFailure: http('tenants/{tenantId}/failures/{failureId}/retry', ['POST']),
      listActivity: http('tenants/{tenantId}/activity', ['GET']),
      createSchedule: http('tenants/{tenantId}/schedules', ['POST']),
      listSchedules: http('tenants/{tenantId}/schedules', ['GET']),
      putSchedule: http('tenants/{tenantId}/schedules/{scheduleId}', ['PUT']),
      getSchedule: http('tenants/{tenantId}/schedules/{scheduleId}', ['GET']),
      deleteSchedule: http('tenants/{tenantId}/schedules/{scheduleId}', ['DELETE']),
      receiveWebhook: http('webhooks/{tenantId}/{connectionId}', ['POST'], 'anonymous'),
      listShards: http('tenants/{tenantId}/shards', ['GET']),
      getShard: http('tenants/{tenantId}/shards/{shardId}', ['GET']),
      unmergeShard: http('tenants/{tenantId}/shards/{shardId}/unmerge', ['POST']),
      patchShard: http('tenants/{tenantId}/shards/{shardId}', ['PATCH']),
      listConflicts: http('tenants/{tenantId}/conflicts', ['GET']),
      resolveConflict: http('tenants/{tenantId}/conflicts/{conflictId}/resolve', ['POST']),
    });
  });

  it('registers the queue functions, a dead-letter function per queue, the scheduler and the hourly cleanup', () => {
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
    });
    expect(loaded.functions).toHaveLength(63);
  });
});
