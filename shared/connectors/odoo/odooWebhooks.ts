import { createHash } from 'node:crypto';
import type { WebhookHmacVerifier } from '../../core/schemas/connection.js';
import type { ProviderWebhooks } from '../providerWebhooks.js';
import { ODOO_MODELS } from './odooModels.js';

/**
 * Odoo's automation-rule webhooks are unsigned (`ir_actions.py` `_run_action_webhook`), so the
 * scheme is the generic one a signing relay (or a server action computing the HMAC) produces.
 */
const ODOO_VERIFIER: WebhookHmacVerifier = { kind: 'hmac', header: 'X-Signature', algorithm: 'sha256', encoding: 'hex', signedPayload: 'body' };

/**
 * A delivery is `{"_model": "res.partner", "_id": 7, "_action": "…", …selected fields}`: an id,
 * so the run reads the record as it is now. An `unlink` rule's delivery is a delete the run confirms.
 */
export const odooWebhooks: ProviderWebhooks = {
  verifier: ODOO_VERIFIER,
  description: 'none of its own (automation webhooks are unsigned): `X-Signature`, hex HMAC-SHA256 of the body with `webhookSecret`, added by a relay to Odoo\'s `{_model, _id, _action}`',
  isPing: () => false,
  parseEvent: (_config, _headers, body, signed) => {
    const { _model: model, _id: id, _action: action } = (typeof body === 'object' && body !== null ? body : {}) as { _model?: unknown; _id?: unknown; _action?: unknown };
    const stream = ODOO_MODELS.find((candidate) => candidate.model === model)?.stream;
    if (!stream) return { kind: 'ignored', reason: `not a synced model: ${typeof model === 'string' ? model.slice(0, 100) : 'no _model'}` };
    if (!(typeof id === 'number' && Number.isSafeInteger(id) && id > 0)) return { kind: 'ignored', reason: 'the delivery names no _id' };
    const topic = `${String(model)}.${typeof action === 'string' ? action.slice(0, 100) : 'changed'}`;
    const deleted = typeof action === 'string' && /unlink/i.test(action);
    return { kind: 'event', event: { topic, stream, externalId: String(id), ...(deleted ? { deleted: true } : {}), replayKey: createHash('sha256').update(signed).digest('base64url') } };
  },
};
