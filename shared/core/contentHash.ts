import { createHash } from 'node:crypto';
import { canonicalJson } from './canonicalJson.js';

/** Content hash of a shard's data: equal data ⇒ equal hash, independent of key order. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('base64url');
}
