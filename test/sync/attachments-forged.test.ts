import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { changeSigner } from '../../electron/services/signing-keys';
import { attachmentStatus } from '../../server/attachments';
import { ATTACHMENT_CHUNK_BYTES } from '../../shared/attachments';
import { formatHlc } from '../../shared/hlc';
import type { Change } from '../../shared/sync-protocol';
import { ADMIN } from '../helpers/app';
import { fileInput, makePdf } from '../helpers/attachment-files';
import { startSyncServer, waitFor } from '../helpers/sync';
import { connectAs, converge, credentialsOf, keyOf, register, setupClinic, signed, type Desk } from './harness';

/**
 * A forged attachment record (another desk, the same sha256, another size and chunk hashes) that
 * reaches the server first must not block the genuine file: the server takes a chunk any record
 * lists and counts the file whole only when its bytes make up the sha256; the other desk still
 * downloads the genuine bytes.
 */

/** What the forged record says of the file: its size and chunk hashes (the sha256 is the genuine one). */
type Forgery = (genuine: Buffer) => { size: number; chunkHashes: string[] };

const hashOf = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function forgedFirst(forge: Forgery): Promise<void> {
    const server = await startSyncServer();
    const { clinicId, devices } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    const patientId = register(A, 'Forged', 3);
    await A.c.app.sync.syncNow();
    await B.c.app.sync.syncNow();

    const pdf = makePdf('GENUINE', 600_000);
    const sha = createHash('sha256').update(pdf).digest('hex');
    // The forged record first: desk B, the same sha256 (its other columns are those of a record B
    // makes for a small file of its own).
    const forged = forge(pdf);
    B.c.ok('attachments.add', { patientId, kind: 'imaging', title: 'Forged', documentDate: '2026-11-20', ...fileInput(B.c, B.admin, makePdf('FAKE', 100)) }, B.admin);
    const insert = B.c.app.database.sqlite.prepare("SELECT columns FROM change_log WHERE table_name = 'attachments' AND op = 'insert'").pluck().get() as string;
    const adminId = B.c.app.database.sqlite.prepare("SELECT id FROM users WHERE username = 'admin'").pluck().get() as string;
    const hlc = formatHlc({ wallMs: Date.now(), counter: 0, deviceId: B.c.app.deviceId });
    const rowId = uuidv7();
    const columns = {
      ...(JSON.parse(insert) as Record<string, unknown>),
      id: rowId,
      sha256: sha,
      size: forged.size,
      chunk_count: forged.chunkHashes.length,
      chunk_hashes: forged.chunkHashes,
      hlc,
    };
    const change: Change = { id: uuidv7(), seq: 1, table: 'attachments', rowId, op: 'insert', columns, hlc, userId: adminId };
    const client = await connectAs(server.url, credentialsOf(B.c));
    const ack = await client.push([signed(change, changeSigner(adminId, keyOf(B.c, adminId, ADMIN.password)))]);
    client.close();
    expect(ack.ok).toBe(true);
    if (ack.ok) expect(ack.results[0]).toMatchObject({ status: 'applied' });

    const real = A.c.app.attachments;
    const added = A.c.ok('attachments.add', { patientId, kind: 'imaging', title: 'Scan', documentDate: '2026-11-20', ...fileInput(A.c, A.admin, pdf) }, A.admin);

    // Now the genuine record and its bytes.
    await A.c.app.sync.syncNow();
    await real.settle();
    await waitFor(
      async () => {
        const status = await attachmentStatus(server.database.db, clinicId, { sha256: sha });
        return status.ok && status.complete;
      },
      'the genuine file whole on the server',
      30_000,
    );
    expect(await attachmentStatus(server.database.db, clinicId, { sha256: sha })).toMatchObject({ ok: true, complete: true, chunkCount: 3 });

    // Desk B holds both records; it fetches the genuine bytes.
    await B.c.app.sync.syncNow();
    await waitFor(() => B.c.call('attachments.read', { id: added.id }, B.admin).ok, 'desk B to fetch the genuine file', 30_000);
    const read = B.c.ok('attachments.read', { id: added.id }, B.admin);
    expect(Buffer.from(read.base64, 'base64').equals(pdf)).toBe(true);
    await converge(server, clinicId, [A.c, B.c]);
}

describe('attachments: a forged record for the same sha256', () => {
  it('a forged record pushed first (other size) does not block the real upload nor the download', async () => {
    await forgedFirst(() => ({ size: 100, chunkHashes: [hashOf(Buffer.alloc(100, 0x42))] }));
  }, 120_000);

  it("a forged record of one chunk listing the genuine first chunk's hash does not get the real upload thrown away", async () => {
    // Its one chunk is the genuine first chunk, so the chunks held fill it as soon as that arrives,
    // and they do not make up the sha256: the genuine chunk must stay, not be thrown away each time.
    await forgedFirst((pdf) => ({ size: ATTACHMENT_CHUNK_BYTES, chunkHashes: [hashOf(pdf.subarray(0, ATTACHMENT_CHUNK_BYTES))] }));
  }, 120_000);
});
