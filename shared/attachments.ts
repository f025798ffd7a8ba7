import { z } from 'zod';

/**
 * Patient attachments (docs/ATTACHMENTS.md): outside reports and scans kept as records of the
 * patient. The limits and the byte-transfer messages are shared by the desk and the server, so
 * both refuse the same files and speak the same chunked protocol.
 */

/** What a file is, as the clinic files it. */
export const ATTACHMENT_KINDS = ['lab_report', 'imaging', 'ecg', 'discharge', 'referral', 'other'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export const ATTACHMENT_KIND_LABELS: Record<AttachmentKind, string> = {
  lab_report: 'Lab report',
  imaging: 'Imaging (X-ray, scan)',
  ecg: 'ECG',
  discharge: 'Discharge summary',
  referral: 'Referral',
  other: 'Other',
};

/** The file types accepted, recognised by their content (never their name). */
export const ATTACHMENT_MIMES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type AttachmentMime = (typeof ATTACHMENT_MIMES)[number];

/** 20 MB: a scanned multi-page report fits; a video does not. */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
/** Bytes are stored and sent in chunks of this size (the last one shorter). */
export const ATTACHMENT_CHUNK_BYTES = 256 * 1024;

export function chunkCountOf(size: number): number {
  return Math.ceil(size / ATTACHMENT_CHUNK_BYTES);
}

const SHA256 = /^[0-9a-f]{64}$/;
export const sha256Hex = z.string().regex(SHA256, 'sha256 must be 64 lowercase hex digits');

/**
 * What is wrong with an attachment record's file facts (size, chunk count, chunk hashes), or null:
 * the same check on the desk's Writer and the server, so a hand-made row cannot announce a file
 * larger than the limit or chunks that do not add up.
 */
export function attachmentFactsProblem(row: Readonly<Record<string, unknown>>): string | null {
  const size = row.size;
  if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0) return 'attachments.size must be a positive number of bytes';
  if (size > MAX_ATTACHMENT_BYTES) return `attachments.size is over the limit of ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`;
  if (typeof row.sha256 !== 'string' || !SHA256.test(row.sha256)) return 'attachments.sha256 must be 64 lowercase hex digits';
  if (row.chunk_count !== chunkCountOf(size)) return 'attachments.chunk_count does not match its size';
  const hashes = row.chunk_hashes;
  if (!Array.isArray(hashes) || hashes.length !== chunkCountOf(size) || hashes.some((h) => typeof h !== 'string' || !SHA256.test(h))) {
    return 'attachments.chunk_hashes must list one sha256 per chunk';
  }
  return null;
}

// --- The byte transfer (electron/sync/attachment-transfer.ts <-> server/attachments.ts) ---------

/** Which chunks of a file the server holds. */
export const ATTACHMENT_STATUS_EVENT = 'attachment.status';
/** One chunk from a desk to the server. */
export const ATTACHMENT_PUT_EVENT = 'attachment.put';
/** One chunk from the server to a desk. */
export const ATTACHMENT_GET_EVENT = 'attachment.get';

export const attachmentStatusRequest = z.object({ sha256: sha256Hex });
export const attachmentPutRequest = z.object({
  sha256: sha256Hex,
  chunkNo: z.number().int().min(0).max(chunkCountOf(MAX_ATTACHMENT_BYTES) - 1),
  bytes: z.instanceof(Uint8Array).refine((b) => b.byteLength > 0 && b.byteLength <= ATTACHMENT_CHUNK_BYTES, 'a chunk is 1 byte to 256 KiB'),
});
export const attachmentGetRequest = z.object({ sha256: sha256Hex, chunkNo: z.number().int().min(0) });

export type AttachmentRefusal = { ok: false; code: 'unknown' | 'refused' | 'invalid' | 'missing' | 'full'; message: string };
/** `unknown`: no attachment record with this sha256 (yet) on the server. */
export type AttachmentStatusReply = { ok: true; chunkCount: number; have: number[]; complete: boolean } | AttachmentRefusal;
export type AttachmentPutReply = { ok: true; complete: boolean } | AttachmentRefusal;
export type AttachmentGetReply = { ok: true; bytes: Uint8Array } | AttachmentRefusal;
