import type { SyncWriteBackMessage } from '../../core/schemas/messages.js';
import { decideFailure } from '../../core/conflicts/failureDecision.js';
import { decideRetry, defaultPageRetryPolicy } from '../../core/retry/retryDecision.js';
import { ValidationError } from '../../connectors/validationError.js';
import { WriteOutcomeUnknownError } from '../../connectors/writeOutcomeUnknownError.js';
import { QuotaExhaustedError } from '../../connectors/quotaExhaustedError.js';
import type { SyncDeps } from '../syncDeps.js';
import { classifyProviderError } from '../failures/errorClassification.js';
import { openConflict, type ConflictSubject } from './openConflict.js';
import { queueWriteBack } from './writeBackQueue.js';
import { authRefusalOf } from '../failures/authRefusal.js';
import { ReferencePendingError } from './referencePendingError.js';
import { UnmappableShardError } from './unmappableShardError.js';

/** Write-backs of 429/5xx/timeouts are retried this many times, then become a RetryExhausted conflict. */
const WRITE_RETRIES = 5;

/** A write-back waiting for a linked record is tried again this often, this far apart (about 4 minutes in all), then a person looks. */
const REFERENCE_RETRIES = 12;
const REFERENCE_RETRY_MS = 20_000;

/**
 * A write that failed for another reason than a refused precondition: a rejected or unmappable
 * payload is a ValidationError conflict with the provider's words; 429/5xx/timeouts are tried again later with
 * back-off, then a RetryExhausted conflict; refused credentials are an AuthError conflict and
 * pause the connection's running executions. A create whose outcome is unknown is not sent again
 * (it may exist already): a person looks. A linked record not there yet is waited for (retried
 * later, then a RetryExhausted conflict). Anything else is not the provider's doing and is thrown
 * for the bus to redeliver.
 */
export async function handleWriteBackFailure(deps: SyncDeps, error: unknown, message: SyncWriteBackMessage, subject: ConflictSubject, dataHash: string): Promise<void> {
  const attempt = message.attempt ?? 0;
  if (error instanceof ValidationError || error instanceof UnmappableShardError) {
    const text = error instanceof ValidationError ? error.providerMessage : error.message;
    await openConflict(deps, { ...subject, type: 'ValidationError', subject: 'ValidationError', message: text });
    return;
  }
  if (error instanceof WriteOutcomeUnknownError && message.externalId === undefined) {
    await openConflict(deps, { ...subject, type: 'RetryExhausted', subject: 'RetryExhausted', message: `the create may have reached the provider: ${error.message}` });
    return;
  }
  if (error instanceof ReferencePendingError) {
    if (attempt < REFERENCE_RETRIES) await queueWriteBack(deps, { ...message, attempt: attempt + 1 }, dataHash, REFERENCE_RETRY_MS);
    else await openConflict(deps, { ...subject, type: 'RetryExhausted', subject: 'RetryExhausted', message: error.message });
    return;
  }
  const errorClass = classifyProviderError(error);
  if (!errorClass) throw error;
  const outcome = decideRetry(errorClass, attempt, { maxRetries: WRITE_RETRIES, ...defaultPageRetryPolicy }, deps.random);
  if (outcome.kind === 'retry') {
    await queueWriteBack(deps, { ...message, attempt: outcome.attempt }, dataHash, outcome.delayMs);
    return;
  }
  if (outcome.kind === 'pause-quota') {
    // A write-back has no run to pause: it waits for the quota's reset (the guard holds calls until
    // then anyway), as one of its retries so a quota that never comes back ends in a conflict.
    if (attempt < WRITE_RETRIES) {
      const resetAt = error instanceof QuotaExhaustedError && error.resetAt ? Date.parse(error.resetAt) : Number.NaN;
      const delayMs = Number.isNaN(resetAt) ? defaultPageRetryPolicy.maxDelayMs : Math.max(0, resetAt - deps.clock.now().getTime());
      await queueWriteBack(deps, { ...message, attempt: attempt + 1 }, dataHash, delayMs);
      return;
    }
  }
  const type = outcome.kind === 'pause-auth' ? 'AuthError' : outcome.kind === 'pause-quota' || outcome.errorClass === 'RetryExhausted' ? 'RetryExhausted' : 'ValidationError';
  await openConflict(deps, { ...subject, type, subject: type, message: error instanceof Error ? error.message : String(error) });
  if (decideFailure(type, attempt + 1, WRITE_RETRIES).pauseConnection) {
    await deps.credentialsEvents.refused(deps, subject.tenantId, subject.connectionId, authRefusalOf(deps, error, { stage: 'writeback', stream: subject.stream }));
  }
}

