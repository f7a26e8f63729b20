/**
 * Where a connector gets the bearer token of its connection's calls. The implementation
 * (shared/sync/oauth/) refreshes before expiry, shares tokens with every worker through Secrets
 * and lets one worker at a time refresh.
 */
export interface TokenSource {
  /** An access token that is not about to expire. */
  accessToken(): Promise<string>;
  /** A token other than `rejected`, which the provider just answered 401 to: refreshed unless another worker already did. */
  afterUnauthorized(rejected: string): Promise<string>;
}
