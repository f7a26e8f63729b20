import { createHash } from 'node:crypto';
import { COUNT_NAMES, type Counts } from '../schemas/execution.js';

export const ALERT_TYPES = ['execution.failed', 'execution.partial', 'execution.paused_auth', 'circuit.opened', 'execution.finished'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/** Something a tenant's operator should hear about. Only ids, counts and redacted text: never credentials. */
export interface AlertEvent {
  type: AlertType;
  tenantId: string;
  /** ISO 8601; part of the alert id, so the same occurrence re-sent keeps its id. */
  occurredAt: string;
  executionId?: string;
  taskId?: string;
  connectionId?: string;
  counts?: Partial<Counts>;
  /** `execution.finished`: the terminal status (`success`, `partial`, `failed`, `cancelled`). */
  status?: string;
  /** `execution.finished`: ISO 8601; absent for a run cancelled before it started. */
  startedAt?: string;
  finishedAt?: string;
  /** Already redacted (e.g. a ProviderError message, redacted at construction). */
  reason?: string;
  /** Where the execution's status can be read, e.g. `/api/tenants/{t}/executions/{id}`. */
  statusUrl?: string;
}

export interface JsonAlertPayload {
  id: string;
  type: AlertType;
  tenantId: string;
  occurredAt: string;
  data: Omit<AlertEvent, 'type' | 'tenantId' | 'occurredAt'>;
}

/** Slack incoming-webhook body (https://api.slack.com/messaging/webhooks): `text` is the notification fallback. */
export interface SlackAlertPayload {
  text: string;
  blocks: Array<
    | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
    | { type: 'context'; elements: Array<{ type: 'mrkdwn'; text: string }> }
  >;
}

// Keeps a section well under Slack's 3000-character limit for its text.
const maxReasonLength = 500;

const titles: Record<AlertType, { title: string; status: string }> = {
  'execution.failed': { title: ':x: Execution failed', status: 'failed' },
  'execution.partial': { title: ':warning: Execution finished with failures', status: 'partial' },
  'execution.paused_auth': { title: ':lock: Execution paused: credentials rejected', status: 'paused (credentials rejected)' },
  'circuit.opened': { title: ':no_entry: Connection circuit opened', status: 'circuit open' },
  'execution.finished': { title: ':checkered_flag: Execution finished', status: 'finished' },
};

/**
 * Deterministic from type + subject + occurredAt: a redelivered or re-raised alert carries the
 * same id, so receivers can de-duplicate on it.
 */
export function alertId(event: AlertEvent): string {
  const subject = event.executionId ?? event.connectionId ?? event.taskId ?? '';
  const digest = createHash('sha256').update([event.type, event.tenantId, subject, event.occurredAt].join('\u0000')).digest('base64url');
  return `alr_${digest.slice(0, 32)}`;
}

export function jsonAlertPayload(event: AlertEvent): JsonAlertPayload {
  const data: JsonAlertPayload['data'] = {};
  if (event.executionId !== undefined) data.executionId = event.executionId;
  if (event.taskId !== undefined) data.taskId = event.taskId;
  if (event.connectionId !== undefined) data.connectionId = event.connectionId;
  if (event.status !== undefined) data.status = event.status;
  if (event.counts !== undefined) data.counts = event.counts;
  if (event.startedAt !== undefined) data.startedAt = event.startedAt;
  if (event.finishedAt !== undefined) data.finishedAt = event.finishedAt;
  if (event.reason !== undefined) data.reason = truncate(event.reason);
  if (event.statusUrl !== undefined) data.statusUrl = event.statusUrl;
  return { id: alertId(event), type: event.type, tenantId: event.tenantId, occurredAt: event.occurredAt, data };
}

export function slackAlertPayload(event: AlertEvent): SlackAlertPayload {
  const { title, status } = titles[event.type];
  const lines = [`*${title}*`, `*Tenant:* ${code(event.tenantId)}`];
  if (event.taskId !== undefined) lines.push(`*Task:* ${code(event.taskId)}`);
  if (event.executionId !== undefined) lines.push(`*Execution:* ${code(event.executionId)}`);
  if (event.connectionId !== undefined) lines.push(`*Connection:* ${code(event.connectionId)}`);
  lines.push(`*Status:* ${event.status ?? status}`);
  if (event.counts !== undefined) lines.push(`*Counts:* ${formatCounts(event.counts)}`);
  if (event.reason !== undefined) lines.push(`*Reason:* ${escapeMrkdwn(truncate(event.reason))}`);
  if (event.statusUrl !== undefined) lines.push(`*Status URL:* ${statusLink(event.statusUrl)}`);
  const subject = event.executionId ?? event.connectionId ?? event.taskId;
  return {
    text: `${title.replace(/^:[a-z_]+: /, '')} (tenant ${event.tenantId}${subject ? `, ${subject}` : ''})`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${escapeMrkdwn(event.occurredAt)} · alert ${alertId(event)}` }] },
    ],
  };
}

function formatCounts(counts: Partial<Counts>): string {
  const parts = COUNT_NAMES.filter((name) => counts[name] !== undefined).map((name) => `${name} ${counts[name]}`);
  return parts.length > 0 ? parts.join(' · ') : 'none';
}

/** Slack treats `&`, `<` and `>` as control characters in mrkdwn (https://api.slack.com/reference/surfaces/formatting#escaping). */
function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function code(text: string): string {
  return `\`${escapeMrkdwn(text).replaceAll('`', "'")}\``;
}

/** Absolute http(s) URLs become links; a relative API path is shown as code (Slack cannot resolve it). */
function statusLink(url: string): string {
  return /^https?:\/\/[^\s|<>]+$/i.test(url) ? `<${url.replaceAll('&', '&amp;')}|execution status>` : code(url);
}

function truncate(text: string): string {
  return text.length > maxReasonLength ? `${text.slice(0, maxReasonLength - 1)}…` : text;
}
