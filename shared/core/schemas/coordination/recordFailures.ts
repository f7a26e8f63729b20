/**
 * The failures one record (connection + stream + external id) has had, in `coordination`: a batch
 * finds the failures its synced records close with one multi-read by id, instead of a failure
 * query per record. It lives as long as the failures it lists (the tenant's failure retention,
 * counted from the last failure noted).
 */
export interface RecordFailures {
  id: string;
  tenantId: string;
  kind: 'record_failures';
  connectionId: string;
  stream: string;
  externalId: string;
  failureIds: string[];
  updatedAt: string;
  ttl: number;
}
