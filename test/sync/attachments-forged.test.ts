import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { changeSigner } from '../../electron/services/signing-keys';
import { attachmentStatus } from '../../server/attachments';
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

describe('attachments: a forged record for the same sha256', () => {
  it('a forged record pushed first (other size) does not block the real upload nor the download', async () => {
    const server = await startSyncServer();
    const { clinicId, devices } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    const patientId = register(A, 'Forged', 3);
    await A.c.app.sync.syncNow();
    await B.c.app.sync.syncNow();

    const pdf = makePdf('GENUINE', 600_000);
    const sha = createHash('sha256').update(pdf).digest('hex');
    // The forged record first: desk B, the same sha256, 100 bytes in one chunk of other bytes (its
    // columns are those of a record B makes for those 100 bytes, with the genuine file's sha256).
    const fake = Buffer.alloc(100, 0x42);
    B.c.ok('attachments.add', { patientId, kind: 'imaging', title: 'Forged', documentDate: '2026-11-20', ...fileInput(B.c, B.admin, makePdf('FAKE', 100)) }, B.admin);
    const insert = B.c.app.database.sqlite.prepare("SELECT columns FROM change_log WHERE table_name = 'attachments' AND op = 'insert'").pluck().get() as string;
    const adminId = B.c.app.database.sqlite.prepare("SELECT id FROM users WHERE username = 'admin'").pluck().get() as string;
    const hlc = formatHlc({ wallMs: Date.now(), counter: 0, deviceId: B.c.app.deviceId });
    const rowId = uuidv7();
    const columns = {
      ...(JSON.parse(insert) as Record<string, unknown>),
      id: rowId,
      sha256: sha,
      size: fake.length,
      chunk_count: 1,
      chunk_hashes: [createHash('sha256').update(fake).digest('hex')],
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
  }, 120_000);
});
