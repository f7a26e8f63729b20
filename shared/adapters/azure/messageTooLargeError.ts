/**
 * One message is larger than Service Bus accepts (256 KB on Standard, the queue's limit on Premium).
 * Callers put big payloads in storage and send a reference (claim check).
 */
export class MessageTooLargeError extends Error {
  constructor(readonly queue: string, readonly messageId: string, readonly maxSizeInBytes: number) {
    super(`message ${messageId} for ${queue} does not fit in a Service Bus message (max ${maxSizeInBytes} bytes); send a claim check instead`);
    this.name = 'MessageTooLargeError';
  }
}
