import { connectorSpec, type ConnectorSpec, type ConnectorSpecInput } from '../spec/connectorSpec.js';
import { doctypesOf, type ErpNextDoctype } from './erpNextDoctypes.js';
import { MODIFIED_AFTER_PARAM, NAMES_PARAM } from './erpNextQuery.js';
import type { ErpNextSettings } from './erpNextSettings.js';

/** Frappe serves what `limit_page_length` asks; this keeps one answer's size sane. */
export const ERPNEXT_MAX_PAGE_SIZE = 1000;

/** Fields Frappe sets itself: a write carrying them is refused before it is sent (`modified` goes in as the concurrency token). */
const systemFields = ['name', 'owner', 'creation', 'modified', 'modified_by', 'docstatus', 'idx', 'doctype'];

/**
 * A DocType as a stream: `GET api/resource/{DocType}` (erpNextQuery adds `fields`, filters and order), paged by `limit_start` and
 * `limit_page_length` until a short page (Frappe gives no total). Records are identified by `name`. Writes `POST` and `PUT …/{name}`; an update
 * carries the document's `modified` as last read, which Frappe compares (a stale one: 417
 * TimestampMismatchError, the conflict path). Answers are `{"data": …}`.
 */
const stream = (entry: ErpNextDoctype) => {
  const path = `api/resource/${encodeURIComponent(entry.doctype)}`;
  return {
    name: entry.stream,
    path,
    recordsPath: 'data',
    idField: 'name',
    modifiedField: 'modified',
    idsParam: NAMES_PARAM,
    dependsOn: [...entry.dependsOn],
    paginator: { kind: 'offset' as const, offsetParam: 'limit_start', limitParam: 'limit_page_length' },
    incremental: { param: MODIFIED_AFTER_PARAM, format: 'iso8601' as const, exclusive: true },
    writes: {
      create: { method: 'POST' as const, path },
      update: { method: 'PUT' as const, path: `${path}/{id}` },
      recordPath: 'data',
      concurrency: { kind: 'bodyField' as const, field: 'modified' },
      versionField: 'modified',
      forbiddenFields: systemFields,
    },
  };
};

/** A Frappe / ERPNext site's REST API (https://docs.frappe.io/framework/user/en/api/rest) as a connector spec. */
export function erpNextSpec(settings: ErpNextSettings): ConnectorSpec {
  const spec: ConnectorSpecInput = {
    title: 'ERPNext',
    baseUrl: `${settings.baseUrl.replace(/\/+$/, '')}/`,
    // `Authorization: token <api_key>:<api_secret>`: credentials `{apiKey: "key:secret"}`.
    auth: { kind: 'apiKey', in: 'header', name: 'Authorization', prefix: 'token ' },
    maxPageSize: ERPNEXT_MAX_PAGE_SIZE,
    errors: {
      // {"exc_type": "TimestampMismatchError", "exception": "…", "_server_messages": "[\"{\\\"message\\\": …}\"]"}
      codePath: 'exc_type',
      messagePath: '_server_messages.0.message',
      jsonInStrings: true,
      rules: [
        { status: [417], code: '^TimestampMismatchError$', on: 'write', kind: 'conflict' },
        // 417 is every other frappe.ValidationError (MandatoryError, LinkValidationError…): the document was refused.
        { status: [417], on: 'write', kind: 'validation' },
        // A name or unique field already taken: the payload needs a person, a retry changes nothing.
        { status: [409], code: '^DuplicateEntryError$', on: 'write', kind: 'validation' },
      ],
    },
    connectionTest: { stream: 'customers', hint: 'is baseUrl the site root, and may the API user read Customer?' },
    streams: doctypesOf(settings).map(stream),
  };
  return connectorSpec.parse(spec);
}
