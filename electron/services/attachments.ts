import { createHash, randomUUID } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { attachments, users, visits } from '../../db/schema';
import { ApiFailure, type AuthedContext } from '../core/context';
import { requirePatient } from './patients';
import { requireClinicalAccess } from './consultations';
import { detectAttachmentType } from './attachment-content';
import { ATTACHMENT_CHUNK_BYTES, MAX_ATTACHMENT_BYTES, chunkCountOf, type AttachmentKind } from '../../shared/attachments';
import { blobChunkCount, readBlob, storeBlob } from '../../db/attachment-blobs';

type Ctx = AuthedContext;

/**
 * Patient attachments (docs/ATTACHMENTS.md): a scanned report is checked by its content, stored in
 * the (encrypted) database by sha256 in 256 KiB chunks together with its record, in the call's one
 * transaction, and synced: the record as an ordinary row, the bytes by electron/sync/attachment-transfer.ts.
 */

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

// --- Uploads in pieces ------------------------------------------------------------------------
// The browser host takes request bodies up to 1 MB, so a screen sends a large file in pieces first
// (attachments.stage), then adds it by its upload id. Pieces wait in memory, owned by the person.

const STAGE_TTL_MS = 30 * 60_000;
const MAX_STAGED_PER_PERSON = 3;
interface Staged {
  userId: string;
  pieces: Buffer[];
  size: number;
  touchedAt: number;
}
const staged = new Map<string, Staged>();

export function stagePiece(ctx: Ctx, input: { uploadId?: string | null | undefined; base64: string }): { uploadId: string; size: number } {
  const t = ctx.now();
  for (const [id, s] of staged) if (t - s.touchedAt > STAGE_TTL_MS) staged.delete(id);
  const piece = Buffer.from(input.base64, 'base64');
  let id = input.uploadId ?? null;
  let s = id ? staged.get(id) : undefined;
  if (id && (!s || s.userId !== ctx.session.userId)) throw new ApiFailure('not_found', 'uploadId: This upload has expired; choose the file again.', { uploadId: 'Upload expired' });
  if (!s) {
    // A person has at most a few uploads under way (a dialog abandoned half-way leaves one): the
    // oldest of theirs gives way, so abandoned pieces cannot pile up to many times 20 MB.
    const theirs = [...staged].filter(([, x]) => x.userId === ctx.session.userId).sort((a, b) => a[1].touchedAt - b[1].touchedAt);
    for (const [old] of theirs.slice(0, Math.max(0, theirs.length - (MAX_STAGED_PER_PERSON - 1)))) staged.delete(old);
    id = randomUUID();
    s = { userId: ctx.session.userId, pieces: [], size: 0, touchedAt: t };
    staged.set(id, s);
  }
  if (s.size + piece.length > MAX_ATTACHMENT_BYTES) {
    staged.delete(id!);
    throw new ApiFailure('invalid_input', 'base64: The file is over 20 MB; files up to 20 MB can be attached', { base64: 'Files up to 20 MB can be attached' });
  }
  s.pieces.push(piece);
  s.size += piece.length;
  s.touchedAt = t;
  return { uploadId: id!, size: s.size };
}

function takeStaged(ctx: Ctx, uploadId: string): Buffer {
  const s = staged.get(uploadId);
  if (!s || s.userId !== ctx.session.userId) throw new ApiFailure('not_found', 'uploadId: This upload has expired; choose the file again.', { uploadId: 'Upload expired' });
  staged.delete(uploadId);
  return Buffer.concat(s.pieces);
}

// --- Adding, listing, reading, withdrawing ----------------------------------------------------

export interface AddAttachment {
  patientId: string;
  visitId?: string | null | undefined;
  kind: AttachmentKind;
  title: string;
  documentDate: string;
  fileName?: string | null | undefined;
  base64?: string | null | undefined;
  uploadId?: string | null | undefined;
}

