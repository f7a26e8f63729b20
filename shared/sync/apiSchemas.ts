/**
 * The schemas of the admin API's request bodies and answers, for the function files: they
 * describe their routes (OpenAPI) with them, yet import nothing below the use cases.
 */
export { activityEntry } from '../core/schemas/activity.js';
export { apiKeyInput, apiKeyRotation, apiKeyView, createdApiKey } from '../core/schemas/apiKey.js';
export { conflict } from '../core/schemas/conflict.js';
export { conversionSchemaInput, conversionSchemaView } from '../core/schemas/conversionSchema.js';
export { dedupeRuleSetInput, dedupeRuleSetView } from '../core/schemas/dedupeRuleSet.js';
export { startExecutionInput } from '../core/schemas/execution.js';
export { failure } from '../core/schemas/failure.js';
export { membershipInput, membershipView } from '../core/schemas/membership.js';
export { scheduleInput, scheduleView } from '../core/schemas/schedule.js';
export { schemaPreview } from '../core/schemas/schemaPreview.js';
export { shardView } from '../core/schemas/shard.js';
export { syncTaskInput, syncTaskView } from '../core/schemas/syncTask.js';
export { tenantInput, tenantView } from '../core/schemas/tenant.js';
export { connectionTestResult } from '../core/schemas/answers/connectionTest.js';
export { executionView } from '../core/schemas/answers/executionView.js';
export { health } from '../core/schemas/answers/health.js';
export { listCount } from '../core/schemas/answers/listCount.js';
export { listingOf, listingOrCountOf } from '../core/schemas/answers/listing.js';
export { outboundPushResult } from '../core/schemas/answers/outboundPushResult.js';
export { retryResult } from '../core/schemas/answers/retryResult.js';
export { documentedConnectionInput, documentedConnectionView } from '../connectors/documentedConnection.js';
