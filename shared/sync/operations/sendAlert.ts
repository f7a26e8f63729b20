import type { AlertPostResult } from '../../ports/alertTransport.js';
import { decideRetry, type ErrorClass, type RetryPolicy } from '../../core/retry/retryDecision.js';
import { parseRetryAfter } from '../../core/retry/retryAfter.js';
import { alertId, jsonAlertPayload, slackAlertPayload, type AlertEvent } from '../../core/operations/alertPayload.js';
import { alertHeaders } from '../../core/operations/alertSignature.js';
import { ids } from '../../core/ids.js';
import type { Tenant } from '../../core/schemas/tenant.js';
import type { SyncDeps } from '../syncDeps.js';

/** Back-off between the tries of one call; a Retry-After over a minute is not slept through. */
const ALERT_POST_RETRY: Omit<RetryPolicy, 'maxRetries'> = { baseDelayMs: 250, maxDelayMs: 5_000, maxRetryAfterMs: 60_000 };

export interface SendAlertOptions {
  /** Waits between retries; tests inject one that returns at once. */
  sleep?: (ms: number) => Promise<void>;
  /** Tries in all, including the first. */
  maxAttempts?: number;
  /** Per attempt, response headers included. */
  timeoutMs?: number;
}

export interface AlertDelivery {
  delivered: boolean;
  attempts: number;
  /** The last HTTP status received; absent when no response arrived. */
  status?: number;
}

/**
 * POSTs an alert to the tenant's alert URL through the alert transport, trying again after a
 * failure that may pass (see failureOf). Never throws: an alert must not break the sync that
 * raised it, so every failure ends as `delivered: false` and a log line.
 *
 * Signing: when the tenant has an alert signing secret, every delivery carries the timestamp and
 * signature headers (Slack ignores them). A `json` tenant without a secret is still alerted, unsigned,
 * with a warning: a lost alert is worse than an unsigned one, and receivers that verify reject it.
 *
 * Logs name the URL's origin only: Slack webhook URLs carry their secret in the path.
 */
export async function sendAlert(deps: SyncDeps, event: AlertEvent, options: SendAlertOptions = {}): Promise<AlertDelivery> {
  const fields: Record<string, unknown> = { tenantId: event.tenantId, type: event.type, alertId: alertId(event) };
  let attempts = 0;
  let status: number | undefined;
  const result = (delivered: boolean): AlertDelivery => ({ delivered, attempts, ...(status !== undefined ? { status } : {}) });
  try {
    const tenant = await deps.store.read<Tenant>('tenants', event.tenantId, event.tenantId);
    const alerts = tenant?.settings.alerts;
    if (!alerts) return result(false);
    fields.destination = new URL(alerts.url).origin;

    const secret = await deps.secrets.get(ids.secretForAlerts(event.tenantId));
    if (secret === undefined && alerts.format === 'json') deps.log.warn('alert sent unsigned: the tenant has no alert signing secret', fields);
    const rawBody = JSON.stringify(deps.redaction.redactValue(alerts.format === 'slack' ? slackAlertPayload(event) : jsonAlertPayload(event)));

    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const policy: RetryPolicy = { ...ALERT_POST_RETRY, maxRetries: (options.maxAttempts ?? 4) - 1 };
    for (;;) {
      attempts += 1;
      const posted = await deps.alertTransport.post(alerts.url, {
        headers: {
          'content-type': 'application/json',
          'user-agent': 'shardsync-alerts',
          // Signed per attempt: a retry after a long Retry-After still has a fresh timestamp.
          ...alertHeaders({ event: event.type, deliveryId: alertId(event), rawBody, now: deps.clock.now(), secret }),
        },
        body: rawBody,
        timeoutMs: options.timeoutMs ?? 5_000,
      });
      if (posted.answered) {
        status = posted.status;
        if (status >= 200 && status < 300) {
          deps.log.info('alert delivered', { ...fields, attempts, status });
          return result(true);
        }
      }
      const failure = failureOf(posted, deps.clock.now().getTime());
      const outcome = decideRetry(failure, attempts - 1, policy, deps.random);
      if (outcome.kind !== 'retry') {
        deps.log.warn('alert not delivered', { ...fields, attempts, status, error: failure.name });
        return result(false);
      }
      await sleep(outcome.delayMs);
    }
  } catch (error) {
    deps.log.error('alert not delivered: unexpected failure', { ...fields, attempts, error: error instanceof Error ? error.name : 'unknown' });
    return result(false);
  }
}

/**
 * 429, 408 and 5xx may pass, and so may a lost connection; any other answer (4xx, a redirect)
 * will not change by retrying, and neither will a refused destination.
 */
function failureOf(posted: AlertPostResult, nowMs: number): ErrorClass {
  if (!posted.answered) return { kind: posted.retriable ? 'recoverable' : 'permanent', name: posted.code };
  const name = `http_${posted.status}`;
  if (posted.status !== 429 && posted.status !== 408 && posted.status < 500) return { kind: 'permanent', name };
  const retryAfterMs = parseRetryAfter(posted.retryAfter, nowMs);
  return { kind: 'recoverable', name, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
}