export function addAttachment(ctx: Ctx, input: AddAttachment) {
  const patient = requirePatient(ctx, input.patientId);
  if (input.visitId) {
    const v = ctx.db.select({ patientId: visits.patientId }).from(visits).where(eq(visits.id, input.visitId)).get();
    if (!v || v.patientId !== patient.id) throw new ApiFailure('invalid_input', 'visitId: No such visit of this patient', { visitId: 'No such visit of this patient' });
  }
  if (input.documentDate > ctx.today()) throw new ApiFailure('invalid_input', 'documentDate: The document date cannot be after today', { documentDate: 'Cannot be after today' });
  const bytes = input.uploadId ? takeStaged(ctx, input.uploadId) : input.base64 != null ? Buffer.from(input.base64, 'base64') : null;
  // Errors about the file name the field it came in (the inline bytes, or the staged upload).
  const field = input.uploadId ? 'uploadId' : 'base64';
  if (!bytes) throw new ApiFailure('invalid_input', 'base64: Choose a file to attach', { base64: 'Choose a file to attach' });
  const mime = detectAttachmentType(bytes, field);
  const hash = sha256(bytes);
  const twice = ctx.db
    .select({ title: attachments.title, date: attachments.documentDate })
    .from(attachments)
    .where(and(eq(attachments.patientId, patient.id), eq(attachments.sha256, hash), isNull(attachments.withdrawnAt)))
    .get();
  if (twice) throw new ApiFailure('conflict', `${field}: This file is already attached to this patient ("${twice.title}", ${twice.date})`, { [field]: 'Already attached to this patient' });
  const chunkHashes: string[] = [];
  for (let i = 0; i < chunkCountOf(bytes.length); i++) chunkHashes.push(sha256(bytes.subarray(i * ATTACHMENT_CHUNK_BYTES, (i + 1) * ATTACHMENT_CHUNK_BYTES)));
  try {
    const row = ctx.write.insert(attachments, {
      patientId: patient.id,
      visitId: input.visitId ?? null,
      kind: input.kind,
      title: input.title,
      documentDate: input.documentDate,
      mime,
      size: bytes.length,
      sha256: hash,
      chunkCount: chunkHashes.length,
      chunkHashes,
      fileName: input.fileName ?? null,
      madeBy: ctx.session.userId,
      madeAt: ctx.now(),
    });
    storeBlob(ctx.sqlite, hash, bytes);
    return toView(row, ctx.session.fullName, true);
  } catch (error) {
    if (isDiskFull(error)) throw new ApiFailure('conflict', 'The disk is full: the file was not saved. Free some space on this computer and try again.', { [input.uploadId ? 'uploadId' : 'base64']: 'The disk is full: the file was not saved' });
    throw error;
  }
}

function isDiskFull(error: unknown): boolean {
  const code = error && typeof error === 'object' && 'code' in error ? String(error.code) : '';
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'SQLITE_IOERR_WRITE';
}

type Row = typeof attachments.$inferSelect;

function toView(r: Row, madeByName: string, downloaded: boolean) {
  return {
    id: r.id,
    patientId: r.patientId,
    visitId: r.visitId,
    kind: r.kind,
    title: r.title,
    documentDate: r.documentDate,
    mime: r.mime,
    size: r.size,
    fileName: r.fileName,
    madeBy: r.madeBy,
    madeByName,
    madeAt: r.madeAt,
    withdrawnAt: r.withdrawnAt,
    withdrawReason: r.withdrawReason,
    /** The bytes are on this computer (else they are still being fetched from the server). */
    downloaded,
  };
}
export type AttachmentView = ReturnType<typeof toView>;

/** The patient's attachment records with who added each, newest document first (at most 500). */
function attachmentRows(ctx: Ctx, patientId: string) {
  return ctx.db
    .select({ a: attachments, name: users.fullName })
    .from(attachments)
    .leftJoin(users, eq(users.id, attachments.madeBy))
    .where(and(eq(attachments.patientId, patientId), isNull(attachments.deletedAt)))
    .orderBy(desc(attachments.documentDate), desc(attachments.madeAt))
    .limit(500)
    .all();
}

