/** A record, page or message that could not be synced. */
export interface Failure {
  id: string;
  tenantId: string;
  executionId: string;
  taskId?: string;
  stream?: string;
  stage: 'start' | 'fetch' | 'transform' | 'save' | 'dead-letter';
  errorClass: string;
  message: string;
  /** Where the payload can be found again (page document, record id, original message). */
  payloadRef?: { container?: string; id?: string; externalId?: string; queue?: string; messageId?: string };
  /** Field-level reasons: the source path, the target it feeds, the rule that failed. */
  details?: Array<{ path: string; target?: string; rule?: string; message: string }>;
  attempts: number;
  originalMessage?: unknown;
  /** `retried` once a retry execution took it over (see retriedBy); `resolved` once its conflict was. */
  status: 'open' | 'retried' | 'resolved';
  /** A failure that needs a person: the conflict where they decide. */
  conflictId?: string;
  retriedBy?: string;
  retriedAt?: string;
  createdAt: string;
}
