export const webhookDeliveryKind = 'webhook_delivery';
/** This kind, and the older spelling deliveries stored before kinds were spelt in snake_case still carry: reads accept both. */
export const webhookDeliveryKinds = [webhookDeliveryKind, 'webhook-delivery'] as const;

/** One verified delivery, in `coordination`: the replay guard and the window's pending (stream, id). */
export interface WebhookDeliveryDoc {
  id: string;
  tenantId: string;
  kind: (typeof webhookDeliveryKinds)[number];
  connectionId: string;
  windowId: string;
  /** When the window's flush is due (epoch ms). */
  flushAtMs: number;
  topic: string;
  stream: string;
  externalId: string;
  /** The provider reported the record deleted. */
  deleted?: boolean;
  /** The whole record the delivery carried, used by the run instead of a fetch. */
  record?: Record<string, unknown>;
  receivedAt: string;
  ttl: number;
}
