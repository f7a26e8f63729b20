import type { ErrorKind, ErrorRule } from './errorSpec.js';

/** Codes and messages are matched over their first 200 characters, so a tenant's pattern meets short input only. */
const MAX_CODE_LENGTH = 200;

/**
 * Pure: what a non-2xx answer means. The spec's first matching rule wins, then the usual meaning
 * of the status (see errorSpec).
 */
export function failureKind(status: number, code: string | undefined, rules: readonly ErrorRule[], on: 'read' | 'write', message?: string): ErrorKind {
  for (const rule of rules) {
    if (rule.on !== 'any' && rule.on !== on) continue;
    if (rule.status && !rule.status.includes(status)) continue;
    if (rule.code !== undefined && (code === undefined || !new RegExp(rule.code).test(code.slice(0, MAX_CODE_LENGTH)))) continue;
    if (rule.message !== undefined && (message === undefined || !new RegExp(rule.message).test(message.slice(0, MAX_CODE_LENGTH)))) continue;
    return rule.kind;
  }
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rateLimit';
  if (status === 408 || status >= 500) return 'recoverable';
  if (on === 'write') {
    if (status === 409 || status === 412) return 'conflict';
    if (status === 404) return 'notFound';
    if (status === 400 || status === 422) return 'validation';
  }
  return 'fatal';
}
