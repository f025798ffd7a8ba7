/**
 * ABDM's health-information encryption ("Fidelius"), interoperable with the reference implementation
 * ABDM's guidelines point to: github.com/mgrmtech/fidelius-cli (docs/ABDM.md "Encryption" cites the
 * files and lines). In short:
 *
 * - Keys live on BouncyCastle's named curve "curve25519": Curve25519 in SHORT WEIERSTRASS form
 *   (y² = x³ + ax + b over 2²⁵⁵−19, cofactor 8), not RFC 7748 X25519. A public key is the 65-byte
 *   uncompressed point 04‖x‖y (base64, 88 characters) or the same point in an X.509
 *   SubjectPublicKeyInfo with EXPLICIT curve parameters (base64, 412 characters); ABDM's
 *   `keyMaterial.dhPublicKey.keyValue` carries either. A private key is Java's
 *   BigInteger.toByteArray() of the scalar (big-endian, a leading 0x00 when the top bit is set).
 * - Shared secret: ECDH, the x coordinate of d·Q as 32 big-endian bytes.
 * - xor = senderNonce XOR requesterNonce (32 bytes each); HKDF-SHA256(ikm = secret, salt = xor[0..20),
 *   info = empty) → 32-byte AES key; AES-256-GCM with IV = xor[20..32), 128-bit tag appended to the
 *   ciphertext, no additional data; the whole base64.
 *
 * The curve arithmetic is OpenSSL's (through node:crypto), which accepts keys with explicit curve
 * parameters: we build the DER ourselves, so no third-party code and no hand-rolled field maths.
 * X25519 proper cannot be used: it clamps the scalar, Fidelius's scalars are not clamped, and its
 * points are Weierstrass (x differs from the Montgomery u by A/3).
 */
import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, diffieHellman, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';

const P = (1n << 255n) - 19n;
/** The prime order of the base point's subgroup (the curve's order is 8·N). */
const N = (1n << 252n) + 0x14def9dea2f79cd65812631a5cf5d3edn;
/** Montgomery A of Curve25519; the Weierstrass form's a, b and base point follow from it. */
const A = 486662n;

function mod(x: bigint): bigint {
  const r = x % P;
  return r < 0n ? r + P : r;
}
function inv(x: bigint): bigint {
  // Fermat: x^(p-2); only for the constants below, never for secret values.
  let result = 1n;
  let base = mod(x);
  let e = P - 2n;
  while (e > 0n) {
    if (e & 1n) result = (result * base) % P;
    base = (base * base) % P;
    e >>= 1n;
  }
  return result;
}
function be32(x: bigint): Buffer {
  return Buffer.from(x.toString(16).padStart(64, '0'), 'hex');
}

// Montgomery v² = u³ + A u² + u  ↔  Weierstrass y² = x³ + a x + b with x = u + A/3, y = v.
const third = inv(3n);
const CURVE_A = mod((3n - A * A) * third);
const CURVE_B = mod((2n * A * A * A - 9n * A) * inv(27n));
const GX = mod(9n + A * third);
/** v of the Montgomery base point u = 9 (RFC 7748 §4.1). */
const GY = 14781619447589544791020593568409986887264606134616475288964881837755586237401n;

function der(tag: number, body: Buffer): Buffer {
  const l = body.length;
  const len = l < 0x80 ? Buffer.from([l]) : l < 0x100 ? Buffer.from([0x81, l]) : Buffer.from([0x82, l >> 8, l & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
}
function derUint(x: bigint): Buffer {
  let hex = x.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return der(0x02, Buffer.from(hex, 'hex'));
}
const OID_EC_PUBLIC_KEY = Buffer.from('06072a8648ce3d0201', 'hex');
const OID_PRIME_FIELD = Buffer.from('06072a8648ce3d0101', 'hex');

/** SEC 1 ECParameters (explicit), exactly as BouncyCastle writes them for "curve25519" (no seed). */
const EC_PARAMETERS = der(
  0x30,
  Buffer.concat([
    derUint(1n),
    der(0x30, Buffer.concat([OID_PRIME_FIELD, derUint(P)])),
    der(0x30, Buffer.concat([der(0x04, be32(CURVE_A)), der(0x04, be32(CURVE_B))])),
    der(0x04, Buffer.concat([Buffer.from([4]), be32(GX), be32(GY)])),
    derUint(N),
    derUint(8n),
  ]),
);
/** Everything of the X.509 SubjectPublicKeyInfo before the 65-byte point. */
const SPKI_PREFIX = (() => {
  const algorithm = der(0x30, Buffer.concat([OID_EC_PUBLIC_KEY, EC_PARAMETERS]));
  const whole = der(0x30, Buffer.concat([algorithm, der(0x03, Buffer.concat([Buffer.from([0]), Buffer.alloc(65)]))]));
  return whole.subarray(0, whole.length - 65);
})();

export class FideliusError extends Error {}

export interface FideliusKeyMaterial {
  /** base64 of the scalar as Java's BigInteger.toByteArray(). */
  privateKey: string;
  /** base64 of the uncompressed point 04‖x‖y (88 characters). */
  publicKey: string;
  /** base64 X.509 SubjectPublicKeyInfo with explicit curve parameters (412 characters). */
  x509PublicKey: string;
  /** base64 of 32 random bytes. */
  nonce: string;
}

function decodeBase64(value: string, what: string): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value.trim())) throw new FideliusError(`${what} is not base64`);
  return Buffer.from(value.trim(), 'base64');
}

