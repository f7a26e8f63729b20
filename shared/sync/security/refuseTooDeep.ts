import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../../core/jsonDepth.js';
import { InvalidInputError } from '../invalidInputError.js';

/** Refuses input nested deeper than MAX_JSON_DEPTH (422 naming where) before anything walks it recursively. */
export function refuseTooDeep(body: unknown): void {
  const path = jsonDepthExceeds(body, MAX_JSON_DEPTH);
  if (path !== undefined) throw new InvalidInputError([{ path, message: `nested deeper than ${MAX_JSON_DEPTH} levels` }]);
}
