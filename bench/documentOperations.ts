/** A document operation as the database sees it: how many documents one statement or request reads or writes. */
export interface DocumentOperation {
  kind: 'read' | 'write';
  documents: number;
}

/**
 * Classifies one SQL statement of the embedded store (parameters expanded). Only the documents
 * table counts; the queue tables are the bus, not the store.
 */
export function classifySqlStatement(sql: string): DocumentOperation | undefined {
  const statement = sql.trimStart();
  if (/^SELECT\b[\s\S]*\bFROM docs\b/i.test(statement)) return { kind: 'read', documents: 1 };
  if (/^(INSERT INTO docs|UPDATE docs|DELETE FROM docs)\b/i.test(statement)) return { kind: 'write', documents: 1 };
  return undefined;
}

/**
 * Classifies one request to the Cosmos DB server. Document paths only (metadata such as
 * partition-key ranges is not a document operation). A transactional batch is one request but
 * writes (or reads) each of its operations' documents; a query, or its query plan, is one read.
 */
export function classifyCosmosRequest(request: { method: string; path: string; body: string }): DocumentOperation | undefined {
  if (!/\/colls\/[^/]+\/docs(\/|$)/.test(request.path)) return undefined;
  if (request.method === 'GET') return { kind: 'read', documents: 1 };
  if (request.method === 'POST' && request.body.trimStart().startsWith('[')) {
    const operations = JSON.parse(request.body) as Array<{ operationType?: string }>;
    const reads = operations.filter((op) => op.operationType === 'Read').length;
    return reads === operations.length ? { kind: 'read', documents: reads } : { kind: 'write', documents: operations.length - reads };
  }
  if (request.method === 'POST' && /^\{\s*"query"/.test(request.body.trimStart())) return { kind: 'read', documents: 1 };
  return { kind: 'write', documents: 1 };
}
