import { createHmac, randomBytes, randomUUID } from 'node:crypto';

export type NotionWebhookEventType =
  | 'page.created'
  | 'page.properties_updated'
  | 'page.content_updated'
  | 'page.deleted'
  | 'page.undeleted'
  | 'data_source.content_updated'
  | 'data_source.schema_updated';

/** One delivery: ids, not records; the receiver reads the page back. */
export interface NotionWebhookEvent {
  id: string;
  timestamp: string;
  workspace_id: string;
  workspace_name: string;
  subscription_id: string;
  integration_id: string;
  type: NotionWebhookEventType;
  authors: { id: string; type: 'person' | 'bot' }[];
  attempt_number: number;
  api_version: string;
  entity: { id: string; type: 'page' | 'database' | 'data_source' };
  data?: Record<string, unknown>;
}

export type NotionWebhookEventInput = Pick<NotionWebhookEvent, 'type' | 'entity'> & Partial<NotionWebhookEvent>;

export interface SentNotionWebhook {
  status: number;
  body: string;
  /** The exact bytes sent and the headers: what a receiver verifies. */
  sentBody: string;
  headers: Record<string, string>;
}

/** `sha256=` + hex HMAC-SHA256 keyed by the verification token over the raw body. */
export function signNotion(body: string, verificationToken: string): string {
  return `sha256=${createHmac('sha256', verificationToken).update(body).digest('hex')}`;
}

/** A token shaped like Notion's (`secret_…`). */
export const newVerificationToken = () => `secret_${randomBytes(32).toString('base64url')}`;

/**
 * The one-off POST Notion makes when a subscription is created: `{verification_token}`, unsigned.
 * The receiver keeps the token; it keys every later signature.
 */
export async function sendVerification(url: string, verificationToken: string = newVerificationToken()): Promise<SentNotionWebhook & { verificationToken: string }> {
  const body = JSON.stringify({ verification_token: verificationToken });
  const sent = await post(url, body, {});
  return { ...sent, verificationToken };
}

const workspaceId = randomUUID();
const subscriptionId = randomUUID();
const integrationId = randomUUID();

/**
 * POSTs one event signed with `X-Notion-Signature`. Fields the input leaves out get Notion-like
 * values (a fresh id, now, attempt 1). `signatureOverride` sends a forged signature instead.
 */
export async function sendWebhook(url: string, event: NotionWebhookEventInput, verificationToken: string, signatureOverride?: string): Promise<SentNotionWebhook> {
  const full: NotionWebhookEvent = {
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    workspace_id: workspaceId,
    workspace_name: 'Fake workspace',
    subscription_id: subscriptionId,
    integration_id: integrationId,
    authors: [{ id: randomUUID(), type: 'person' }],
    attempt_number: 1,
    api_version: '2025-09-03',
    ...event,
  };
  const body = JSON.stringify(full);
  return post(url, body, { 'x-notion-signature': signatureOverride ?? signNotion(body, verificationToken) });
}

async function post(url: string, body: string, extra: Record<string, string>): Promise<SentNotionWebhook> {
  const headers = { 'content-type': 'application/json', 'user-agent': 'notion-api', ...extra };
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, body: await response.text(), sentBody: body, headers };
}
