import { createPublicKey, verify } from 'node:crypto';
import type Database from '../../db/sqlite';
import { rawEd25519Key, verifyEd25519 } from '../../server/ed25519';
import { changeSigner, generateSigningKey } from '../../electron/services/signing-keys';
import { changeSigningBytes, type SignedFields } from '../../shared/change-signing';
import { round, type BenchContext } from './run';

/**
 * What signing costs per change, on real outbox rows (a workstation's backlog): the desk's side
 * (canonical bytes + Ed25519 sign, as db/write.ts does) and the server's (canonical bytes + verify
 * with a cached public key through libsodium, as server/signatures.ts does), in microseconds; and
 * the same verification through Node's OpenSSL, which the server used before, in the same run.
 */
export function signingCost(sqlite: Database.Database, report: BenchContext['report'], n = 5_000): void {
  const rows = sqlite
    .prepare('SELECT id, table_name, row_id, op, columns, hlc, user_id FROM change_log ORDER BY seq DESC LIMIT ?')
    .all(n) as { id: string; table_name: string; row_id: string; op: SignedFields['op']; columns: string; hlc: string; user_id: string | null }[];
  const changes: SignedFields[] = rows.map((r) => ({ id: r.id, table: r.table_name, rowId: r.row_id, op: r.op, columns: JSON.parse(r.columns) as Record<string, unknown>, hlc: r.hlc, userId: r.user_id ?? 'u' }));
  const key = generateSigningKey('bench password');
  const signer = changeSigner('u', key);
  const t0 = process.hrtime.bigint();
  const sigs = changes.map((c) => signer.sign(changeSigningBytes(c)).sig);
  const signUs = Number(process.hrtime.bigint() - t0) / 1e3 / changes.length;
  const raw = rawEd25519Key(key.publicKey)!;
  const publicKey = createPublicKey({ key: Buffer.from(key.publicKey, 'base64'), format: 'der', type: 'spki' });
  const timed = (check: (c: SignedFields, sig: Buffer) => boolean) => {
    const t1 = process.hrtime.bigint();
    let bad = 0;
    changes.forEach((c, i) => {
      if (!check(c, Buffer.from(sigs[i]!, 'base64'))) bad++;
    });
    if (bad > 0) throw new Error(`${bad} signatures did not verify`);
    return Number(process.hrtime.bigint() - t1) / 1e3 / changes.length;
  };
  const verifyUs = timed((c, sig) => verifyEd25519(raw, changeSigningBytes(c), sig));
  const opensslUs = timed((c, sig) => verify(null, changeSigningBytes(c), publicKey, sig));
  report({ name: 'sync.sign.us', value: round(signUs), unit: 'µs', n: changes.length, measured: 'canonical bytes + Ed25519 sign, per outbox change' });
  report({ name: 'sync.verify.us', value: round(verifyUs), unit: 'µs', n: changes.length, openssl_us: round(opensslUs), measured: "canonical bytes + Ed25519 verify (cached public key) with libsodium, as the server does, per change; openssl_us: the same with Node's OpenSSL" });
}
