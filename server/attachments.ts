import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Socket } from 'socket.io';
import {
  ATTACHMENT_CHUNK_BYTES,
  ATTACHMENT_GET_EVENT,
  ATTACHMENT_PUT_EVENT,
  ATTACHMENT_STATUS_EVENT,
  MAX_ATTACHMENT_BYTES,
  attachmentFactsProblem,
  attachmentGetRequest,
  attachmentPutRequest,
  attachmentStatusRequest,
  type AttachmentGetReply,
  type AttachmentPutReply,
  type AttachmentRefusal,
  type AttachmentStatusReply,
} from '../shared/attachments';
import type { ServerDb } from './db/open';
import { attachmentChunks, rows } from './db/schema';

/**
 * The server's end of the attachment byte transfer (docs/ATTACHMENTS.md; the desk's end is
 * electron/sync/attachment-transfer.ts). The record travels as an ordinary synced row, judged by the
 * rule book at push (who may attach, the size limit, chunk hashes that add up); the bytes come here,
 * one chunk per message, and are stored only for a sha256 some record of the clinic names, only when
 * the chunk matches the hash that record lists for it, and only at its exact length. When the last
 * chunk arrives the whole file is checked against its sha256; a file that does not match is thrown
 * away. A desk asks which chunks the server holds (status) and sends only the others, so a transfer
 * cut off half-way resumes where it stopped.
 */

/**
 * What one record of the clinic says of the file. Several records may name one sha256 and disagree
 * (a forged record from another desk: other size, other chunk hashes); none is believed over another.
 * A chunk is taken when ANY record lists its hash at its length, and a file counts as whole only when
 * the chunks of one record's shape make up bytes whose sha256 is the file's: the content address is
 * the authority, which a forged record cannot meet.
 */
interface FileShape {
  size: number;
  chunkHashes: string[];
}

const refuse = (code: AttachmentRefusal['code'], message: string): AttachmentRefusal => ({ ok: false, code, message });

/** The clinic's attachment records naming this file (exported for the EXPLAIN test). */
export function recordsNaming(db: ServerDb, clinicId: string, sha256: string) {
  return (
    db
      .select({ data: rows.data })
      .from(rows)
      // table_name as a literal, not a parameter: the partial index rows_attachment_sha256_idx is
      // only usable when the planner can see its predicate holds, also in a generic plan.
      .where(and(eq(rows.clinicId, clinicId), sql`${rows.tableName} = 'attachments'`, sql`${rows.data}->>'sha256' = ${sha256}`))
  );
}

/** The distinct shapes the clinic's well-formed records give this file, in no trusted order. */
async function shapesOf(db: ServerDb, clinicId: string, sha256: string): Promise<FileShape[]> {
  const found = await recordsNaming(db, clinicId, sha256);
  const shapes = new Map<string, FileShape>();
  for (const { data } of found) {
    if (attachmentFactsProblem(data) !== null) continue;
    const shape = { size: data.size as number, chunkHashes: data.chunk_hashes as string[] };
    shapes.set(JSON.stringify(shape), shape);
  }
  return [...shapes.values()];
}

const chunkLength = (s: FileShape, n: number) =>
  n < s.chunkHashes.length - 1 ? ATTACHMENT_CHUNK_BYTES : s.size - (s.chunkHashes.length - 1) * ATTACHMENT_CHUNK_BYTES;

/** The server holds every chunk of this shape (perhaps more, sent for another record's shape). */
const covers = (s: FileShape, have: number[]) => s.chunkHashes.every((_, i) => have.includes(i));

/**
 * One chunk's bytes. Through base64 text (encode/decode in SQL): PGlite took about 400 ms to pass a
 * 256 KiB bytea parameter or result and about 10 ms as base64 text (measured while writing this).
 */
async function chunkBytes(db: ServerDb, clinicId: string, sha256: string, chunkNo: number): Promise<Buffer | null> {
  const [c] = await db
    .select({ b64: sql<string>`encode(${attachmentChunks.bytes}, 'base64')` })
    .from(attachmentChunks)
    .where(and(eq(attachmentChunks.clinicId, clinicId), eq(attachmentChunks.sha256, sha256), eq(attachmentChunks.chunkNo, chunkNo)));
  return c ? Buffer.from(c.b64, 'base64') : null;
}

async function heldChunks(db: ServerDb, clinicId: string, sha256: string): Promise<number[]> {
  const held = await db
    .select({ n: attachmentChunks.chunkNo })
    .from(attachmentChunks)
    .where(and(eq(attachmentChunks.clinicId, clinicId), eq(attachmentChunks.sha256, sha256)))
    .orderBy(asc(attachmentChunks.chunkNo));
  return held.map((h) => h.n);
}

/**
 * The whole file matches its sha256 (read a chunk at a time); then its chunks no longer count as
 * in flight for the devices that sent them (what is thrown away when not: dropDisputedChunks).
 */
