import type Database from 'better-sqlite3';
import { io, type Socket } from 'socket.io-client';
import { fingerprint } from './checksum';
import type { HybridClock } from './hlc';
import { applyPulled } from './apply';
import { outboxCounts, pendingBatch, recordAcks } from './outbox';
import { PROTOCOL_VERSION, type Ack, type ChecksumReply, type Pulled, type Refusal, type Welcome } from './protocol';
import { readSyncSettings } from './state';
import { SYNCED_TABLES } from './tables';

export interface SyncStatus {
  state: 'off' | 'not-enrolled' | 'connecting' | 'online' | 'offline' | 'refused';
  pending: number;
  rejected: number;
  lastSyncAt: number | null;
  lastError: string | null;
  serverUrl: string | null;
}

export interface SyncEngineDeps {
  sqlite: Database.Database;
  clock: HybridClock;
  deviceId: string;
  appVersion: string;
  schemaVersion: number;
  now?: () => number;
  /** Tables changed by pulled rows, so open screens refresh. */
  onApplied: (tables: string[]) => void;
  onStatus?: (status: SyncStatus) => void;
  /** Rows per pull page (each page is one local transaction). */
  pageSize?: number;
  /** How long to wait for the server to answer one request. */
  timeoutMs?: number;
  checksumEveryMs?: number;
}

const MAX_BACKOFF_MS = 60_000;

/**
 * Runs in the main process beside the app and never blocks it for long: pushes the outbox,
 * pulls by cursor a page (<= 500 rows, one transaction) at a time, yielding between pages,
 * and reconnects with backoff. The app never waits for it.
 */
export class SyncEngine {
  private socket: Socket | null = null;
  private running = false;
  private cycling = false;
  private again = false;
  private backoff = 1_000;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private lastChecksumAt = 0;
  private resynced = new Map<string, number>();
  private status: SyncStatus;
  private readonly now: () => number;

  constructor(private readonly deps: SyncEngineDeps) {
    this.now = deps.now ?? Date.now;
    this.status = { state: 'off', pending: 0, rejected: 0, lastSyncAt: null, lastError: null, serverUrl: null };
  }

  getStatus(): SyncStatus {
    return { ...this.status, ...outboxCounts(this.deps.sqlite) };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.setStatus({ state: 'off' });
  }

  /** Something changed locally (or the user asked): sync soon. */
  trigger(): void {
    if (this.socket?.connected) void this.cycle();
  }

  /** Resolves when the outbox is empty and the last pull found nothing more (for tests and "Sync now"). */
  async syncNow(): Promise<void> {
    if (!this.socket?.connected) throw new Error(this.status.lastError ?? 'Not connected to the sync server');
    await this.cycle();
  }

  private setStatus(patch: Partial<SyncStatus>) {
    this.status = { ...this.status, ...patch };
    this.deps.onStatus?.(this.getStatus());
  }

  private connect() {
    const settings = readSyncSettings(this.deps.sqlite);
    if (!settings.enabled) return this.setStatus({ state: 'off', serverUrl: settings.serverUrl });
    if (!settings.serverUrl || !settings.clinicId || !settings.credential) return this.setStatus({ state: 'not-enrolled', serverUrl: settings.serverUrl });
    this.setStatus({ state: 'connecting', serverUrl: settings.serverUrl });
    const socket = io(settings.serverUrl, { transports: ['websocket'], reconnection: false, timeout: this.deps.timeoutMs ?? 10_000 });
    this.socket = socket;
    socket.on('connect', () => void this.onConnect());
    socket.on('poke', () => void this.cycle());
    socket.on('connect_error', (e) => this.onDown(e.message));
    socket.on('disconnect', (reason) => this.onDown(`disconnected (${reason})`));
  }

