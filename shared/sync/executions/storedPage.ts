import type { SourceRecord } from '../../connectors/connector.js';

/** A fetched page waiting for its batch (claim check: the message carries only its id). */
export interface StoredPage {
  id: string;
  tenantId: string;
  executionId: string;
  stream: string;
  page: number;
  records: SourceRecord[];
  ttl: number;
}
