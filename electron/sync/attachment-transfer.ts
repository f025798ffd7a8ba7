import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { blobChunkCount, dropBlob, heldChunks, readBlob, readChunk, storeChunk } from '../../db/attachment-blobs';
import {
  ATTACHMENT_GET_EVENT,
  ATTACHMENT_PUT_EVENT,
  ATTACHMENT_STATUS_EVENT,
  type AttachmentGetReply,
  type AttachmentPutReply,
  type AttachmentStatusReply,
} from '../../shared/attachments';

/**
 * The desk's end of the attachment byte transfer (docs/ATTACHMENTS.md; the server's end is
 * server/attachments.ts). Records sync as ordinary rows; their bytes follow here, over the sync
 * engine's greeted connection but on their own events, one 256 KiB chunk per message and one message
 * at a time, yielding to the event loop between chunks, so change pushes and pulls interleave with a
 * large transfer instead of waiting behind it.
 *
 * Uploads: a file held whole here and not yet known to be on the server is offered once its record
 * has reached the server; the server answers which chunks it holds and only the others are sent
 * (a transfer cut off half-way resumes there). Downloads: a record whose bytes are missing here is
 * fetched chunk by chunk once the server holds the whole file; each chunk is checked against the
 * hash the (signed) record lists before it is stored, and the whole file against its sha256 before
 * it counts as downloaded. Chunks already here are never fetched again.
 */

export interface AttachmentTransferDeps {
  sqlite: Database.Database;
  /** One request to the server; null when this desk is not online with it (engine.ask). */
  ask: (event: string, payload: unknown) => Promise<unknown>;
  now?: () => number;
  /** Bytes of some files arrived (screens that show "not yet downloaded" refresh). */
  onDownloaded?: () => void;
  /** How often to look for work while nothing asks (default 5 s). */
  everyMs?: number;
  /** How soon to ask again while a file's record is still on its way to the server (default 500 ms). */
  retryMs?: number;
}

export interface TransferCounts {
  chunksSent: number;
  chunksReceived: number;
  bytesSent: number;
  bytesReceived: number;
  /** The last refusal or failure, for the Sync screen and tests. */
  lastError: string | null;
}

/** What one record says of the file's chunks. */
interface Shape {
  chunkCount: number;
  chunkHashes: string[];
}

/**
 * A file not yet known to be whole on the server, with every distinct shape its records give it:
 * a forged record (same sha256, other size or hashes) is not believed over the genuine one; the
 * bytes decide (a chunk any record lists, a whole file matching the sha256).
 */
interface Pending {
  sha256: string;
  shapes: Shape[];
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const yieldNow = () => new Promise<void>((r) => setImmediate(r));

export class AttachmentTransfer {
  private running = false;
  private stopped = false;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  /** Files a read asked for: fetched first. */
  private wanted = new Set<string>();
  /** A record not yet on the server (its push is on its way): look again soon rather than at the next tick. */
  private retry: NodeJS.Timeout | null = null;
  private waitingForRecord = false;
  readonly counts: TransferCounts = { chunksSent: 0, chunksReceived: 0, bytesSent: 0, bytesReceived: 0, lastError: null };

  constructor(private readonly deps: AttachmentTransferDeps) {}

