import { registerResourceRoutes } from './http/resourceRoutes.js';
import { getDedupeRules, listDedupeRules, saveDedupeRules } from '../shared/sync/entityResolution/dedupeRuleSets.js';
import { dedupeRuleSetInput, dedupeRuleSetView } from '../shared/sync/apiSchemas.js';

/** `tenants/{t}/dedupe-rules/{shardType}`: the entity-resolution rules of a shard type. */
registerResourceRoutes({
  name: 'ruleSet',
  collection: 'dedupe-rules',
  idParam: 'shardType',
  idFromBody: 'shardType',
  useCases: { save: saveDedupeRules, get: getDedupeRules, list: listDedupeRules },
  input: dedupeRuleSetInput,
  inputExample: {
    shardType: 'customer',
    blocking: [
      { name: 'email', parts: [{ field: 'email', normalize: 'email' }] },
      { name: 'postcodeName', parts: [{ field: 'address.postcode', normalize: 'postcode' }, { field: 'lastName', normalize: 'name', encode: 'doubleMetaphone' }] },
    ],
    matchers: [
      { field: 'email', kind: 'exact', normalize: 'email', weight: 8, mismatchWeight: 2 },
      { field: 'firstName', kind: 'jaroWinkler', normalize: 'name', threshold: 0.9, weight: 1.5, mismatchWeight: 5, nicknames: true, initials: true },
      { field: 'lastName', kind: 'jaroWinkler', normalize: 'name', threshold: 0.9, weight: 2, mismatchWeight: 2 },
      { field: 'address.postcode', kind: 'exact', normalize: 'postcode', weight: 1.5, mismatchWeight: 1 },
    ],
    threshold: 0.65,
    minEvidence: 5,
    swappableFields: [['firstName', 'lastName']],
    merge: 'merge_fields',
  },
  view: dedupeRuleSetView,
  saveSemantics:
    'The rule set\'s id is its `shardType` (in the body; on PUT it must equal the path). A save replaces the stored rules as a whole: a part left out goes back to its default. ' +
    "The rules are validated in full first, every problem listed with its path, including fields the tenant's conversion schemas do not produce for the shard type. " +
    '`version` goes up only when the rules change. Every save, a repeat included, (re)starts the rollout of the current version to the shards already stored, unless it is under way or finished: a repeat restarts one that broke off, skipping the shards it resolved already.',
});
