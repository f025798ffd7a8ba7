import { createHash } from 'node:crypto';

/**
 * A signing key's id: the first 16 characters of the base64url SHA-256 of its public key (the
 * base64 of its SPKI DER, as users.sign_public_key holds it). The desk sends it with each change;
 * the server computes it again when it registers the key, so both must use this one function.
 */
export function signKeyId(publicKeyB64: string): string {
  return createHash('sha256').update(Buffer.from(publicKeyB64, 'base64')).digest('base64url').slice(0, 16);
}
