/** The schemas of the queues' messages, for the function files that validate what they receive. */
export { dedupeRolloutMessage, syncBatchMessage, syncPageMessage, syncStartMessage, syncWriteBackMessage } from '../core/schemas/messages.js';
