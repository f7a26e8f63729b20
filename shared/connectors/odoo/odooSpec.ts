import { connectorSpec, type ConnectorSpec, type ConnectorSpecInput } from '../spec/connectorSpec.js';
import { odooErrors } from './odooErrors.js';
import { IDS_PARAM, WRITTEN_SINCE_PARAM } from './odooDomain.js';
import { ODOO_MODELS } from './odooModels.js';
import type { OdooSettings } from './odooSettings.js';

/** Records per search_read: Odoo has no ceiling of its own, so the answers' size decides. */
export const ODOO_MAX_PAGE_SIZE = 500;

/**
 * Odoo's external API (odoo/documentation `content/developer/reference/external_api.rst`) as a
 * connector spec. Every call is a POST naming a model method (odooHooks writes it): the paths
 * below are JSON-2's, which the hooks replace by `/jsonrpc` for older servers. Records are kept
 * as `search_read` returns them (`{id, name, partner_id: [7, "Azure Interior"], write_date:
 * "2026-01-02 03:04:05", …}`), so a write's provider-shaped fields are `write`'s `vals`.
 */
export function odooSpec(settings: OdooSettings): ConnectorSpec {
  const spec: ConnectorSpecInput = {
    title: 'Odoo',
    baseUrl: `${settings.baseUrl.replace(/\/+$/, '')}/`,
    // JSON-2: `Authorization: bearer <API key>`. JSON-RPC sends the key in each body (odooHooks);
    // the header then goes along unread, and the key stays one the connector redacts.
    auth: { kind: 'apiKey', in: 'header', name: 'Authorization', prefix: 'bearer ' },
    maxPageSize: ODOO_MAX_PAGE_SIZE,
    // Odoo sends no rate-limit headers.
    rateLimitHeaders: false,
    errors: odooErrors(settings.api),
    connectionTest: { stream: 'partners', hint: 'is baseUrl the server\'s root, and the database right?' },
    streams: ODOO_MODELS.map((model) => ({
      name: model.stream,
      path: `json/2/${model.model}/search_read`,
      idField: 'id',
      modifiedField: 'write_date',
      idPattern: '^[1-9][0-9]{0,9}$',
      idsParam: IDS_PARAM,
      dependsOn: [...(model.dependsOn ?? [])],
      // Archived records come with `active: false` (context active_test false): tombstones. Unlinked
      // ones are gone; a full read finds them by absence.
      ...(model.archivable ? { deletedFlagPath: 'active', deletedFlagValue: false } : {}),
      ...(settings.api === 'jsonrpc' ? { recordsPath: 'result' } : {}),
      // No total (that is search_count, another call): pages follow until one comes back short.
      paginator: { kind: 'offset', offsetParam: 'offset', limitParam: 'limit' },
      // `write_date > value`, to the second: sent a second earlier so none is missed.
      incremental: { param: WRITTEN_SINCE_PARAM, format: 'iso8601-seconds-no-zone', exclusive: true },
      writes: {
        create: { method: 'POST', path: `json/2/${model.model}/create` },
        // `write` names the record in its body (`ids`), as odooHooks builds it.
        update: { method: 'POST', path: `json/2/${model.model}/write`, idInBody: 'ids' },
        readPath: `json/2/${model.model}/read`,
        // `read` answers a list of one; `create` the list of new ids; `write` only `true`.
        recordPath: settings.api === 'jsonrpc' ? 'result.0' : '0',
        answer: 'id',
        createdIdPath: settings.api === 'jsonrpc' ? 'result.0' : '0',
        // Odoo has no concurrency token (last write wins): an update reads the record and compares
        // `write_date` first, so an edit between that read and the write is overwritten unnoticed.
        concurrency: { kind: 'none' },
        forbiddenFields: ['id', 'ids', 'write_date', 'create_date', 'write_uid', 'create_uid', '__last_update', 'display_name'],
      },
    })),
  };
  return connectorSpec.parse(spec);
}
