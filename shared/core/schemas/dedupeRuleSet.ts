import { z } from 'zod';
import { dedupeRules } from '../dedupe/dedupeRules.js';

/** What a save of a shard type's rules takes: the rule set itself (see core/dedupe/dedupeRules.ts). */
export const dedupeRuleSetInput = dedupeRules.meta({
  id: 'DedupeRuleSetInput',
  description:
    'Entity-resolution rules of one shard type: blocking keys pick the records compared, matchers score a compared pair field by field, `threshold` and `minEvidence` decide a match, `merge` how matched records combine. Every field named must be one the tenant\'s conversion schemas produce for the shard type.',
});

/** A tenant's de-duplication rules for one shard type, as stored; the shard type is its id. */
export const dedupeRuleSet = z.object({
  id: z.string().describe('The shard type.'),
  tenantId: z.string(),
  rules: dedupeRules.describe('The rules as validated, defaults filled in.'),
  version: z.number().int().min(1).describe('Goes up when the rules change (a save of the same rules keeps it).'),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime().describe('When the rules last changed.'),
});
export type DedupeRuleSet = z.infer<typeof dedupeRuleSet>;

/** How far rolling a version of the rules out to the shards already stored has got. */
const dedupeRollout = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    kind: z.literal('dedupe_rollout'),
    shardType: z.string(),
    version: z.number().int().describe('The rule set version being rolled out; a newer save starts over.'),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().optional().describe('Set by the last page.'),
    pages: z.number().int().min(0).describe('Pages of 100 shards done.'),
    resolved: z.number().int().min(0).describe('Shards resolved under this version by the rollout (others already were).'),
    merged: z.number().int().min(0).describe('Of those, shards merged into another entity.'),
  })
  .meta({ id: 'DedupeRollout', description: 'The background rollout of a rule set version to the stored shards of its type.' });
/** As stored in `coordination`, one per shard type. */
export type DedupeRollout = z.infer<typeof dedupeRollout>;

/** The rule set as the API answers with it; reads of one rule set and saves add its rollout. */
export const dedupeRuleSetView = dedupeRuleSet
  .extend({
    rollout: dedupeRollout
      .optional()
      .describe('Reads of one rule set and save answers, once a rollout has started (a save answers with the rollout as it found it: the previous one, or none).'),
  })
  .meta({ id: 'DedupeRuleSet', description: "A tenant's entity-resolution rules for one shard type, versioned." });
