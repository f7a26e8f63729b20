/** The connection's secret is gone (deleted from the vault or never stored): not retriable. */
export class CredentialsMissingError extends Error {
  constructor(readonly connectionId: string) {
    super(`no credentials are stored for connection "${connectionId}"`);
    this.name = 'CredentialsMissingError';
  }
}
