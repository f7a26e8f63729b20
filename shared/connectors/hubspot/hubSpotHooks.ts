import type { ListCall, SpecHooks } from '../spec/specHooks.js';
import { modifiedPropertyOf } from './hubSpotObjects.js';

/** The planned parameters that carry the modified filter and the ids asked for; they never reach HubSpot as such. */
export const MODIFIED_SINCE_PARAM = 'hs_modified_since';
export const IDS_PARAM = 'hs_object_ids';

/**
 * HubSpot's list endpoint filters by neither modified time nor id: such a read is its search
 * (`POST crm/v3/objects/<type>/search`), which takes the filters, sort, properties and paging in a
 * JSON body. The modified filter is GTE (not GT): a window re-anchored on the last modified time
 * read re-reads the records at that instant rather than skipping any. Ids (a webhook's changed
 * records) are an `hs_object_id IN` filter, so a few records are not found by reading them all.
 * Other planned parameters stay in the query.
 */
function searchCall(stream: string, call: ListCall): ListCall {
  const { [MODIFIED_SINCE_PARAM]: since, [IDS_PARAM]: ids, limit, after, properties, ...rest } = call.params;
  const propertyName = modifiedPropertyOf(stream);
  const filters = [
    ...(since !== undefined ? [{ propertyName, operator: 'GTE', value: since }] : []),
    ...(ids !== undefined ? [{ propertyName: 'hs_object_id', operator: 'IN', values: ids.split(',') }] : []),
  ];
  return {
    method: 'POST',
    path: `${call.path}/search`,
    params: rest,
    headers: call.headers,
    body: {
      filterGroups: [{ filters }],
      sorts: [{ propertyName, direction: 'ASCENDING' }],
      ...(properties !== undefined ? { properties: properties.split(',') } : {}),
      ...(limit !== undefined ? { limit: Number(limit) } : {}),
      ...(after !== undefined ? { after } : {}),
    },
  };
}

export const hubSpotHooks: SpecHooks = {
  shapeList: (stream, call) => (call.params[MODIFIED_SINCE_PARAM] === undefined && call.params[IDS_PARAM] === undefined ? call : searchCall(stream.name, call)),
};
