import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, scryptSync, sign, type KeyObject } from 'node:crypto';
import { signKeyId } from '../../db/sign-key-id';

/**
 * Each person's Ed25519 signing key (docs/SYNC.md "Signed changes"). The public key is kept in
 * their synced users row (`sign_public_key`, base64 SPKI DER) and registered by the server; the
 * private key travels in the same row wrapped under a key derived from their password
 * (`sign_key_wrapped`), so they can unwrap it at login on any desk, and a copied database without
 * the password gives nobody their signature.
 *
 * Wrapped form: `v1$N$r$p$salt$iv$tag$ciphertext` (base64 parts): scrypt (the same family and cost
 * as services/passwords.ts, its own salt) derives an AES-256-GCM key that encrypts the PKCS8 DER.
 * GCM's tag makes a wrong password or a tampered blob fail cleanly instead of yielding a bad key.
 */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: string;
  keyId: string;
}

/** Who signs the changes of a call: the signer's user id and a function that signs bytes. */
export interface ChangeSigner {
  userId: string;
  sign: (bytes: Uint8Array) => { sig: string; keyId: string };
}

function deriveKey(password: string, salt: Buffer, N: number, r: number, p: number): Buffer {
  return scryptSync(password.normalize('NFKC'), salt, 32, { N, r, p, maxmem: 128 * N * r * 2 });
}

export function publicKeyOf(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).toString('base64');
}

export function keyFrom(privateKey: KeyObject): SigningKey {
  const publicKey = publicKeyOf(privateKey);
  return { privateKey, publicKey, keyId: signKeyId(publicKey) };
}

/** A fresh key pair, and its private half wrapped under `password`. */
export function generateSigningKey(password: string): SigningKey & { wrapped: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { ...keyFrom(privateKey), wrapped: wrapSigningKey(privateKey, password) };
}

export function wrapSigningKey(privateKey: KeyObject, password: string): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(password, salt, PARAMS.N, PARAMS.r, PARAMS.p), iv);
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const ciphertext = Buffer.concat([cipher.update(der), cipher.final()]);
  const b64 = (b: Buffer) => b.toString('base64');
  return ['v1', PARAMS.N, PARAMS.r, PARAMS.p, b64(salt), b64(iv), b64(cipher.getAuthTag()), b64(ciphertext)].join('$');
}

/** The private key, or null for a wrong password, a tampered or truncated blob, or an unknown version. */
export function unwrapSigningKey(wrapped: string, password: string): SigningKey | null {
  const parts = wrapped.split('$');
  if (parts.length !== 8 || parts[0] !== 'v1') return null;
  const [, n, r, p, salt, iv, tag, ciphertext] = parts as [string, string, string, string, string, string, string, string];
  const [N, R, P] = [Number(n), Number(r), Number(p)];
  // Only the cost this version writes: a blob that asks for a huge scrypt is a denial of service.
  if (N !== PARAMS.N || R !== PARAMS.r || P !== PARAMS.p) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', deriveKey(password, Buffer.from(salt, 'base64'), N, R, P), Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    const der = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]);
    const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    return privateKey.asymmetricKeyType === 'ed25519' ? keyFrom(privateKey) : null;
  } catch {
    return null;
  }
}

/** A signer for the writer and the audit trail: Ed25519 over the change's canonical bytes. */
export function changeSigner(userId: string, key: SigningKey): ChangeSigner {
  return { userId, sign: (bytes) => ({ sig: sign(null, bytes, key.privateKey).toString('base64'), keyId: key.keyId }) };
}
