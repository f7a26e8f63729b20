import { registerResourceRoutes } from './http/resourceRoutes.js';
import { getDedupeRules, listDedupeRules, saveDedupeRules } from '../shared/sync/dedupeRuleSets.js';

/** `tenants/{t}/dedupe-rules/{shardType}`: the entity-resolution rules of a shard type. */
registerResourceRoutes({
  name: 'ruleSet',
  collection: 'dedupe-rules',
  idParam: 'shardType',
  useCases: { save: saveDedupeRules, get: getDedupeRules, list: listDedupeRules },
});