/** A patient's attachments, newest document first (withdrawn ones included, marked). */
export function listAttachments(ctx: Ctx, patientId: string): AttachmentView[] {
  requirePatient(ctx, patientId);
  const rows = attachmentRows(ctx, patientId);
  ctx.describe({ entityType: 'patient', entityId: patientId, detail: `listed ${rows.length} attachments` });
  return rows.map(({ a, name }) => toView(a, name ?? 'Unknown', blobChunkCount(ctx.sqlite, a.sha256) === a.chunkCount));
}

/**
 * The patient's attachments for the doctor's timeline (already audited as the timeline's read):
 * newest document first, with the visit's date when attached to one. Whether the bytes are here is
 * one grouped count, not a query per file (200 attachments are one statement).
 */
export function attachmentsOfTimeline(ctx: Ctx, patientId: string, visitDates: Map<string, string>) {
  const rows = attachmentRows(ctx, patientId);
  const held = heldCounts(ctx, rows.map((r) => r.a.sha256));
  return rows.map(({ a, name }) => ({
    ...toView(a, name ?? 'Unknown', held.get(a.sha256) === a.chunkCount),
    visitDate: a.visitId ? (visitDates.get(a.visitId) ?? null) : null,
  }));
}
export type TimelineAttachment = ReturnType<typeof attachmentsOfTimeline>[number];

function heldCounts(ctx: Ctx, hashes: string[]): Map<string, number> {
  const out = new Map<string, number>();
  const unique = [...new Set(hashes)];
  // In slices: SQLite's bound-parameter limit, and a patient has at most 500 listed.
  for (let i = 0; i < unique.length; i += 200) {
    const slice = unique.slice(i, i + 200);
    const rows = ctx.sqlite
      .prepare(`SELECT sha256, count(*) AS n FROM attachment_blobs WHERE sha256 IN (${slice.map(() => '?').join(',')}) GROUP BY sha256`)
      .all(...slice) as { sha256: string; n: number }[];
    for (const r of rows) out.set(r.sha256, r.n);
  }
  return out;
}

function requireAttachment(ctx: Ctx, id: string): Row {
  const row = ctx.db.select().from(attachments).where(eq(attachments.id, id)).get();
  if (!row || row.deletedAt !== null) throw new ApiFailure('not_found', 'id: No such attachment', { id: 'No such attachment' });
  return row;
}

/**
 * The file's bytes, for the clinical record's reader (audited by the router). Checked whole against
 * its sha256 before it is handed out. Not on this desk yet: it is asked for at once and the answer
 * says to try again.
 */
export function readAttachment(ctx: Ctx, id: string, purpose: 'open' | 'thumbnail' = 'open') {
  const row = requireAttachment(ctx, id);
  requireClinicalAccess(ctx, row.patientId);
  // A thumbnail shows clinical content too, so it is a read like any other; the audit says which,
  // and the timeline caches thumbnails for the login session, so a file scrolled past many times is
  // one row per session, not one per scroll.
  const how = purpose === 'thumbnail' ? 'thumbnail of' : 'read';
  ctx.describe({ entityType: 'attachments', entityId: row.id, detail: `${how} "${row.title}" (${row.mime}, ${row.size} bytes) of patient ${row.patientId}` });
  const bytes = readBlob(ctx.sqlite, row.sha256, row.chunkCount);
  if (!bytes || sha256(bytes) !== row.sha256) {
    ctx.sync.fetchAttachment?.(row.sha256);
    throw new ApiFailure('conflict', 'This file is not yet downloaded to this computer: it is being fetched from the server. Try again in a moment.');
  }
  return { id: row.id, title: row.title, mime: row.mime, fileName: row.fileName, size: row.size, base64: bytes.toString('base64') };
}

/** Withdrawn from the record (a wrong patient, a duplicate scan): with a reason; the bytes stay. */
export function withdrawAttachment(ctx: Ctx, input: { id: string; reason: string }) {
  const row = requireAttachment(ctx, input.id);
  if (row.withdrawnAt !== null) throw new ApiFailure('conflict', 'This attachment has already been withdrawn.');
  const after = ctx.write.update(attachments, row.id, { withdrawnAt: ctx.now(), withdrawnBy: ctx.session.userId, withdrawReason: input.reason });
  return toView(after, ctx.session.fullName, blobChunkCount(ctx.sqlite, row.sha256) === row.chunkCount);
}
