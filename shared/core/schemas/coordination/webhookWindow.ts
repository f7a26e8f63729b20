import type { WebhookWindowState } from '../../triggers/webhookCoalescing.js';

/** The connection's current coalescing window, one document per connection in `coordination`. */
export interface WebhookWindowDoc extends WebhookWindowState {
  id: string;
  tenantId: string;
  // Read by id only, never by kind: windows stored under the old spelling (`webhook-window`) are found all the same.
  kind: 'webhook_window';
  connectionId: string;
  ttl: number;
}
