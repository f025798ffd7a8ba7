import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { io as ioClient } from 'socket.io-client';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import type { Socket as ServerSocket } from 'socket.io';
import { changeSigner } from '../../electron/services/signing-keys';
import { attachmentChunks } from '../../server/db/schema';
import { ATTACHMENT_CHUNK_BYTES, ATTACHMENT_PUT_EVENT, ATTACHMENT_STATUS_EVENT, chunkCountOf } from '../../shared/attachments';
import { formatHlc } from '../../shared/hlc';
import { PROTOCOL_VERSION, type Change } from '../../shared/sync-protocol';
import { fileInput, makePdf } from '../helpers/attachment-files';
import { startSyncServer, waitFor, type TestSyncServer } from '../helpers/sync';
import { connectAs, converge, credentialsOf, keyOf, register, setupClinic, signed, STAFF, type Desk } from './harness';

/**
 * Attachments between desks through the real server on PGlite: the record syncs as a row, the bytes
 * in chunks on their own events; a transfer cut off half-way resumes from the chunks the server
 * holds; the other desk reads identical bytes once fetched (and "not yet downloaded" before);
 * a forged chunk, a chunk for an unknown file and a record made by a role that may not attach are
 * refused; the database files hold no plain text of the PDF.
 */

const MARKER = 'PLAINTEXT-MARKER-HBA1C-7.9';

async function serverChunkCount(server: TestSyncServer, clinicId: string, sha256: string): Promise<number> {
  const rows = await server.database.db
    .select({ n: attachmentChunks.chunkNo })
    .from(attachmentChunks)
    .where(and(eq(attachmentChunks.clinicId, clinicId), eq(attachmentChunks.sha256, sha256)));
  return rows.length;
}

/** Runs `use` on every socket of the server, those connected now and those to come. */
function onEverySocket(server: TestSyncServer, use: (socket: ServerSocket) => void) {
  for (const s of server.server.io.sockets.sockets.values()) use(s);
  server.server.io.on('connection', use);
}

function fileHolds(file: string, text: string): boolean {
  return fs.existsSync(file) && fs.readFileSync(file).includes(Buffer.from(text, 'latin1'));
}

