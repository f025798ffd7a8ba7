import { verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, changeSigningBytes } from '../../shared/change-signing';
import { changeSigner, generateSigningKey, unwrapSigningKey, wrapSigningKey } from '../../electron/services/signing-keys';
import { signKeyId } from '../../db/sign-key-id';

const made = generateSigningKey('correct horse battery');

describe('signing keys wrapped under the password', () => {
  it('unwraps with the right password to the same key, and a re-wrap under a new password keeps it', () => {
    const opened = unwrapSigningKey(made.wrapped, 'correct horse battery');
    expect(opened?.publicKey).toBe(made.publicKey);
    expect(opened?.keyId).toBe(signKeyId(made.publicKey));
    expect(made.wrapped).toMatch(/^v1\$32768\$8\$1\$/);
    const rewrapped = wrapSigningKey(opened!.privateKey, 'a new password');
    expect(unwrapSigningKey(rewrapped, 'a new password')?.publicKey).toBe(made.publicKey);
    expect(unwrapSigningKey(rewrapped, 'correct horse battery')).toBeNull();
  });

  it('fails cleanly (null, no throw) for a wrong password, a tampered or truncated blob, or another version', () => {
    expect(unwrapSigningKey(made.wrapped, 'wrong password')).toBeNull();
    const parts = made.wrapped.split('$');
    const flip = (b64: string) => {
      const b = Buffer.from(b64, 'base64');
      b[b.length - 1]! ^= 1;
      return b.toString('base64');
    };
    for (const i of [4, 5, 6, 7]) {
      const tampered = parts.map((p, j) => (j === i ? flip(p) : p)).join('$');
      expect(unwrapSigningKey(tampered, 'correct horse battery')).toBeNull();
    }
    expect(unwrapSigningKey(parts.slice(0, 7).join('$'), 'correct horse battery')).toBeNull();
    expect(unwrapSigningKey(['v2', ...parts.slice(1)].join('$'), 'correct horse battery')).toBeNull();
    // A blob asking for a far costlier scrypt is refused before any work.
    expect(unwrapSigningKey(['v1', 2 ** 22, ...parts.slice(2)].join('$'), 'correct horse battery')).toBeNull();
  });
});

describe('the bytes a change is signed over', () => {
  const change = { id: 'c1', table: 'patients', rowId: 'p1', op: 'update' as const, columns: { b: 1, a: { y: [1, 'x'], x: null } }, hlc: '000000000000001-0000-d', userId: 'u1' };

  it('do not depend on key order or a JSON round trip', () => {
    const reordered = { ...change, columns: JSON.parse(JSON.stringify({ a: { x: null, y: [1, 'x'] }, b: 1 })) as Record<string, unknown> };
    expect(Buffer.from(changeSigningBytes(reordered)).toString()).toBe(Buffer.from(changeSigningBytes(change)).toString());
    expect(canonicalJson({ b: undefined, a: [undefined, 2] })).toBe('{"a":[null,2]}');
  });

  it('verify with the signer’s key and stop verifying when any field changes', () => {
    const signer = changeSigner('u1', made);
    const { sig, keyId } = signer.sign(changeSigningBytes(change));
    expect(keyId).toBe(made.keyId);
    const ok = (c: typeof change) => verify(null, changeSigningBytes(c), made.privateKey, Buffer.from(sig, 'base64'));
    expect(ok(change)).toBe(true);
    expect(ok({ ...change, columns: { ...change.columns, b: 2 } })).toBe(false);
    expect(ok({ ...change, userId: 'u2' })).toBe(false);
    expect(ok({ ...change, hlc: '000000000000002-0000-d' })).toBe(false);
    expect(ok({ ...change, rowId: 'p2' })).toBe(false);
  });
});
