import { ProviderError } from '../providerError.js';
import type { SpecHooks } from '../spec/specHooks.js';
import { quickBooksEntities } from './quickBooksEntities.js';

/** The planned paging parameters the hook turns into the statement's STARTPOSITION and MAXRESULTS. */
export const OFFSET_PARAM = 'startposition';
export const LIMIT_PARAM = 'maxresults';
/** The planned parameter carrying the ids asked for (a webhook's records): `Id IN (…)` in the statement. */
export const IDS_PARAM = 'ids';

/** Ids reach the statement only as the stream's id pattern allows (digits), so quoting them is safe. */
const idList = /^[1-9]\d{0,19}(,[1-9]\d{0,19})*$/;

/**
 * A full read's page as QuickBooks' query language: `GET query?query=SELECT * FROM <Entity>
 * [WHERE Active IN (true, false)] ORDERBY Id STARTPOSITION n MAXRESULTS m`. Ordered by id, so a
 * record edited during the read keeps its place; inactive customers and items are asked for, as
 * QuickBooks hides them otherwise and they are its deletes for those lists. STARTPOSITION counts
 * from 1. Incremental reads go to the CDC feed and are not shaped here.
 */
export const quickBooksHooks: SpecHooks = {
  shapeList(stream, call) {
    if (call.path !== stream.path) return call;
    const entity = quickBooksEntities[stream.name];
    if (!entity) throw new ProviderError({ code: 'unknown_stream', retriable: false, message: `QuickBooks has no stream "${stream.name}"` });
    const { [OFFSET_PARAM]: offset, [LIMIT_PARAM]: limit, [IDS_PARAM]: ids, ...others } = call.params;
    const unknown = Object.keys(others);
    // A task filter cannot become part of the statement safely: dropping it would read more than asked.
    if (unknown.length > 0) throw new ProviderError({ code: 'unsupported_filter', retriable: false, message: `QuickBooks queries take no filter ${unknown.join(', ')}` });
    const start = Number(offset ?? 0) + 1;
    const max = Number(limit ?? 1000);
    if (!Number.isSafeInteger(start) || start < 1 || !Number.isSafeInteger(max) || max < 1) {
      throw new ProviderError({ code: 'invalid_page', retriable: false, message: `QuickBooks: STARTPOSITION ${String(offset)} / MAXRESULTS ${String(limit)} is not a page` });
    }
    if (ids !== undefined && !idList.test(ids)) throw new ProviderError({ code: 'invalid_id', retriable: false, message: `QuickBooks ids are digits, got "${ids}"` });
    const conditions = [
      ...(entity.list === 'name' ? ['Active IN (true, false)'] : []),
      ...(ids !== undefined ? [`Id IN (${ids.split(',').map((id) => `'${id}'`).join(', ')})`] : []),
    ];
    const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    return { ...call, params: { query: `SELECT * FROM ${entity.entity}${where} ORDERBY Id STARTPOSITION ${start} MAXRESULTS ${max}` } };
  },
};
