import { createHash } from 'node:crypto';

/** Key Vault's limit on secret names. */
export const KEY_VAULT_NAME_MAX_LENGTH = 127;
const HASH_LENGTH = 20; // hex digits: 80 bits, so distinct names never meet in practice
const MARKER = '--'; // separates the hash; names kept as they are never contain it
const KEPT_PREFIX_LENGTH = KEY_VAULT_NAME_MAX_LENGTH - MARKER.length - HASH_LENGTH;

/**
 * The Key Vault secret name for one of our secret names: deterministic and collision-free.
 *
 * Key Vault allows 1–127 characters of `[0-9a-zA-Z-]` and compares names case-insensitively. A name
 * that is already lower-case, valid and free of `--` is used as it is. Any other name keeps its safe
 * characters (lower-cased, the rest as `-`, cut to fit) and gains `--` and a hash of the original,
 * so `a_b`, `a-b` and `A-b` stay three secrets and no kept name can look like a hashed one.
 */
export function keyVaultSecretName(name: string): string {
  if (isKeptAsIs(name)) return name;
  const readable = name.toLowerCase().replace(/[^0-9a-z-]/g, '-').slice(0, KEPT_PREFIX_LENGTH);
  // Hashing UTF-16 code units is injective even for lone surrogates, which UTF-8 would merge.
  const hash = createHash('sha256').update(name, 'utf16le').digest('hex').slice(0, HASH_LENGTH);
  return `${readable}${MARKER}${hash}`;
}

function isKeptAsIs(name: string): boolean {
  return name.length >= 1 && name.length <= KEY_VAULT_NAME_MAX_LENGTH && /^[0-9a-z-]+$/.test(name) && !name.includes(MARKER);
}
