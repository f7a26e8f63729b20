import { performance } from 'node:perf_hooks';
import type { Connection } from '../../core/schemas/connection.js';
import type { ActivityEntry } from '../../core/schemas/activity.js';
import type { ConnectionTestResult } from '../../core/schemas/answers/connectionTest.js';
import type { SyncDeps } from '../syncDeps.js';
import { connectorFor } from '../connectorAccess.js';
import { connectionTestFindings, type ConnectionTestFindings } from './connectionTestFindings.js';
import { recordActivity } from '../operations/activityLog.js';

/**
 * A test answers within this long even when the connection's own timeout is longer (up to 5
 * minutes): a save or an operator waits for it.
 */
export const CONNECTION_TEST_TIMEOUT_MS = 10_000;

/** Why a test ran: an operator asked (`POST …/test`), or a save changed credentials or settings. */
export type ConnectionTestTrigger = 'request' | 'save';

/**
 * Checks the connection against its provider now: one cheap authenticated call through the
 * connector, so through the outbound guard like every call of the connection. It does not go
 * through the circuit breaker: an operator testing a connection whose circuit is open asks
 * exactly whether the provider is back, and a refusal would answer nothing; and its outcome does
 * not move the circuit, which follows the runs' own calls. (Repeated requests are held back by
 * testConnection's own limit; a save tests once.) Records a `connection.tested` activity entry
 * naming the outcome, never a credential.
 */
export async function runConnectionTest(
  deps: SyncDeps,
  connection: Connection,
  actor: ActivityEntry['actor'],
  trigger: ConnectionTestTrigger,
): Promise<ConnectionTestResult> {
  const checkedAt = deps.clock.now().toISOString();
  const started = performance.now();
  let findings: ConnectionTestFindings = { outcome: 'ok' };
  try {
    const connector = await connectorFor(deps, connection);
    await connector.testConnection({ timeoutMs: CONNECTION_TEST_TIMEOUT_MS });
  } catch (error) {
    const found = connectionTestFindings(error);
    if (!found) throw error;
    findings = found;
  }
  const result: ConnectionTestResult = {
    ok: findings.outcome === 'ok',
    checkedAt,
    durationMs: Math.round(performance.now() - started),
    ...findings,
  };
  await recordActivity(deps, {
    tenantId: connection.tenantId,
    actor,
    action: 'connection.tested',
    subject: { kind: 'connection', id: connection.id },
    details: {
      trigger,
      outcome: result.outcome,
      durationMs: result.durationMs,
      ...(result.status === undefined ? {} : { status: result.status }),
      ...(result.code === undefined ? {} : { code: result.code }),
    },
  });
  return result;
}
