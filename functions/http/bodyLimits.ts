/**
 * Request body limits per route, in bytes. Enforced while the body streams in — by the local host
 * before it invokes a function, and again by the handler — so an oversized body is refused
 * without being held in memory.
 */
export const BODY_LIMITS = {
  /** Admin API requests: settings, schemas, rules, actions. */
  admin: 1024 * 1024,
  /** Schema previews carry sample records. */
  preview: 4 * 1024 * 1024,
  /** The largest `webhooks.maxBodyBytes` a connection may set; each connection's own limit applies after verification. */
  webhook: 10 * 1024 * 1024,
  /** Routes that take no body still read (and refuse) one. */
  none: 64 * 1024,
} as const;
