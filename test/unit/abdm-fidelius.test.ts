import { describe, expect, it } from 'vitest';
import { decrypt, encrypt, FideliusError, generateKeyMaterial, publicKeyOf, sharedSecret, x509Of } from '../../server/abdm/fidelius';

/**
 * The published example of the reference implementation, fidelius-cli's README (github.com/mgrmtech/
 * fidelius-cli, README.md at 4d9b4a5, "Key Material Generation" / "Encryption" / "Decryption"): two key
 * materials printed by `gkm`, and an `encryptedData` the CLI printed.
 */
const REQUESTER = {
  privateKey: 'DMxHPri8d7IT23KgLk281zZenMfVHSdeamq0RhwlIBk=',
  publicKey: 'BAheD5rUqTy4V5xR4/6HWmYpopu5CO+KO8BECS0udNqUTSNo91TIqIIy1A4Vh+F94c+n9vAcwXU2bGcfsI5f69Y=',
  x509PublicKey:
    'MIIBMTCB6gYHKoZIzj0CATCB3gIBATArBgcqhkjOPQEBAiB/////////////////////////////////////////7TBEBCAqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqYSRShRAQge0Je0Je0Je0Je0Je0Je0Je0Je0Je0Je0JgtenHcQyGQEQQQqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq0kWiCuGaG4oIa04B7dLHdI0UySPU1+bXxhsinpxaJ+ztPZAiAQAAAAAAAAAAAAAAAAAAAAFN753qL3nNZYEmMaXPXT7QIBCANCAAQIXg+a1Kk8uFecUeP+h1pmKaKbuQjvijvARAktLnTalE0jaPdUyKiCMtQOFYfhfeHPp/bwHMF1NmxnH7COX+vW',
  nonce: '6uj1RdDUbcpI3lVMZvijkMC8Te20O4Bcyz0SyivX8Eg=',
};
const SENDER = {
  privateKey: 'AYhVZpbVeX4KS5Qm/W0+9Ye2q3rnVVGmqRICmseWni4=',
  publicKey: 'BABVt+mpRLMXiQpIfEq6bj8hlXsdtXIxLsspmMgLNI1SR5mHgDVbjHO2A+U4QlMddGzqyEidzm1AkhtSxSO2Ahg=',
  x509PublicKey:
    'MIIBMTCB6gYHKoZIzj0CATCB3gIBATArBgcqhkjOPQEBAiB/////////////////////////////////////////7TBEBCAqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqYSRShRAQge0Je0Je0Je0Je0Je0Je0Je0Je0Je0Je0JgtenHcQyGQEQQQqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq0kWiCuGaG4oIa04B7dLHdI0UySPU1+bXxhsinpxaJ+ztPZAiAQAAAAAAAAAAAAAAAAAAAAFN753qL3nNZYEmMaXPXT7QIBCANCAAQAVbfpqUSzF4kKSHxKum4/IZV7HbVyMS7LKZjICzSNUkeZh4A1W4xztgPlOEJTHXRs6shInc5tQJIbUsUjtgIY',
  nonce: 'lmXgblZwotx+DfBgKJF0lZXtAXgBEYr5khh79Zytr2Y=',
};
const README_CIPHERTEXT = 'pzMvVZNNVtJzqPkkxcCbBUWgDEBy/mBXIeT2dJWI16ZAQnnXUb9lI+S4k8XK6mgZSKKSRIHkcNvJpllnBg548wUgavBa0vCRRwdL6kY6Yw==';
/**
 * The README's plaintext (at commit 4d9b4a5, lines 114 and 136; older revisions and its --filepath
 * example say "the Potter", which is not what the ciphertext holds). The GCM tag checks, which
 * proves the key derivation byte for byte.
 */
const README_PLAINTEXT = "Wormtail should never have been Potter cottage's secret keeper.";