function scalarOf(privateKey: string): bigint {
  const bytes = decodeBase64(privateKey, 'privateKey');
  if (bytes.length === 0 || bytes.length > 33 || (bytes[0]! & 0x80) !== 0) throw new FideliusError('privateKey is not a Curve25519 scalar');
  const d = BigInt(`0x${bytes.toString('hex')}`);
  if (d <= 0n || d >= N) throw new FideliusError('privateKey is out of range for Curve25519');
  return d;
}

function privateKeyObject(d: bigint): KeyObject {
  const sec1 = der(0x30, Buffer.concat([derUint(1n), der(0x04, be32(d)), der(0xa0, EC_PARAMETERS)]));
  return createPrivateKey({ key: sec1, format: 'der', type: 'sec1' });
}

/** The 65-byte point from either public-key form ABDM exchanges. */
export function publicPoint(publicKey: string): Buffer {
  const bytes = decodeBase64(publicKey, 'publicKey');
  if (bytes.length === 65 && bytes[0] === 4) return bytes;
  if (bytes.length === SPKI_PREFIX.length + 65 && bytes.subarray(0, SPKI_PREFIX.length).equals(SPKI_PREFIX)) return bytes.subarray(SPKI_PREFIX.length);
  throw new FideliusError('publicKey is neither an uncompressed Curve25519 point nor an X.509 key on Fidelius curve25519');
}

function publicKeyObject(point: Buffer): KeyObject {
  try {
    // OpenSSL refuses a point that is not on the curve.
    return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, point]), format: 'der', type: 'spki' });
  } catch {
    throw new FideliusError('publicKey is not a point on Curve25519');
  }
}

/** The X.509 form of an uncompressed point (the form ABDM's HIU reference sends as keyValue). */
export function x509Of(publicKey: string): string {
  return Buffer.concat([SPKI_PREFIX, publicPoint(publicKey)]).toString('base64');
}

function javaBigIntegerBytes(d: bigint): Buffer {
  let hex = d.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return Buffer.from(hex, 'hex');
}

/** A fresh key pair and nonce, in the forms fidelius-cli's `gkm` prints. */
export function generateKeyMaterial(): FideliusKeyMaterial {
  let d = 0n;
  // Uniform in [1, N): 32 random bytes with the top 3 bits cleared are below 2^253; retry the few above N.
  while (d <= 0n || d >= N) {
    const b = randomBytes(32);
    b[0] = b[0]! & 0x1f;
    d = BigInt(`0x${b.toString('hex')}`);
  }
  const spki = createPublicKey(privateKeyObject(d)).export({ format: 'der', type: 'spki' });
  const point = spki.subarray(spki.length - 65);
  return {
    privateKey: javaBigIntegerBytes(d).toString('base64'),
    publicKey: point.toString('base64'),
    x509PublicKey: spki.toString('base64'),
    nonce: randomBytes(32).toString('base64'),
  };
}

/** The public key (uncompressed point, base64) of a private key. */
export function publicKeyOf(privateKey: string): string {
  const spki = createPublicKey(privateKeyObject(scalarOf(privateKey))).export({ format: 'der', type: 'spki' });
  return spki.subarray(spki.length - 65).toString('base64');
}

/** ECDH shared secret: x of d·Q, 32 bytes. */
export function sharedSecret(privateKey: string, publicKey: string): Buffer {
  return diffieHellman({ privateKey: privateKeyObject(scalarOf(privateKey)), publicKey: publicKeyObject(publicPoint(publicKey)) });
}

function sessionKey(secret: Buffer, senderNonce: string, requesterNonce: string): { key: Buffer; iv: Buffer } {
  const a = decodeBase64(senderNonce, 'senderNonce');
  const b = decodeBase64(requesterNonce, 'requesterNonce');
  if (a.length !== 32 || b.length !== 32) throw new FideliusError('a nonce must be 32 bytes (base64)');
  const xor = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) xor[i] = a[i]! ^ b[i]!;
  const key = Buffer.from(hkdfSync('sha256', secret, xor.subarray(0, 20), Buffer.alloc(0), 32));
  return { key, iv: xor.subarray(20) };
}

export interface EncryptInput {
  plaintext: string;
  senderNonce: string;
  requesterNonce: string;
  senderPrivateKey: string;
  /** The requester's public key: uncompressed point or X.509. */
  requesterPublicKey: string;
}

/** Encrypts for the requester (the HIP's side): base64(ciphertext ‖ 16-byte tag). */
export function encrypt(input: EncryptInput): string {
  const { key, iv } = sessionKey(sharedSecret(input.senderPrivateKey, input.requesterPublicKey), input.senderNonce, input.requesterNonce);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(Buffer.from(input.plaintext, 'utf8')), cipher.final()]);
  return Buffer.concat([body, cipher.getAuthTag()]).toString('base64');
}

export interface DecryptInput {
  encryptedData: string;
  requesterNonce: string;
  senderNonce: string;
  requesterPrivateKey: string;
  /** The sender's public key: uncompressed point or X.509. */
  senderPublicKey: string;
}

/**
 * Decrypts (the requester's side). Unlike the reference, which prints the exception and returns an
 * empty string, a wrong key, nonce or a changed byte is refused with a FideliusError.
 */
export function decrypt(input: DecryptInput): string {
  const { key, iv } = sessionKey(sharedSecret(input.requesterPrivateKey, input.senderPublicKey), input.senderNonce, input.requesterNonce);
  const data = decodeBase64(input.encryptedData, 'encryptedData');
  if (data.length < 16) throw new FideliusError('encryptedData is too short to hold the authentication tag');
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(data.subarray(data.length - 16));
  try {
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    throw new FideliusError('The data does not decrypt with these keys and nonces (wrong key, wrong nonce, or changed in transit).');
  }
}
