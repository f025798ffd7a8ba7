/**
 * The HIU's side of ABDM's published encryption scheme (fidelius-cli: ECDH on BouncyCastle's
 * "curve25519" in Weierstrass form, salt/IV from the XOR of the nonces, HKDF-SHA256, AES-256-GCM),
 * written for tests independently of server/abdm/fidelius.ts: the curve is never spelled out here.
 * Its parameters are taken from an X.509 key fidelius-cli itself printed (its README), the private
 * key is a PKCS#8 around that AlgorithmIdentifier, and the peer's key is imported from its X.509
 * form as received. Checked against the README's ciphertext in test/sync/abdm-health-info.test.ts.
 */
import { createDecipheriv, createPrivateKey, createPublicKey, diffieHellman, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';

/** fidelius-cli README (4d9b4a5), the requester's `x509PublicKey` as `gkm` printed it. */
export const README_REQUESTER_X509 =
  'MIIBMTCB6gYHKoZIzj0CATCB3gIBATArBgcqhkjOPQEBAiB/////////////////////////////////////////7TBEBCAqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqYSRShRAQge0Je0Je0Je0Je0Je0Je0Je0Je0Je0Je0JgtenHcQyGQEQQQqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq0kWiCuGaG4oIa04B7dLHdI0UySPU1+bXxhsinpxaJ+ztPZAiAQAAAAAAAAAAAAAAAAAAAAFN753qL3nNZYEmMaXPXT7QIBCANCAAQIXg+a1Kk8uFecUeP+h1pmKaKbuQjvijvARAktLnTalE0jaPdUyKiCMtQOFYfhfeHPp/bwHMF1NmxnH7COX+vW';

/** One DER element at `offset`: its tag, where its content starts and ends. */
function element(der: Buffer, offset: number): { tag: number; start: number; end: number } {
  const tag = der[offset]!;
  let len = der[offset + 1]!;
  let start = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = der.readUIntBE(offset + 2, n);
    start += n;
  }
  return { tag, start, end: start + len };
}

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, content]);
}

/** The AlgorithmIdentifier (id-ecPublicKey with the explicit curve) of an X.509 SubjectPublicKeyInfo. */
function algorithmOf(spki: Buffer): Buffer {
  const outer = element(spki, 0);
  const alg = element(spki, outer.start);
  return spki.subarray(outer.start, alg.end);
}

const CURVE = algorithmOf(Buffer.from(README_REQUESTER_X509, 'base64'));

/** A private key object from a 32-byte big-endian scalar (PKCS#8 wrapping SEC 1, curve from the README key). */
export function privateKeyFromScalar(scalar: Buffer): KeyObject {
  const sec1 = tlv(0x30, Buffer.concat([Buffer.from([0x02, 0x01, 0x01]), tlv(0x04, scalar)]));
  const pkcs8 = tlv(0x30, Buffer.concat([Buffer.from([0x02, 0x01, 0x00]), CURVE, tlv(0x04, sec1)]));
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
}

/** fidelius-cli prints private keys as Java BigInteger bytes (a leading 0 byte, or fewer than 32). */
export function scalarFromJavaBase64(privateKey: string): Buffer {
  const b = Buffer.from(privateKey, 'base64');
  const trimmed = b.length > 32 ? b.subarray(b.length - 32) : b;
  return Buffer.concat([Buffer.alloc(32 - trimmed.length), trimmed]);
}

export interface HiuKeys {
  privateKey: KeyObject;
  /** base64 X.509 SubjectPublicKeyInfo, what the HIU sends as dhPublicKey.keyValue. */
  x509PublicKey: string;
  nonce: string;
}

export function hiuKeyMaterial(): HiuKeys {
  const scalar = randomBytes(32);
  // Below 2^252, under the group order (2^252 + ...), and not zero.
  scalar[0] = (scalar[0]! & 0x0f) | 0x01;
  const privateKey = privateKeyFromScalar(scalar);
  const x509PublicKey = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).toString('base64');
  return { privateKey, x509PublicKey, nonce: randomBytes(32).toString('base64') };
}

/** Decrypts one entry's content sent to us: the sender's X.509 key and nonce from the push's keyMaterial. */
export function hiuDecrypt(input: { content: string; privateKey: KeyObject; nonce: string; senderX509: string; senderNonce: string }): string {
  const senderKey = createPublicKey({ key: Buffer.from(input.senderX509, 'base64'), format: 'der', type: 'spki' });
  const secret = diffieHellman({ privateKey: input.privateKey, publicKey: senderKey });
  const a = Buffer.from(input.senderNonce, 'base64');
  const b = Buffer.from(input.nonce, 'base64');
  const xor = Buffer.from(a.map((x, i) => x ^ b[i]!));
  const key = Buffer.from(hkdfSync('sha256', secret, xor.subarray(0, 20), Buffer.alloc(0), 32));
  const data = Buffer.from(input.content, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, xor.subarray(20, 32));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
}
