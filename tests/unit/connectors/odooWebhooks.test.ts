import { describe, expect, it } from 'vitest';
import { odooWebhooks } from '../../../shared/connectors/odoo/odooWebhooks.js';

/** Deliveries as an automation rule's webhook action sends them (`ir_actions.py` `_run_action_webhook`). */
const parse = (body: unknown) => odooWebhooks.parseEvent(odooWebhooks.verifier, new Headers(), body, new TextEncoder().encode(JSON.stringify(body)));

describe('Odoo webhook deliveries', () => {
  it('name the stream of the model and the record id', () => {
    expect(parse({ _model: 'sale.order', _id: 130, _action: 'Send Webhook Notification(#12)', state: 'sale' })).toMatchObject({
      kind: 'event',
      event: { stream: 'sale_orders', externalId: '130', topic: 'sale.order.Send Webhook Notification(#12)' },
    });
  });

  it('an unlink rule is a delete, which the run confirms by reading', () => {
    const decision = parse({ _model: 'res.partner', _id: 7, _action: 'unlink' });
    expect(decision).toMatchObject({ kind: 'event', event: { stream: 'partners', externalId: '7', deleted: true } });
  });

  it('the same body twice has the same replay key; another body another', () => {
    const [a, b, c] = [parse({ _model: 'res.partner', _id: 7 }), parse({ _model: 'res.partner', _id: 7 }), parse({ _model: 'res.partner', _id: 8 })];
    expect(a.kind === 'event' && b.kind === 'event' && c.kind === 'event').toBe(true);
    if (a.kind !== 'event' || b.kind !== 'event' || c.kind !== 'event') return;
    expect(a.event.replayKey).toBe(b.event.replayKey);
    expect(a.event.replayKey).not.toBe(c.event.replayKey);
  });

  it('ignore models not synced and deliveries without an integer id', () => {
    expect(parse({ _model: 'crm.lead', _id: 3 })).toMatchObject({ kind: 'ignored' });
    expect(parse({ _model: 'res.partner', _id: '3' })).toMatchObject({ kind: 'ignored' });
    expect(parse('not an object')).toMatchObject({ kind: 'ignored' });
  });
});