  private onDown(reason: string) {
    if (!this.running) return;
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    if (this.status.state !== 'refused') this.setStatus({ state: 'offline', lastError: reason });
    if (this.reconnectTimer) return;
    const wait = Math.min(this.backoff, MAX_BACKOFF_MS) * (0.75 + Math.random() * 0.5);
    this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.running) this.connect();
    }, wait);
    this.reconnectTimer.unref?.();
  }

  private async onConnect() {
    const settings = readSyncSettings(this.deps.sqlite);
    const reply = await this.request<Welcome | Refusal>('hello', {
      deviceId: this.deps.deviceId,
      clinicId: settings.clinicId,
      credential: settings.credential,
      protocol: PROTOCOL_VERSION,
      schemaVersion: this.deps.schemaVersion,
      appVersion: this.deps.appVersion,
      pullCursor: settings.pullCursor,
      lastAckedSeq: 0,
    }).catch((e: Error) => ({ ok: false as const, code: 'invalid' as const, message: e.message }));
    if (!reply.ok) {
      // A refusal (bad credential, app too old) will not fix itself by retrying quickly.
      this.setStatus({ state: 'refused', lastError: reply.message });
      this.backoff = MAX_BACKOFF_MS;
      this.socket?.disconnect();
      return;
    }
    this.backoff = 1_000;
    this.setStatus({ state: 'online', lastError: null });
    await this.cycle();
  }

  private request<T>(event: string, payload: unknown): Promise<T> {
    const socket = this.socket;
    if (!socket?.connected) return Promise.reject(new Error('not connected'));
    return socket.timeout(this.deps.timeoutMs ?? 10_000).emitWithAck(event, payload) as Promise<T>;
  }

  /** Push everything, then pull everything; again if something arrived meanwhile. */
  private async cycle(): Promise<void> {
    if (this.cycling) {
      this.again = true;
      return this.waitIdle();
    }
    this.cycling = true;
    try {
      do {
        this.again = false;
        await this.pushAll();
        await this.pullAll();
        if (this.now() - this.lastChecksumAt > (this.deps.checksumEveryMs ?? 5 * 60_000)) await this.verify();
      } while (this.again && this.socket?.connected);
      this.setStatus({ lastSyncAt: this.now(), lastError: null });
    } catch (error) {
      this.setStatus({ lastError: error instanceof Error ? error.message : String(error) });
    } finally {
      this.cycling = false;
    }
  }

  private waitIdle(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (this.cycling ? setTimeout(check, 20) : resolve());
      check();
    });
  }

  private async pushAll() {
    for (;;) {
      const batch = pendingBatch(this.deps.sqlite);
      if (batch.length === 0) return;
      const ack = await this.request<Ack>('push', { changes: batch });
      if (!ack.ok) throw new Error(ack.message);
      recordAcks(this.deps.sqlite, ack.results, this.now());
      this.setStatus({});
      await new Promise((r) => setImmediate(r));
    }
  }

  private async pullAll(table?: string) {
    let cursor = table ? 0 : readSyncSettings(this.deps.sqlite).pullCursor;
    for (;;) {
      const page = await this.request<Pulled>('pull', { cursor, limit: this.deps.pageSize ?? 500, ...(table ? { table } : {}) });
      if (!page.ok) throw new Error(page.message);
      if (page.rows.length > 0) {
        // A table resync re-reads old rows; it must not move the main cursor backwards.
        const keep = table ? readSyncSettings(this.deps.sqlite).pullCursor : page.nextCursor;
        const touched = applyPulled(this.deps.sqlite, page.rows, keep, this.deps.clock);
        if (touched.length > 0) this.deps.onApplied(touched);
      }
      cursor = page.nextCursor;
      if (!page.hasMore) return;
      await new Promise((r) => setImmediate(r));
    }
  }

  /** Compares fingerprints with the server; a table that differs is read again, at most once an hour. */
  private async verify() {
    this.lastChecksumAt = this.now();
    if (pendingBatch(this.deps.sqlite, 1).length > 0) return; // not comparable while changes are in flight
    const reply = await this.request<ChecksumReply>('checksum', { tables: localChecksums(this.deps.sqlite) });
    if (!reply.ok) return;
    for (const table of reply.mismatched) {
      const last = this.resynced.get(table) ?? 0;
      if (this.now() - last < 3600_000) continue;
      this.resynced.set(table, this.now());
      await this.pullAll(table);
    }
  }
}

/** The same fingerprints the server computes, from this device's rows. */
export function localChecksums(sqlite: Database.Database): Record<string, { count: number; hash: string }> {
  const out: Record<string, { count: number; hash: string }> = {};
  for (const table of Object.keys(SYNCED_TABLES)) {
    out[table] = fingerprint(sqlite.prepare(`SELECT id, hlc FROM "${table}"`).iterate() as Iterable<{ id: string; hlc: string }>);
  }
  return out;
}
