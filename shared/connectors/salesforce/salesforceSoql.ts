import { ProviderError } from '../providerError.js';
import type { SpecHooks } from '../spec/specHooks.js';
import { salesforceObjects, systemFields } from './salesforceObjects.js';

/** The planned parameters the spec gives the hook: its incremental `param` and its paginator's `sizeParam`. */
export const sinceParam = 'since';
export const batchSizeParam = 'batchSize';

/** What `iso8601-seconds` formats: checked again, as it is pasted into the query unquoted (a SOQL datetime literal). */
const datetimeLiteral = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/**
 * A stream's first page as SOQL: `GET query?q=SELECT … FROM <T> [WHERE SystemModstamp > <since>]
 * ORDER BY SystemModstamp, Id`, its batch size in `Sforce-Query-Options` (Salesforce serves 200 to
 * 2,000 and treats it as a hint). The cursor the query opens keeps the order and the batch size, so
 * the next pages are the answer's `nextRecordsUrl` as given.
 */
export const salesforceHooks: SpecHooks = {
  shapeList(stream, call) {
    if (call.path !== stream.path) return call;
    const object = salesforceObjects[stream.name];
    if (!object) throw new ProviderError({ code: 'unknown_stream', retriable: false, message: `Salesforce has no stream "${stream.name}"` });
    const { [sinceParam]: since, [batchSizeParam]: batchSize, ...others } = call.params;
    const unknown = Object.keys(others);
    // Task filters become SOQL nowhere: dropping one would read more than asked, silently.
    if (unknown.length > 0) throw new ProviderError({ code: 'unsupported_filter', retriable: false, message: `Salesforce lists take no filter ${unknown.join(', ')}` });
    if (since !== undefined && !datetimeLiteral.test(since)) throw new ProviderError({ code: 'invalid_since', retriable: false, message: `Salesforce: "${since}" is not a datetime literal` });
    const where = since === undefined ? '' : ` WHERE SystemModstamp > ${since}`;
    const q = `SELECT ${[...systemFields, ...object.fields].join(', ')} FROM ${object.type}${where} ORDER BY SystemModstamp, Id`;
    return { ...call, params: { q }, headers: { ...call.headers, ...(batchSize !== undefined ? { 'sforce-query-options': `batchSize=${batchSize}` } : {}) } };
  },
};
