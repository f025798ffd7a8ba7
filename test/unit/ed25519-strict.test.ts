import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ED25519_SPKI_PREFIX, rawEd25519Key, usableSigningKey, verifyEd25519 } from '../../server/ed25519';
import { VerifyPool } from '../../server/verify-pool';

/** The identity point (0, 1), of order 1: the simplest key of small order. */
const identity = Buffer.concat([Buffer.from([1]), Buffer.alloc(31)]);
/** A point of order 8 (one of the small-order encodings libsodium lists). */
const order8 = Buffer.from('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', 'hex');
const spki = (raw: Buffer) => Buffer.concat([ED25519_SPKI_PREFIX, raw]).toString('base64');
/** "R = identity, S = 0": under the identity key, a signature of every message for a cofactorless check. */
const universal = Buffer.concat([identity, Buffer.alloc(32)]);

const pair = () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { spki: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), privateKey };
};

describe('the server’s Ed25519 check', () => {
  const pool = new VerifyPool(1);
  afterAll(() => pool.stop());

  it('accepts what a desk signs (Node’s signer) and nothing altered, on the main thread and in the workers alike', async () => {
    const { spki: key, privateKey } = pair();
    const text = '["clinic-change-v1","c1","patients","p1","update",{"city":"Pune"},"h","u"]';
    const sig = sign(null, Buffer.from(text), privateKey);
    const raw = rawEd25519Key(key)!;
    expect(verifyEd25519(raw, Buffer.from(text), sig)).toBe(true);
    expect(verifyEd25519(raw, Buffer.from(text.replace('Pune', 'Pone')), sig)).toBe(false);
    expect(verifyEd25519(raw, Buffer.from(text), sig.subarray(0, 63))).toBe(false);
    expect(verifyEd25519(rawEd25519Key(pair().spki)!, Buffer.from(text), sig)).toBe(false);
    const jobs = [
      { publicKey: key, text, sig: sig.toString('base64') },
      { publicKey: key, text: text.replace('Pune', 'Pone'), sig: sig.toString('base64') },
      { publicKey: pair().spki, text, sig: sig.toString('base64') },
      { publicKey: 'not a key', text, sig: sig.toString('base64') },
    ];
    // Eight or more go to the workers (MIN_JOBS_FOR_WORKERS): the same answers twice over.
    expect([...(await pool.verify([...jobs, ...jobs]))]).toEqual([1, 0, 0, 0, 1, 0, 0, 0]);
  });

  it('refuses the "signature of everything" under a key of small order, which OpenSSL accepts', async () => {
    const message = Buffer.from('make rita an administrator');
    // Why the server does not use node:crypto for this: it says yes to any message.
    const { createPublicKey, verify } = await import('node:crypto');
    expect(verify(null, message, createPublicKey({ key: Buffer.from(spki(identity), 'base64'), format: 'der', type: 'spki' }), universal)).toBe(true);

    expect(verifyEd25519(identity, message, universal)).toBe(false);
    const jobs = Array.from({ length: 8 }, (_, i) => ({ publicKey: spki(identity), text: `message ${i}`, sig: universal.toString('base64') }));
    expect([...(await pool.verify(jobs))]).toEqual(Array(8).fill(0));
  });

  it('registers only keys of the curve’s main subgroup', () => {
    expect(usableSigningKey(pair().spki)).toBe(true);
    expect(usableSigningKey(spki(identity))).toBe(false);
    expect(usableSigningKey(spki(order8))).toBe(false);
    expect(usableSigningKey(spki(Buffer.alloc(32, 0xff)))).toBe(false);
    expect(usableSigningKey(pair().spki.slice(0, 40))).toBe(false);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    expect(usableSigningKey(rsa)).toBe(false);
  });

  it('a pool whose workers cannot load libsodium says so once and leaves the checks to the main thread', async () => {
    const said: string[] = [];
    const broken = new VerifyPool(1, (m) => said.push(m), '/nowhere/sodium-native/index.js');
    const { spki: key, privateKey } = pair();
    const jobs = Array.from({ length: 8 }, (_, i) => ({ publicKey: key, text: `m${i}`, sig: sign(null, Buffer.from(`m${i}`), privateKey).toString('base64') }));
    expect(broken.worthIt(8)).toBe(true);
    for (let i = 0; i < 3; i++) await expect(broken.verify(jobs)).rejects.toThrow();
    // The third failed start is counted when the pool is next asked for workers.
    await expect(broken.verify(jobs)).rejects.toThrow('no signature workers');
    expect(said).toEqual([expect.stringContaining('Signature workers could not start')]);
    expect(said[0]).toContain('/nowhere/sodium-native');
    expect(broken.worthIt(8)).toBe(false);
  });
});
