/** A Supabase database webhook's body (the `supabase_functions.http_request` trigger's). */
export interface DatabaseWebhookPayload {
  type: 'INSERT' | 'UPDATE' | 'DELETE';
  table: string;
  schema: string;
  /** The row after the change; null on DELETE. */
  record: Record<string, unknown> | null;
  /** The row before it; null on INSERT. */
  old_record: Record<string, unknown> | null;
}

/**
 * Posts a database-webhook payload as Supabase's trigger does: JSON, unsigned, with the headers the
 * hook was configured with, here the shared secret header a receiver checks.
 */
export async function sendDatabaseWebhook(
  url: string,
  payload: DatabaseWebhookPayload,
  secret: { header: string; value: string },
): Promise<{ status: number; body: string }> {
  const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [secret.header]: secret.value }, body: JSON.stringify(payload) });
  return { status: answer.status, body: await answer.text() };
}
