/** The base of the typed errors every Store adapter throws, so use cases can react without knowing the adapter. */
export class StoreError extends Error {
  constructor(message: string, readonly statusCode: number) {
    super(message);
    this.name = new.target.name;
  }
}