describe('attachments sync', () => {
  it('a 3 MB PDF added on desk A reaches desk B after a transfer cut off half-way resumes; B reads identical bytes; no plain text on disk', async () => {
    const server = await startSyncServer();
    const { clinicId, devices } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    const patientId = register(A, 'Attach', 1);
    await A.c.app.sync.syncNow();

    // The server cuts desk A off at its 6th chunk (as a dropped Wi-Fi would), and holds desk B's
    // chunk requests until released.
    let puts = 0;
    let releaseGets: (() => void) | null = null;
    const getsHeld = new Promise<void>((r) => (releaseGets = r));
    onEverySocket(server, (socket) =>
      socket.use(([event], next) => {
        if (event === ATTACHMENT_PUT_EVENT && ++puts === 6) return void socket.disconnect(true);
        if (event === 'attachment.get') return void getsHeld.then(() => next());
        next();
      }),
    );

    const pdf = makePdf(MARKER, 3_000_000);
    const sha = createHash('sha256').update(pdf).digest('hex');
    const chunks = chunkCountOf(pdf.length);
    expect(chunks).toBe(Math.ceil(pdf.length / ATTACHMENT_CHUNK_BYTES));
    const added = A.c.ok('attachments.add', { patientId, kind: 'lab_report', title: 'HbA1c, City Lab', documentDate: '2026-11-20', ...fileInput(A.c, A.admin, pdf) }, A.admin);

    // Cut off after 5 chunks stored; A comes back by itself and sends only the rest.
    await waitFor(() => puts >= 6, 'desk A to be cut off mid-transfer', 30_000);
    await waitFor(async () => (await serverChunkCount(server, clinicId, sha)) === chunks, 'the whole file on the server', 60_000);
    expect(puts).toBe(chunks + 1); // every chunk once, plus the one lost in the cut
    await waitFor(() => A.c.app.attachments.counts.chunksSent === chunks, 'desk A to count its chunks sent');

    // Desk B has the record; its bytes are still on their way.
    await B.c.app.sync.syncNow();
    const listed = B.c.ok('attachments.list', { patientId }, B.admin);
    expect(listed.map((a) => [a.id, a.title, a.downloaded])).toEqual([[added.id, 'HbA1c, City Lab', false]]);
    const early = B.c.call('attachments.read', { id: added.id }, B.admin);
    expect(early.ok).toBe(false);
    if (!early.ok) expect(early.error.message).toMatch(/not yet downloaded/);
    releaseGets!();
    await waitFor(() => B.c.call('attachments.read', { id: added.id }, B.admin).ok, 'desk B to fetch the file', 60_000);
    const read = B.c.ok('attachments.read', { id: added.id }, B.admin);
    expect(Buffer.from(read.base64, 'base64').equals(pdf)).toBe(true);
    expect(B.c.ok('attachments.list', { patientId }, B.admin)[0]!.downloaded).toBe(true);

    // Encrypted at rest: neither desk's database file (nor its log) holds the PDF's text.
    for (const d of [A, B]) {
      d.c.app.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      expect(fileHolds(d.c.app.dbFile, MARKER)).toBe(false);
      expect(fileHolds(`${d.c.app.dbFile}-wal`, MARKER)).toBe(false);
    }
    expect(pdf.includes(Buffer.from(MARKER, 'latin1'))).toBe(true);
    // Let the desks finish their cycles before the test closes their databases.
    await converge(server, clinicId, [A.c, B.c]);
  }, 180_000);

  it('refuses a forged chunk, a chunk for a file no record names, and a record made by a cashier', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, staff } = await setupClinic(server, { devices: 1 });
    const [A] = devices as [Desk];
    const patientId = register(A, 'Forge', 2);
    const pdf = makePdf('FORGED', 600_000);
    const sha = createHash('sha256').update(pdf).digest('hex');
    // The desk's own transfer is held back so the test speaks first.
    const real = A.c.app.attachments;
    const kick = real.kick.bind(real);
    real.kick = () => undefined;
    A.c.ok('attachments.add', { patientId, kind: 'imaging', title: 'Scan', documentDate: '2026-11-20', ...fileInput(A.c, A.admin, pdf) }, A.admin);
    await A.c.app.sync.syncNow();

    const socket = ioClient(server.url, { transports: ['websocket'], reconnection: false });
    await new Promise<void>((r) => socket.once('connect', () => r()));
    const ask = (event: string, payload: unknown) => socket.timeout(20_000).emitWithAck(event, payload) as Promise<{ ok: boolean; code?: string; message?: string; have?: number[] }>;
    const hello = await ask('hello', { ...credentialsOf(A.c), protocol: PROTOCOL_VERSION, schemaVersion: 1, appVersion: '0.2.0', pullCursor: 0, lastAckedSeq: 0 });
    expect(hello.ok).toBe(true);
    expect(await ask(ATTACHMENT_STATUS_EVENT, { sha256: sha })).toMatchObject({ ok: true, have: [] });
    const forged = Buffer.alloc(ATTACHMENT_CHUNK_BYTES, 0x41);
    expect(await ask(ATTACHMENT_PUT_EVENT, { sha256: sha, chunkNo: 0, bytes: forged })).toMatchObject({ ok: false, code: 'refused', message: expect.stringMatching(/does not match the hash/) });
    const unknownSha = createHash('sha256').update('nothing').digest('hex');
    expect(await ask(ATTACHMENT_PUT_EVENT, { sha256: unknownSha, chunkNo: 0, bytes: forged })).toMatchObject({ ok: false, code: 'unknown' });
    // The right bytes at the wrong length are refused too.
    expect(await ask(ATTACHMENT_PUT_EVENT, { sha256: sha, chunkNo: 0, bytes: pdf.subarray(0, 1000) })).toMatchObject({ ok: false, code: 'refused' });
    expect(await ask(ATTACHMENT_STATUS_EVENT, { sha256: sha })).toMatchObject({ ok: true, have: [] });
    socket.disconnect();

    // The genuine desk then sends the file whole.
    real.kick = kick;
    await real.settle();
    await waitFor(async () => (await serverChunkCount(server, clinicId, sha)) === 3, 'the genuine chunks on the server');

    // A cashier's record of an attachment, properly signed by the cashier, is refused by the server's rule book.
    const insert = A.c.app.database.sqlite.prepare("SELECT columns FROM change_log WHERE table_name = 'attachments' AND op = 'insert'").pluck().get() as string;
    const hlc = formatHlc({ wallMs: Date.now(), counter: 0, deviceId: A.c.app.deviceId });
    const rowId = uuidv7();
    const columns = { ...(JSON.parse(insert) as Record<string, unknown>), id: rowId, made_by: staff.kiran, hlc };
    const change: Change = { id: uuidv7(), seq: 1, table: 'attachments', rowId, op: 'insert', columns, hlc, userId: staff.kiran };
    const client = await connectAs(server.url, credentialsOf(A.c));
    const ack = await client.push([signed(change, changeSigner(staff.kiran, keyOf(A.c, staff.kiran, STAFF.kiran.password)))]);
    client.close();
    expect(ack.ok).toBe(true);
    if (ack.ok) expect(ack.results[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/cashier may not change attachments/) });
    await converge(server, clinicId, [A.c]);
  }, 120_000);
});
