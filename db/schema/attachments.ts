import { blob, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { syncColumns } from './common';
import type { AttachmentKind, AttachmentMime } from '../../shared/attachments';

/**
 * A file kept in the patient's record (docs/ATTACHMENTS.md): an outside lab report, an X-ray, an
 * ECG, a discharge summary. Synced like any record; the bytes are not in this row but in
 * `attachment_blobs`, by content (sha256), and travel on their own (electron/sync/attachment-transfer.ts).
 * Only kind, title and date change afterwards; removal is a withdrawal with a reason, never a
 * deletion of the bytes of a clinical record.
 */
export const attachments = sqliteTable(
  'attachments',
  {
    ...syncColumns(),
    patientId: text('patient_id').notNull(),
    visitId: text('visit_id'),
    kind: text('kind').$type<AttachmentKind>().notNull(),
    title: text('title').notNull(),
    /** The document's own date (the report's date), YYYY-MM-DD. */
    documentDate: text('document_date').notNull(),
    /** From the content (magic bytes), never the file name. */
    mime: text('mime').$type<AttachmentMime>().notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    chunkCount: integer('chunk_count').notNull(),
    /**
     * The sha256 of each 256 KiB chunk, signed with the row: a desk or the server checks every chunk
     * as it arrives, so a forged chunk is refused at once rather than after the whole file.
     */
    chunkHashes: text('chunk_hashes', { mode: 'json' }).$type<string[]>().notNull(),
    /** The original file name, for a download (never used to decide the type). */
    fileName: text('file_name'),
    madeBy: text('made_by').notNull(),
    madeAt: integer('made_at').notNull(),
    withdrawnAt: integer('withdrawn_at'),
    withdrawnBy: text('withdrawn_by'),
    withdrawReason: text('withdraw_reason'),
  },
  (t) => [index('attachments_patient_idx').on(t.patientId, t.documentDate), index('attachments_sha_idx').on(t.sha256), index('attachments_visit_idx').on(t.visitId)],
);

/**
 * The bytes, by content: one row per 256 KiB chunk. Local to each desk (never in change_log): the
 * same file attached twice is stored once. Inside the database, so encrypted with its key and
 * copied by every backup.
 */
export const attachmentBlobs = sqliteTable(
  'attachment_blobs',
  {
    sha256: text('sha256').notNull(),
    chunkNo: integer('chunk_no').notNull(),
    bytes: blob('bytes', { mode: 'buffer' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sha256, t.chunkNo] })],
);

/** Files this desk knows the server holds whole (uploaded from here, or downloaded from it). Local. */
export const attachmentOnServer = sqliteTable('attachment_on_server', {
  sha256: text('sha256').primaryKey(),
  confirmedAt: integer('confirmed_at').notNull(),
});
