import { isServiceBusError } from '@azure/service-bus';
import { LockLostError } from '../../ports/lockLostError.js';

/** Service Bus reports an expired or unknown lock as MessageLockLost; the port calls it LockLostError. */
export function translateLockLost(error: unknown, queue: string, lockToken: string): unknown {
  return isServiceBusError(error) && error.code === 'MessageLockLost' ? new LockLostError(queue, lockToken) : error;
}
