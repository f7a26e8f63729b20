import { ProviderUnavailableError } from './providerUnavailableError.js';

/**
 * A create failed after it may have reached the provider (timeout, 5xx, a cut-off answer), so the
 * record may exist now. Still recoverable, but re-sending blindly can make a duplicate.
 */
export class WriteOutcomeUnknownError extends ProviderUnavailableError {}