  start(): void {
    this.stopped = false;
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), this.deps.everyMs ?? 5_000);
    this.timer.unref?.();
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Look for work now (a local write, a pull, a reconnect). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.run();
  }

  /** A read found this file missing here: fetch it before the others. */
  want(sha256: string): void {
    this.wanted.add(sha256);
    this.kick();
  }

  /** Resolves once a round finds nothing more it can do now (for tests and benchmarks). */
  async settle(): Promise<void> {
    while (this.running) await new Promise((r) => setTimeout(r, 10));
    await this.run();
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      do {
        this.again = false;
        this.waitingForRecord = false;
        for (const p of this.pending()) {
          if (this.stopped) return;
          const whole = this.wholeHere(p);
          const ok = whole ? await this.upload(p.sha256, whole) : await this.download(p);
          if (!ok) return; // offline: the next kick or tick tries again
        }
      } while (this.again);
    } catch (e) {
      this.counts.lastError = e instanceof Error ? e.message : String(e);
    } finally {
      this.running = false;
      if (this.waitingForRecord && !this.stopped && !this.retry) {
        this.retry = setTimeout(() => {
          this.retry = null;
          this.kick();
        }, this.deps.retryMs ?? 500);
        this.retry.unref?.();
      }
    }
  }

  /** Files not yet known to be whole on the server, the ones a read asked for first. */
  private pending(): Pending[] {
    const rows = this.deps.sqlite
      .prepare(
        `SELECT a.sha256 AS sha256, a.chunk_count AS chunkCount, a.chunk_hashes AS chunkHashes FROM attachments a
         WHERE a.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM attachment_on_server s WHERE s.sha256 = a.sha256)
         ORDER BY a.created_at`,
      )
      .all() as { sha256: string; chunkCount: number; chunkHashes: string }[];
    const bySha = new Map<string, Map<string, Shape>>();
    for (const r of rows) {
      const shapes = bySha.get(r.sha256) ?? new Map<string, Shape>();
      shapes.set(r.chunkHashes, { chunkCount: r.chunkCount, chunkHashes: JSON.parse(r.chunkHashes) as string[] });
      bySha.set(r.sha256, shapes);
    }
    const list = [...bySha].map(([sha256, shapes]) => ({ sha256, shapes: [...shapes.values()] }));
    return [...list.filter((p) => this.wanted.has(p.sha256)), ...list.filter((p) => !this.wanted.has(p.sha256))];
  }

  private recordUnsent(sha256: string): boolean {
    const row = this.deps.sqlite
      .prepare(
        `SELECT 1 FROM change_log c JOIN attachments a ON a.id = c.row_id
         WHERE c.table_name = 'attachments' AND a.sha256 = ? AND c.pushed_at IS NULL AND c.rejected_at IS NULL LIMIT 1`,
      )
      .get(sha256);
    return row !== undefined;
  }

  /** The file's chunk count when this desk holds it whole (its bytes make up the sha256), else null. */
  private wholeHere(p: Pending): number | null {
    const held = blobChunkCount(this.deps.sqlite, p.sha256);
    if (!p.shapes.some((s) => s.chunkCount === held)) return null;
    const bytes = readBlob(this.deps.sqlite, p.sha256, held);
    return bytes && sha(bytes) === p.sha256 ? held : null;
  }

  private markOnServer(sha256: string) {
    this.deps.sqlite.prepare('INSERT OR IGNORE INTO attachment_on_server (sha256, confirmed_at) VALUES (?, ?)').run(sha256, (this.deps.now ?? Date.now)());
    this.wanted.delete(sha256);
  }

  /** False when the connection is gone. */
  private async upload(sha256: string, chunkCount: number): Promise<boolean> {
    const p = { sha256, chunkCount };
    const status = (await this.deps.ask(ATTACHMENT_STATUS_EVENT, { sha256: p.sha256 })) as AttachmentStatusReply | null;
    if (!status) return false;
    if (!status.ok) {
      // Look again soon only while its record is still on its way (unsent in the outbox); a record the
      // server refused (listed on the Sync screen) or an invalid request waits for the normal tick.
      if (this.recordUnsent(p.sha256)) this.waitingForRecord = true;
      else this.counts.lastError = status.message;
      return true;
    }
    if (status.complete) {
      this.markOnServer(p.sha256);
      return true;
    }
    const have = new Set(status.have);
    for (let n = 0; n < p.chunkCount; n++) {
      if (have.has(n)) continue;
      const bytes = readChunk(this.deps.sqlite, p.sha256, n);
      if (!bytes) return true;
      const reply = (await this.deps.ask(ATTACHMENT_PUT_EVENT, { sha256: p.sha256, chunkNo: n, bytes })) as AttachmentPutReply | null;
      if (!reply) return false;
      if (!reply.ok) {
        this.counts.lastError = reply.message;
        // Over this desk's limit of unfinished files on the server: the other files would be refused
        // too, so the round stops here (the next tick tries again) instead of asking for each.
        return reply.code !== 'full';
      }
      this.counts.chunksSent++;
      this.counts.bytesSent += bytes.length;
      if (reply.complete) this.markOnServer(p.sha256);
      await yieldNow();
    }
    return true;
  }

  private async download(p: Pending): Promise<boolean> {
    const status = (await this.deps.ask(ATTACHMENT_STATUS_EVENT, { sha256: p.sha256 })) as AttachmentStatusReply | null;
    if (!status) return false;
    if (!status.ok || !status.complete) return true; // not whole on the server yet
    // The server counts a file whole only once its bytes make up the sha256: its chunk count is the
    // genuine one; a chunk is taken when any record of that count lists its hash.
    const chunkCount = status.chunkCount;
    const shapes = p.shapes.filter((s) => s.chunkCount === chunkCount);
    if (shapes.length === 0) return true;
    const held = heldChunks(this.deps.sqlite, p.sha256);
    for (let n = 0; n < chunkCount; n++) {
      if (held.has(n)) continue;
      const reply = (await this.deps.ask(ATTACHMENT_GET_EVENT, { sha256: p.sha256, chunkNo: n })) as AttachmentGetReply | null;
      if (!reply) return false;
      if (!reply.ok) return true;
      const hash = sha(reply.bytes);
      if (!shapes.some((s) => s.chunkHashes[n] === hash)) {
        this.counts.lastError = `chunk ${n} of ${p.sha256} does not match its record: not stored`;
        return true;
      }
      storeChunk(this.deps.sqlite, p.sha256, n, reply.bytes);
      this.counts.chunksReceived++;
      this.counts.bytesReceived += reply.bytes.byteLength;
      await yieldNow();
    }
    const whole = readBlob(this.deps.sqlite, p.sha256, chunkCount);
    if (!whole || sha(whole) !== p.sha256) {
      dropBlob(this.deps.sqlite, p.sha256);
      this.counts.lastError = `the file ${p.sha256} did not match its sha256: fetched again later`;
      return true;
    }
    this.markOnServer(p.sha256);
    this.deps.onDownloaded?.();
    return true;
  }
}
