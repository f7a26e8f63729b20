import { fetch as undiciFetch } from 'undici';
import { ProviderError, ProviderUnavailableError, RateLimitError } from '../../connectors/providerErrors.js';
import { decideRetry, defaultRetryPolicy, parseRetryAfter } from '../../connectors/retryPolicy.js';
import { DestinationRefusedError } from '../../connectors/http/destinationRefusedError.js';
import { alertId, jsonAlertPayload, slackAlertPayload, type AlertEvent } from '../../core/operations/alertPayload.js';
import { alertHeaders } from '../../core/operations/alertSignature.js';
import { ids } from '../../core/ids.js';
import type { Tenant } from '../../core/schemas/tenant.js';
import type { SyncDeps } from '../syncDeps.js';

/** The slice of `fetch` used here; undici's and the global one both fit. */
export type AlertFetch = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; redirect: 'manual'; signal: AbortSignal },
) => Promise<{ status: number; headers: { get(name: string): string | null }; body: { cancel(): Promise<void> } | null }>;

export interface SendAlertOptions {
  fetch?: AlertFetch;
  /** Waits between retries; tests inject one that returns at once. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). */
  random?: () => number;
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
 * POSTs an alert to the tenant's alert URL. Never throws: an alert must not break the sync that
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

    // Through the guard: the alert URL passed the check at save, but its name may resolve elsewhere now.
    const post = options.fetch ?? ((url, init) => undiciFetch(url, { ...init, dispatcher: deps.outbound.dispatcher }));
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const policy = { ...defaultRetryPolicy, maxAttempts: options.maxAttempts ?? 4 };
    for (;;) {
      attempts += 1;
      let error: ProviderError;
      try {
        const response = await post(alerts.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'shardsync-alerts',
            // Signed per attempt: a retry after a long Retry-After still has a fresh timestamp.
            ...alertHeaders({ event: event.type, deliveryId: alertId(event), rawBody, now: deps.clock.now(), secret }),
          },
          body: rawBody,
          // A redirect could carry the signed alert somewhere the tenant did not configure.
          redirect: 'manual',
          signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
        });
        status = response.status;
        // The answer is the status; not reading the body frees the connection at once.
        await response.body?.cancel().catch(() => undefined);
        if (status >= 200 && status < 300) {
          deps.log.info('alert delivered', { ...fields, attempts, status });
          return result(true);
        }
        error = errorFromStatus(status, parseRetryAfter(response.headers.get('retry-after') ?? undefined, deps.clock.now().getTime()));
      } catch (transportError) {
        error = errorFromTransport(transportError);
      }
      const decision = decideRetry(error, attempts - 1, policy, options.random ?? Math.random);
      if (!decision.retry) {
        deps.log.warn('alert not delivered', { ...fields, attempts, status, error: error.code });
        return result(false);
      }
      await sleep(decision.delayMs);
    }
  } catch (error) {
    deps.log.error('alert not delivered: unexpected failure', { ...fields, attempts, error: error instanceof Error ? error.name : 'unknown' });
    return result(false);
  }
}

/** 429, 408 and 5xx may pass; any other answer (4xx, a redirect) will not change by retrying. */
function errorFromStatus(status: number, retryAfterMs: number | undefined): ProviderError {
  const message = `alert receiver answered ${status}`;
  if (status === 429) return new RateLimitError({ code: 'http_429', message, retryAfterMs });
  if (status === 408 || status >= 500) return new ProviderUnavailableError({ status, code: `http_${status}`, message, retryAfterMs });
  return new ProviderError({ status, code: `http_${status}`, retriable: false, message });
}

/** No response: refused, reset, DNS or timed out. The code only, since fetch messages may name the URL. */
function errorFromTransport(error: unknown): ProviderError {
  const outer = error instanceof Error ? error : undefined;
  // Not retried: the destination stays refused.
  if (outer?.cause instanceof DestinationRefusedError) return outer.cause;
  const cause = (outer?.cause as { code?: unknown } | undefined)?.code;
  const code = outer?.name === 'TimeoutError' ? 'timeout' : typeof cause === 'string' ? cause : 'network_error';
  return new ProviderUnavailableError({ code, message: `alert delivery failed (${code})` });
}