async function verifyWhole(db: ServerDb, clinicId: string, sha256: string, chunkCount: number): Promise<boolean> {
  const hash = createHash('sha256');
  for (let i = 0; i < chunkCount; i++) {
    const c = await chunkBytes(db, clinicId, sha256, i);
    if (!c) return false;
    hash.update(c);
  }
  if (hash.digest('hex') === sha256) {
    await db
      .update(attachmentChunks)
      .set({ whole: true })
      .where(and(eq(attachmentChunks.clinicId, clinicId), eq(attachmentChunks.sha256, sha256), eq(attachmentChunks.whole, false)));
    return true;
  }
  return false;
}

export async function attachmentStatus(db: ServerDb, clinicId: string, raw: unknown): Promise<AttachmentStatusReply> {
  const { sha256 } = attachmentStatusRequest.parse(raw);
  const shapes = await shapesOf(db, clinicId, sha256);
  if (shapes.length === 0) return refuse('unknown', 'No attachment record of this clinic names this file (yet): push the record first.');
  const have = await heldChunks(db, clinicId, sha256);
  // Whole only when the held chunks fill one record's shape and make up the sha256 (checked, kept
  // either way: the chunks may be the first of a larger genuine file that a forged shorter record fits).
  for (const s of shapes.filter((s) => covers(s, have))) {
    if (await verifyWhole(db, clinicId, sha256, s.chunkHashes.length)) return { ok: true, chunkCount: s.chunkHashes.length, have, complete: true };
  }
  return { ok: true, chunkCount: Math.max(...shapes.map((s) => s.chunkHashes.length)), have, complete: false };
}

/**
 * Bytes a device may have on the server in chunks of files that are not whole yet: two files of the
 * largest size and some. A desk sends one file at a time and finishes it (resuming after a cut), so
 * a genuine desk stays far below; chunks of a forged record's file (hashes that fit, a sha256 the
 * bytes never make) would otherwise pile up on the server's disk without end.
 */
export const MAX_BYTES_IN_FLIGHT_PER_DEVICE = 2 * MAX_ATTACHMENT_BYTES + 8 * ATTACHMENT_CHUNK_BYTES;

export interface ChunkSender {
  clinicId: string;
  deviceId: string;
}

/**
 * Chunks of a file never completed within this time are thrown away when their device next sends:
 * a desk whose copy was lost, or a forged record's chunks, must not hold the device at its limit for
 * good. A genuine upload finishes in minutes, or resumes (re-sending what was dropped).
 */
export const UNFINISHED_CHUNK_LIFE_MS = 7 * 24 * 60 * 60_000;

async function bytesInFlight(db: Pick<ServerDb, 'select' | 'delete'>, { clinicId, deviceId }: ChunkSender): Promise<number> {
  const mine = and(eq(attachmentChunks.clinicId, clinicId), eq(attachmentChunks.deviceId, deviceId), eq(attachmentChunks.whole, false));
  await db.delete(attachmentChunks).where(and(mine, lt(attachmentChunks.receivedAt, new Date(Date.now() - UNFINISHED_CHUNK_LIFE_MS))));
  const [r] = await db
    .select({ n: sql<string | null>`sum(octet_length(${attachmentChunks.bytes}))` })
    .from(attachmentChunks)
    .where(mine);
  return Number(r?.n ?? 0);
}

/** Stores the chunk unless it would take the device over its limit; false when refused for that. */
async function storeWithinLimit(db: ServerDb, sender: ChunkSender, sha256: string, chunkNo: number, bytes: Uint8Array, limit: number): Promise<boolean> {
  const { clinicId, deviceId } = sender;
  return db.transaction(async (tx) => {
    // One device's puts one after another, so concurrent puts cannot all pass the check together.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`attachment-chunks:${clinicId}:${deviceId}`}))`);
    const held = await tx
      .select({ n: attachmentChunks.chunkNo })
      .from(attachmentChunks)
      .where(and(eq(attachmentChunks.clinicId, clinicId), eq(attachmentChunks.sha256, sha256), eq(attachmentChunks.chunkNo, chunkNo)));
    if (held.length > 0) return true; // already here: nothing more on the disk
    if ((await bytesInFlight(tx, sender)) + bytes.byteLength > limit) return false;
    await tx
      .insert(attachmentChunks)
      .values({ clinicId, sha256, chunkNo, deviceId, bytes: sql`decode(${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}, 'base64')` })
      .onConflictDoNothing();
    return true;
  });
}

