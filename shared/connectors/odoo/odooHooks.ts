import type { ListCall, RecordCall, SpecHooks } from '../spec/specHooks.js';
import type { StreamSpec } from '../spec/streamSpec.js';
import type { SourceRecord } from '../connector.js';
import { searchArguments } from './odooDomain.js';
import { odooModelOf } from './odooModels.js';
import type { OdooSettings } from './odooSettings.js';

/** Archived records are read too (`active_test: false`): their `active: false` makes them tombstones. */
const CONTEXT = { active_test: false };

/** A JSON-RPC call's identity: who calls, as `execute_kw` takes it first. */
export interface OdooRpcIdentity {
  database: string;
  /** Known once `common.authenticate` answered (OdooSession). */
  uid: () => number;
  apiKey: string;
}

/** One model method as the chosen API calls it: JSON-2 takes named arguments, JSON-RPC positional `args` plus `kwargs`. */
type MethodCall = (model: string, method: string, args: unknown[], named: Record<string, unknown>) => { path: string; body: Record<string, unknown> };

const json2Call: MethodCall = (model, method, args, named) => {
  // JSON-2 has no positional arguments: each method's leading ones are named (`ids`, `vals`, `vals_list`, `domain`).
  const names: Record<string, readonly string[]> = { search_read: ['domain'], read: ['ids'], create: ['vals_list'], write: ['ids', 'vals'] };
  const leading = Object.fromEntries((names[method] ?? []).map((name, index) => [name, args[index]]));
  return { path: `json/2/${model}/${method}`, body: { ...leading, ...named } };
};

function jsonRpcCall(identity: OdooRpcIdentity): MethodCall {
  let next = 0;
  return (model, method, args, named) => ({
    path: 'jsonrpc',
    body: { jsonrpc: '2.0', method: 'call', id: ++next, params: { service: 'object', method: 'execute_kw', args: [identity.database, identity.uid(), identity.apiKey, model, method, args, named] } },
  });
}

/**
 * Odoo's external API is RPC: every read and write is a POST naming a model method, its
 * arguments in the JSON body. The planned list parameters become `search_read`'s domain, order,
 * offset and limit; a record's read, create and update become `read`, `create` and `write`.
 */
export function odooHooks(settings: OdooSettings, identity: OdooRpcIdentity | undefined): SpecHooks {
  const call: MethodCall = settings.api === 'jsonrpc' && identity ? jsonRpcCall(identity) : json2Call;
  const headers = (planned: Record<string, string> | undefined) => ({ ...planned, ...(settings.api === 'json2' && settings.database ? { 'x-odoo-database': settings.database } : {}) });
  return {
    shapeList: (stream: StreamSpec, planned: ListCall): ListCall => {
      const model = odooModelOf(stream.name);
      const { domain, order, offset, limit } = searchArguments(planned.params);
      const { path, body } = call(model.model, 'search_read', [domain], { fields: model.fields, offset, limit, order, context: CONTEXT });
      return { method: 'POST', path, params: {}, headers: headers(planned.headers), body };
    },
    shapeRecordCall: (stream: StreamSpec, purpose, planned: RecordCall, id?: string): RecordCall => {
      const model = odooModelOf(stream.name);
      const ids = [Number(id)];
      const { ids: _named, ...vals } = (planned.body ?? {}) as SourceRecord;
      const shaped =
        purpose === 'read'
          ? call(model.model, 'read', [ids], { fields: model.fields, context: CONTEXT })
          : purpose === 'create'
            ? call(model.model, 'create', [[vals]], { context: CONTEXT })
            : call(model.model, 'write', [ids, vals], { context: CONTEXT });
      return { method: 'POST', path: shaped.path, params: {}, headers: headers(planned.headers), body: shaped.body, ...(planned.timeoutMs !== undefined ? { timeoutMs: planned.timeoutMs } : {}) };
    },
  };
}
