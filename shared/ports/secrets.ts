/** Secrets port: named secret strings (Key Vault in Azure, a local file on embedded defaults). */
export interface Secrets {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
}