export async function putAttachmentChunk(
  db: ServerDb,
  sender: ChunkSender,
  raw: unknown,
  limit = MAX_BYTES_IN_FLIGHT_PER_DEVICE,
): Promise<AttachmentPutReply> {
  const { clinicId } = sender;
  const { sha256, chunkNo, bytes } = attachmentPutRequest.parse(raw);
  const shapes = await shapesOf(db, clinicId, sha256);
  if (shapes.length === 0) return refuse('unknown', 'No attachment record of this clinic names this file: the chunk was refused.');
  const counts = shapes.map((s) => s.chunkHashes.length);
  if (chunkNo >= Math.max(...counts)) return refuse('refused', `The file has ${counts.join(' or ')} chunks; there is no chunk ${chunkNo}.`);
  const sized = shapes.filter((s) => chunkNo < s.chunkHashes.length && chunkLength(s, chunkNo) === bytes.byteLength);
  if (sized.length === 0) {
    const lengths = shapes.filter((s) => chunkNo < s.chunkHashes.length).map((s) => chunkLength(s, chunkNo));
    return refuse('refused', `Chunk ${chunkNo} must be ${lengths.join(' or ')} bytes, not ${bytes.byteLength}: refused.`);
  }
  const hash = createHash('sha256').update(bytes).digest('hex');
  const fits = sized.filter((s) => s.chunkHashes[chunkNo] === hash);
  if (fits.length === 0) return refuse('refused', `Chunk ${chunkNo} does not match the hash its attachment record lists: refused.`);
  if (!(await storeWithinLimit(db, sender, sha256, chunkNo, bytes, limit))) {
    const mb = Math.round(limit / (1024 * 1024));
    return refuse(
      'full',
      `The server already holds ${mb} MB of this workstation's attachments that are not complete yet; it takes more once those are (the limit keeps one workstation from filling the server's disk).`,
    );
  }
  const have = await heldChunks(db, clinicId, sha256);
  const filled = fits.filter((s) => covers(s, have));
  if (filled.length === 0) return { ok: true, complete: false };
  for (const s of filled) if (await verifyWhole(db, clinicId, sha256, s.chunkHashes.length)) return { ok: true, complete: true };
  // The held chunks fill a shape but do not make up the file: that shape is a forged record's. Only
  // the chunks records disagree on are thrown away (a forged record's chunk may hold the place of the
  // genuine one, which is then sent again); a chunk every record lists alike is the genuine one and
  // stays, or a forged record naming the genuine first chunk (size one chunk) would have every upload
  // of the real file thrown away as soon as its first chunk arrived.
  const dropped = await dropDisputedChunks(db, clinicId, sha256, shapes, have, filled);
  if (dropped === 0) return { ok: true, complete: false };
  return refuse('refused', 'The chunks do not make up the file its record names (sha256 differs): the chunks in dispute were thrown away.');
}

/**
 * Throws away the held chunks at positions where the clinic's records list different hashes, or,
 * when they all agree and a shape as long as any record's is filled, every chunk (no record can be
 * completed by them: the record's sha256 is simply false). Returns how many were dropped.
 */
async function dropDisputedChunks(db: ServerDb, clinicId: string, sha256: string, shapes: FileShape[], have: number[], filled: FileShape[]): Promise<number> {
  const disputed = have.filter((i) => new Set(shapes.filter((s) => i < s.chunkHashes.length).map((s) => s.chunkHashes[i])).size > 1);
  const longest = Math.max(...shapes.map((s) => s.chunkHashes.length));
  const drop = disputed.length > 0 ? disputed : filled.some((s) => s.chunkHashes.length === longest) ? have : [];
  if (drop.length === 0) return 0;
  await db.delete(attachmentChunks).where(and(eq(attachmentChunks.clinicId, clinicId), eq(attachmentChunks.sha256, sha256), inArray(attachmentChunks.chunkNo, drop)));
  return drop.length;
}

export async function getAttachmentChunk(db: ServerDb, clinicId: string, raw: unknown): Promise<AttachmentGetReply> {
  const { sha256, chunkNo } = attachmentGetRequest.parse(raw);
  const c = await chunkBytes(db, clinicId, sha256, chunkNo);
  if (!c) return refuse('missing', 'The server does not hold this chunk (yet).');
  return { ok: true, bytes: c };
}

/**
 * Serves the transfer on a device's socket (server/app.ts calls this once per connection). `authed`
 * names the device its hello proved, or throws; `known` re-checks it has not been revoked since.
 */
export function serveAttachments(
  socket: Pick<Socket, 'on'>,
  authed: () => { deviceId: string; clinicId: string },
  known: (deviceId: string, clinicId: string) => Promise<unknown>,
  db: ServerDb,
  maxBytesInFlight = MAX_BYTES_IN_FLIGHT_PER_DEVICE,
): void {
  const serve = <T>(event: string, handle: (clinicId: string, raw: unknown) => Promise<T>) =>
    socket.on(event, async (raw: unknown, reply: (a: T | AttachmentRefusal) => void) => {
      if (typeof reply !== 'function') return;
      try {
        const device = authed();
        await known(device.deviceId, device.clinicId);
        reply(await handle(device.clinicId, raw));
      } catch (e) {
        reply(refuse('invalid', e instanceof Error ? e.message.slice(0, 300) : 'The server could not handle this request.'));
      }
    });
  serve(ATTACHMENT_STATUS_EVENT, (clinicId, raw) => attachmentStatus(db, clinicId, raw));
  serve(ATTACHMENT_PUT_EVENT, (clinicId, raw) => putAttachmentChunk(db, { clinicId, deviceId: authed().deviceId }, raw, maxBytesInFlight));
  serve(ATTACHMENT_GET_EVENT, (clinicId, raw) => getAttachmentChunk(db, clinicId, raw));
}
