/** What became of one POST of an alert. */
export type AlertPostResult =
  /** The receiver answered; redirects are not followed, so a 3xx is an answer too. */
  | { answered: true; status: number; /** The Retry-After header as sent, if any. */ retryAfter?: string }
  /**
   * No answer: refused, reset, unresolved or timed out — or not tried at all, because the outbound
   * guard refused the destination, which trying again cannot change (`retriable: false`). `code`
   * says which, and never quotes the URL: Slack webhook URLs carry their secret in the path.
   */
  | { answered: false; code: string; retriable: boolean };

/**
 * Alert transport port: one POST of an alert to a tenant's alert URL, through the guard that keeps
 * tenant-supplied URLs off internal destinations. Never follows a redirect, which could carry the
 * signed alert somewhere the tenant did not configure, and never rejects.
 */
export interface AlertTransport {
  post(url: string, request: { headers: Record<string, string>; body: string; timeoutMs: number }): Promise<AlertPostResult>;
}
