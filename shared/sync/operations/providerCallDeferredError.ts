/**
 * A guarded provider call that was not made: the caller reschedules its message `delayMs` later
 * instead of holding a worker asleep.
 */
export abstract class ProviderCallDeferredError extends Error {
  constructor(message: string, readonly connectionId: string, readonly delayMs: number) {
    super(message);
    this.name = new.target.name;
  }
}
