/** Secrets port: named secret strings (Key Vault in Azure, a local file on embedded defaults). */
export interface Secrets {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  /**
   * Removes the secret; one that does not exist is already removed. Key Vault soft-deletes it and
   * refuses the name until it is purged: delete only names that are never used again.
   */
  delete(name: string): Promise<void>;
}
