import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { changeSigner } from '../../electron/services/signing-keys';
import { attachmentStatus, putAttachmentChunk } from '../../server/attachments';
import { ATTACHMENT_CHUNK_BYTES } from '../../shared/attachments';
import { formatHlc } from '../../shared/hlc';
import type { Change } from '../../shared/sync-protocol';
import { ADMIN } from '../helpers/app';
import { fileInput, makePdf } from '../helpers/attachment-files';
import { startSyncServer } from '../helpers/sync';
import { connectAs, credentialsOf, keyOf, register, setupClinic, signed, type Desk } from './harness';

/**
 * One desk must not fill the server's disk with chunks of files that never become whole (a forged
 * record lists hashes of chunks the desk has, under a sha256 those chunks never make up): each
 * device may have only so many bytes on the server in files not yet whole; other devices are not
 * held back by it, and a file that becomes whole no longer counts.
 */

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const chunksOf = (b: Buffer) => Array.from({ length: Math.ceil(b.length / ATTACHMENT_CHUNK_BYTES) }, (_, i) => b.subarray(i * ATTACHMENT_CHUNK_BYTES, (i + 1) * ATTACHMENT_CHUNK_BYTES));

describe('attachments: the per-device limit on unfinished files', () => {
  it('refuses a device over its limit, not the others; a whole file stops counting', async () => {
    const server = await startSyncServer();
    const { clinicId, devices } = await setupClinic(server, { devices: 1 });
    const [A] = devices as [Desk];
    const patientId = register(A, 'Limits', 1);
    // A record made by the desk, as the template for records pushed straight to the server (their
    // bytes are on no desk: the test sends them itself).
    A.c.ok('attachments.add', { patientId, kind: 'imaging', title: 'Template', documentDate: '2026-11-20', ...fileInput(A.c, A.admin, makePdf('TEMPLATE', 100)) }, A.admin);
    await A.c.app.sync.syncNow();
    const sqlite = A.c.app.database.sqlite;
    const template = JSON.parse(sqlite.prepare("SELECT columns FROM change_log WHERE table_name = 'attachments' AND op = 'insert'").pluck().get() as string) as Record<string, unknown>;
    const adminId = sqlite.prepare("SELECT id FROM users WHERE username = 'admin'").pluck().get() as string;
    const client = await connectAs(server.url, credentialsOf(A.c));
    const pushRecord = async (sha256: string, chunks: Buffer[]) => {
      const hlc = formatHlc({ wallMs: Date.now(), counter: 0, deviceId: A.c.app.deviceId });
      const rowId = uuidv7();
      const size = chunks.reduce((n, c) => n + c.length, 0);
      const columns = { ...template, id: rowId, sha256, size, chunk_count: chunks.length, chunk_hashes: chunks.map(sha), hlc };
      const change: Change = { id: uuidv7(), seq: 1, table: 'attachments', rowId, op: 'insert', columns, hlc, userId: adminId };
      const ack = await client.push([signed(change, changeSigner(adminId, keyOf(A.c, adminId, ADMIN.password)))]);
      expect(ack.ok && ack.results[0]?.status).toBe('applied');
    };

    // A forged record: four real chunks under a sha256 they never make up (the desk sends all but
    // the last: a full set would be checked and thrown away). Two genuine files.
    const forged = chunksOf(randomBytes(4 * ATTACHMENT_CHUNK_BYTES));
    const forgedSha = sha(randomBytes(32));
    await pushRecord(forgedSha, forged);
    const genuine = [makePdf('FIRST', 600_000), makePdf('SECOND', 600_000), makePdf('THIRD', 600_000)].map((b) => ({ sha256: sha(b), chunks: chunksOf(b) }));
    for (const g of genuine) await pushRecord(g.sha256, g.chunks);
    client.close();

    const limit = 3 * ATTACHMENT_CHUNK_BYTES;
    const X = { clinicId, deviceId: 'desk-x' };
    const Y = { clinicId, deviceId: 'desk-y' };
    const put = (who: typeof X, sha256: string, chunkNo: number, bytes: Buffer) => putAttachmentChunk(server.database.db, who, { sha256, chunkNo, bytes: new Uint8Array(bytes) }, limit);

    // Desk X fills its limit with chunks of the forged file, which never becomes whole.
    for (let n = 0; n < 3; n++) expect(await put(X, forgedSha, n, forged[n]!)).toEqual({ ok: true, complete: false });
    const [first, second, third] = genuine as [(typeof genuine)[0], (typeof genuine)[0], (typeof genuine)[0]];
    const refused = await put(X, first.sha256, 0, first.chunks[0]!);
    expect(refused).toMatchObject({ ok: false, code: 'full' });
    if (!refused.ok) expect(refused.message).toMatch(/not complete yet/);
    expect(await attachmentStatus(server.database.db, clinicId, { sha256: first.sha256 })).toMatchObject({ ok: true, have: [] });

    // Desk Y is not held back by X, and a chunk the server already holds costs X nothing.
    expect(await put(Y, first.sha256, 0, first.chunks[0]!)).toEqual({ ok: true, complete: false });
    expect(await put(X, first.sha256, 0, first.chunks[0]!)).toEqual({ ok: true, complete: false });
    expect(await put(X, first.sha256, 1, first.chunks[1]!)).toMatchObject({ ok: false, code: 'full' });
    expect(await put(Y, first.sha256, 1, first.chunks[1]!)).toEqual({ ok: true, complete: false });
    expect(await put(Y, first.sha256, 2, first.chunks[2]!)).toEqual({ ok: true, complete: true });

    // The first file is whole: it no longer counts against Y, who sends all of the second one.
    for (let n = 0; n < 3; n++) expect(await put(Y, second.sha256, n, second.chunks[n]!)).toEqual({ ok: true, complete: n === 2 });
    // X is still at its limit (its forged chunks stay until an administrator looks at that desk).
    expect(await put(X, forgedSha, 0, forged[0]!)).toEqual({ ok: true, complete: false });
    expect(await put(X, second.sha256, 0, second.chunks[0]!)).toEqual({ ok: true, complete: true });
    expect(await put(X, third.sha256, 0, third.chunks[0]!)).toMatchObject({ ok: false, code: 'full' });

    // A week on, the forged file's chunks no longer hold X back: they are thrown away as X sends.
    await server.database.db.execute(sql`UPDATE attachment_chunks SET received_at = now() - interval '8 days' WHERE device_id = 'desk-x' AND NOT whole`);
    expect(await put(X, third.sha256, 0, third.chunks[0]!)).toEqual({ ok: true, complete: false });
    expect(await attachmentStatus(server.database.db, clinicId, { sha256: forgedSha })).toMatchObject({ ok: true, have: [] });
  }, 120_000);
});