describe('Fidelius (ABDM health-information encryption)', () => {
  it('derives the reference public keys, in both the raw and X.509 forms, from the reference private keys', () => {
    expect(publicKeyOf(REQUESTER.privateKey)).toBe(REQUESTER.publicKey);
    expect(publicKeyOf(SENDER.privateKey)).toBe(SENDER.publicKey);
    expect(x509Of(REQUESTER.publicKey)).toBe(REQUESTER.x509PublicKey);
    expect(x509Of(SENDER.publicKey)).toBe(SENDER.x509PublicKey);
  });

  it('agrees on one shared secret from either side, whichever public-key form is given', () => {
    const a = sharedSecret(SENDER.privateKey, REQUESTER.publicKey);
    expect(a).toHaveLength(32);
    expect(sharedSecret(REQUESTER.privateKey, SENDER.publicKey)).toEqual(a);
    expect(sharedSecret(REQUESTER.privateKey, SENDER.x509PublicKey)).toEqual(a);
  });

  it("decrypts the reference implementation's published ciphertext", () => {
    const decrypted = decrypt({
      encryptedData: README_CIPHERTEXT,
      requesterNonce: REQUESTER.nonce,
      senderNonce: SENDER.nonce,
      requesterPrivateKey: REQUESTER.privateKey,
      senderPublicKey: SENDER.publicKey,
    });
    expect(decrypted).toBe(README_PLAINTEXT);
  });

  it('encrypts exactly as the reference does (same keys and nonces give the same bytes)', () => {
    const encrypted = encrypt({
      plaintext: README_PLAINTEXT,
      senderNonce: SENDER.nonce,
      requesterNonce: REQUESTER.nonce,
      senderPrivateKey: SENDER.privateKey,
      requesterPublicKey: REQUESTER.x509PublicKey,
    });
    expect(encrypted).toBe(README_CIPHERTEXT);
  });

  it('round-trips a FHIR bundle with fresh key material (Hindi text included)', () => {
    const hip = generateKeyMaterial();
    const hiu = generateKeyMaterial();
    expect(hip.publicKey).toHaveLength(88);
    expect(hip.x509PublicKey).toHaveLength(412);
    expect(publicKeyOf(hip.privateKey)).toBe(hip.publicKey);
    const bundle = JSON.stringify({ resourceType: 'Bundle', type: 'document', entry: [{ resource: { resourceType: 'Patient', name: [{ text: 'सीता देवी' }] } }] });
    const encryptedData = encrypt({ plaintext: bundle, senderNonce: hip.nonce, requesterNonce: hiu.nonce, senderPrivateKey: hip.privateKey, requesterPublicKey: hiu.x509PublicKey });
    expect(decrypt({ encryptedData, requesterNonce: hiu.nonce, senderNonce: hip.nonce, requesterPrivateKey: hiu.privateKey, senderPublicKey: hip.publicKey })).toBe(bundle);
  });

  it('refuses a ciphertext with one byte changed', () => {
    const bytes = Buffer.from(README_CIPHERTEXT, 'base64');
    bytes[5] = bytes[5]! ^ 0x01;
    expect(() =>
      decrypt({ encryptedData: bytes.toString('base64'), requesterNonce: REQUESTER.nonce, senderNonce: SENDER.nonce, requesterPrivateKey: REQUESTER.privateKey, senderPublicKey: SENDER.publicKey }),
    ).toThrow(FideliusError);
  });

  it('refuses the wrong private key and the wrong nonce', () => {
    const stranger = generateKeyMaterial();
    expect(() =>
      decrypt({ encryptedData: README_CIPHERTEXT, requesterNonce: REQUESTER.nonce, senderNonce: SENDER.nonce, requesterPrivateKey: stranger.privateKey, senderPublicKey: SENDER.publicKey }),
    ).toThrow(/does not decrypt/);
    expect(() =>
      decrypt({ encryptedData: README_CIPHERTEXT, requesterNonce: stranger.nonce, senderNonce: SENDER.nonce, requesterPrivateKey: REQUESTER.privateKey, senderPublicKey: SENDER.publicKey }),
    ).toThrow(/does not decrypt/);
  });

  it('refuses a public key that is not on the curve, and a key in another form', () => {
    const point = Buffer.from(REQUESTER.publicKey, 'base64');
    point[64] = point[64]! ^ 0x01;
    expect(() => sharedSecret(SENDER.privateKey, point.toString('base64'))).toThrow(/not a point on Curve25519/);
    // An RFC 7748 X25519 key (32 bytes) is not what ABDM exchanges.
    expect(() => sharedSecret(SENDER.privateKey, Buffer.alloc(32, 9).toString('base64'))).toThrow(/neither an uncompressed/);
  });
});
