/** The message's lock expired or is unknown: another worker may have it now, so its settlement is refused. */
export class LockLostError extends Error {
  constructor(readonly queue: string, readonly lockToken: string) {
    super(`the lock on ${queue} message ${lockToken} expired or is unknown`);
    this.name = 'LockLostError';
  }
}
