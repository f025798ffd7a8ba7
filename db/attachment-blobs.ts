import type Database from './sqlite';
import { ATTACHMENT_CHUNK_BYTES, chunkCountOf } from '../shared/attachments';

/**
 * The bytes of attachments, by content (db/schema/attachments.ts `attachment_blobs`): local to each
 * desk, never in change_log. Used by the service that adds and reads files and by the transfer that
 * sends and fetches them (electron/sync/attachment-transfer.ts).
 */

/** Stores a whole file's chunks; a file already held (same sha256) is not stored again. */
export function storeBlob(sqlite: Database.Database, sha256: string, bytes: Buffer): void {
  const put = sqlite.prepare('INSERT OR IGNORE INTO attachment_blobs (sha256, chunk_no, bytes) VALUES (?, ?, ?)');
  for (let i = 0; i < chunkCountOf(bytes.length); i++) put.run(sha256, i, bytes.subarray(i * ATTACHMENT_CHUNK_BYTES, (i + 1) * ATTACHMENT_CHUNK_BYTES));
}

export function storeChunk(sqlite: Database.Database, sha256: string, chunkNo: number, bytes: Uint8Array): void {
  sqlite.prepare('INSERT OR IGNORE INTO attachment_blobs (sha256, chunk_no, bytes) VALUES (?, ?, ?)').run(sha256, chunkNo, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

export function readChunk(sqlite: Database.Database, sha256: string, chunkNo: number): Buffer | null {
  return (sqlite.prepare('SELECT bytes FROM attachment_blobs WHERE sha256 = ? AND chunk_no = ?').pluck().get(sha256, chunkNo) as Buffer | undefined) ?? null;
}

export function blobChunkCount(sqlite: Database.Database, sha256: string): number {
  return sqlite.prepare('SELECT count(*) FROM attachment_blobs WHERE sha256 = ?').pluck().get(sha256) as number;
}

/** Chunk numbers this desk holds of a file. */
export function heldChunks(sqlite: Database.Database, sha256: string): Set<number> {
  return new Set(sqlite.prepare('SELECT chunk_no FROM attachment_blobs WHERE sha256 = ?').pluck().all(sha256) as number[]);
}

/** The whole file, or null while any chunk is missing. */
export function readBlob(sqlite: Database.Database, sha256: string, chunkCount: number): Buffer | null {
  const chunks = sqlite.prepare('SELECT bytes FROM attachment_blobs WHERE sha256 = ? ORDER BY chunk_no').pluck().all(sha256) as Buffer[];
  if (chunks.length !== chunkCount) return null;
  return Buffer.concat(chunks);
}

/** Throws away every chunk of a file (a download whose whole did not match its sha256). */
export function dropBlob(sqlite: Database.Database, sha256: string): void {
  sqlite.prepare('DELETE FROM attachment_blobs WHERE sha256 = ?').run(sha256);
}
