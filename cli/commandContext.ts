import type { ApiCaller } from './apiCaller.js';
import type { Output } from './output.js';

/** What every command gets: the API of the chosen tenant, and where its answer goes. */
export interface CommandContext {
  api: ApiCaller;
  out: Output;
}

/** Builds the context from the global options when a command runs (so --help needs no credentials). */
export type ContextFactory = () => CommandContext;
