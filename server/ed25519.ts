import { createRequire } from 'node:module';

/**
 * Ed25519 as the server checks it: libsodium (sodium-native), not Node's OpenSSL, for two reasons.
 *
 * - Strictness. OpenSSL accepts a public key of small order: under the identity point, the
 *   64 bytes "identity point, then zero" verify as a signature of any message at all. A key like
 *   that, once registered for a person (an administrator's reset carries the new key, a first key
 *   is trust on first use), would let every enrolled desk sign as them. libsodium refuses small-order
 *   keys and R values and non-canonical encodings, and a key is checked before it is registered
 *   (usableSigningKey).
 * - Cost. On the machines measured (docs/SYNC.md "Signed changes") libsodium verifies in about
 *   45 µs where OpenSSL takes 95: signature checks were the largest part of the server's CPU per
 *   change.
 *
 * The server does not start without it: one verifier, so a desk's change is never accepted by one
 * server instance and refused by another.
 */
interface Sodium {
  crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  crypto_core_ed25519_is_valid_point(point: Uint8Array): boolean;
}

const require = createRequire(import.meta.url);

/** Where the module is, for the signature workers (server/verify-pool.ts), which load it themselves. */
export const SODIUM_PATH: string = require.resolve('sodium-native');

const sodium = require(SODIUM_PATH) as Sodium;

/** SubjectPublicKeyInfo DER for an Ed25519 key: this 12-byte header, then the 32-byte key. */
export const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The raw 32-byte key of a base64 SPKI DER public key (as users rows carry it), or null if it is not one. */
export function rawEd25519Key(spkiBase64: string): Buffer | null {
  const der = Buffer.from(spkiBase64, 'base64');
  if (der.length !== ED25519_SPKI_PREFIX.length + 32 || !der.subarray(0, ED25519_SPKI_PREFIX.length).equals(ED25519_SPKI_PREFIX)) return null;
  // A copy: a short base64 string decodes into Node's shared 8 KB pool, which a view would keep alive in the key caches.
  return Buffer.from(der.subarray(ED25519_SPKI_PREFIX.length));
}

/** Whether a public key may be registered for a person: Ed25519, on the curve, canonical, of the main subgroup. */
export function usableSigningKey(spkiBase64: string): boolean {
  const raw = rawEd25519Key(spkiBase64);
  return raw !== null && sodium.crypto_core_ed25519_is_valid_point(raw);
}

/** Whether `signature` is the key's signature of `message`; false for anything malformed. */
export function verifyEd25519(rawKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (rawKey.length !== 32 || signature.length !== 64) return false;
  try {
    return sodium.crypto_sign_verify_detached(signature, message, rawKey);
  } catch {
    return false;
  }
}
