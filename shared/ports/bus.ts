/** Bus port: publish messages to named queues with Service Bus semantics. */
export const QUEUES = ['sync-start', 'sync-page', 'sync-batch', 'sync-writeback', 'alerts', 'webhooks', 'dedupe-rollout'] as const;
export type QueueName = (typeof QUEUES)[number];

export type ApplicationProperties = Record<string, string | number | boolean>;

export interface OutgoingMessage {
  /** JSON-serialisable body. */
  body: unknown;
  /** Deterministic id: a second message with the same id inside the duplicate-detection window is dropped. */
  messageId: string;
  /** Deliver no earlier than this time. */
  scheduledEnqueueTime?: Date;
  applicationProperties?: ApplicationProperties;
}

export interface Bus {
  publish(queue: QueueName, messages: OutgoingMessage[]): Promise<void>;
}
