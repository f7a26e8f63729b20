/**
 * Code a built-in provider adds to its spec where data cannot say it. Every hook is optional; a
 * `generic-rest` connection has none.
 */
export interface SpecHooks {
  /**
   * Authenticates a request by signing its query instead of the spec's `auth` (WooCommerce over
   * plain http: OAuth 1.0a). Returns the query to send, or undefined to use the spec's `auth`.
   * `url` is absolute and without a query.
   */
  signQuery?(method: string, url: URL, params: Readonly<Record<string, string>>, credentials: Readonly<Record<string, unknown>>): string | undefined;
}
