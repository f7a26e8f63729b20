import type { ApiOperation } from './apiOperation.js';

const operations = new Map<string, ApiOperation>();

/**
 * Every registered HTTP route's description, filled as the function files register their routes
 * (all of them load before the first request), read by the OpenAPI document.
 */
export function describeOperation(operation: ApiOperation): void {
  operations.set(operation.name, operation);
}

export function describedOperations(): ApiOperation[] {
  return [...operations.values()];
}
