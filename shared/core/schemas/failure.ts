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
  /** Field-level reasons, e.g. which required field was missing. */
  details?: Array<{ path: string; message: string }>;
  attempts: number;
  originalMessage?: unknown;
  /** `retried` once a retry execution took it over (see retriedBy). */
  status: 'open' | 'retried';
  retriedBy?: string;
  retriedAt?: string;
  createdAt: string;
}
