import type Database from 'better-sqlite3';
import { io, type Socket } from 'socket.io-client';
import type { HybridClock } from '../../shared/hlc';
import { applyPulledInSlices, readHeldPull } from './apply';
import { resolveUniqueLosses, sendAwaitingRows, settleRetries, type SignerFor } from './conflicts';
import { localChecksumsInSlices } from './local-checksums';
import { grownTables, markTableWhole } from './grown-tables';
import { setAsideLosses } from './set-aside';
import { outboxCounts, pendingBatch, recordAcks } from './outbox';
import { PROTOCOL_VERSION, type Ack, type ChecksumReply, type DevicesReply, type Pulled, type Refusal, type Welcome } from '../../shared/sync-protocol';
import { readClockSeen, readKnownDevices, readSyncSettings, writeKnownDevices } from './state';

export interface SyncStatus {
  state: 'off' | 'not-enrolled' | 'connecting' | 'online' | 'offline' | 'refused';
  pending: number;
  rejected: number;
  lastSyncAt: number | null;
  lastError: string | null;
  serverUrl: string | null;
  /**
   * How far this computer's clock is ahead of the server's (negative: behind), measured at the last
   * hello: the middle of the round trip minus the server's time. Null until measured.
   */
  clockSkewMs: number | null;
  /** Why the server refuses this workstation (state 'refused'): 'revoked' = removed from the clinic. */
  refusal: Refusal['code'] | null;
}

export interface SyncEngineDeps {
  /**
   * Signs as a person with a session open here now: a row renamed after a lost uniqueness race is
   * re-sent signed by its author (electron/sync/conflicts.ts). Default: nobody.
   */
  signerFor?: SignerFor;
  sqlite: Database.Database;
  clock: HybridClock;
  deviceId: string;
  appVersion: string;
  schemaVersion: number;
  now?: () => number;
  /** Tables changed by pulled rows, so open screens refresh. */
  onApplied: (tables: string[]) => void;
  onStatus?: (status: SyncStatus) => void;
  /** A fresh list of the clinic's workstations was saved (the Sync screen refreshes). */
  onDevices?: () => void;
  /** Rows per pull page (each page is one local transaction; 200 keeps each stall of the main process short). */
  pageSize?: number;
  /** How long one slice of a pulled page may hold the main process (default SLICE_MS). */
  sliceMs?: number;
  /** How long to wait for the server to answer one request. */
  timeoutMs?: number;
  checksumEveryMs?: number;
  /** A pull this often while online, in case a poke was lost (another server instance, a blip). */
  pullEveryMs?: number;
}

/**
 * After an outage desks knock again within 10 s (with jitter, so a hundred desks do not arrive at
 * once): at a 60 s cap they took 25 to 34 s to catch up once the server was back.
 */
const MAX_BACKOFF_MS = 10_000;
/** A refusal (revoked, app too old) will not fix itself: knock rarely. */
const REFUSED_BACKOFF_MS = 60_000;
const PULL_EVERY_MS = 30_000;

/**
 * Refusals that retrying soon cannot fix: the device stops and waits (and says so). Any other
 * failure ('invalid': the server could not handle the request, e.g. its database is down) is
 * transient and retried with backoff.
 */
const PERMANENT: ReadonlySet<Refusal['code']> = new Set(['bad_credential', 'unknown_device', 'revoked', 'app_too_old']);

class RefusedError extends Error {
  constructor(
    readonly code: Refusal['code'],
    message: string,
  ) {
    super(message);
  }
}

/** A failed reply as an error: a RefusedError when the server refuses this device for good. */
function failure(reply: Refusal): Error {
  return PERMANENT.has(reply.code) ? new RefusedError(reply.code, reply.message) : new Error(reply.message);
}

/**
 * Runs in the main process beside the app and never blocks it for long: pushes the outbox,
 * pulls by cursor a page at a time, applied in slices of a few milliseconds (each one transaction
 * with its cursor), yielding between them,
 * and reconnects with backoff. The app never waits for it.
 */
export class SyncEngine {
  private socket: Socket | null = null;
  private running = false;
  private cycling = false;
  private again = false;
  private backoff = 1_000;
  private reconnectTimer: NodeJS.Timeout | null = null;
  /** After a failed cycle on a live connection (e.g. the server's database is down): try again. */
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelay = 1_000;
  private safetyPull: NodeJS.Timeout | null = null;
  private lastChecksumAt = 0;
  private resynced = new Map<string, number>();
  private status: SyncStatus;
  private readonly now: () => number;

  constructor(private readonly deps: SyncEngineDeps) {
    this.now = deps.now ?? Date.now;
    // What the clock had seen before the app last closed (its own stamps it finds in change_log).
    const seen = readClockSeen(deps.sqlite);
    if (seen) deps.clock.receive(seen);
    this.status = { state: 'off', pending: 0, rejected: 0, lastSyncAt: null, lastError: null, serverUrl: null, clockSkewMs: null, refusal: null };
  }

  getStatus(): SyncStatus {
    return { ...this.status, ...outboxCounts(this.deps.sqlite) };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- async so that a throw while closing arrives as a rejection, as callers await it
  async stop(): Promise<void> {
    this.running = false;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.stopSafetyPull();
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
    this.stopSafetyPull();
    const refused = this.status.state === 'refused';
    if (!refused) this.setStatus({ state: 'offline', lastError: reason });
    if (this.reconnectTimer) return;
    const cap = refused ? REFUSED_BACKOFF_MS : MAX_BACKOFF_MS;
    const wait = Math.min(this.backoff, cap) * (0.75 + Math.random() * 0.5);
    this.backoff = Math.min(this.backoff * 2, cap);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.running) this.connect();
    }, wait);
    this.reconnectTimer.unref?.();
  }

  private async onConnect() {
    const settings = readSyncSettings(this.deps.sqlite);
    const sentAt = this.now();
    const reply = await this.request<Welcome | Refusal>('hello', {
      deviceId: this.deps.deviceId,
      clinicId: settings.clinicId,
      credential: settings.credential,
      protocol: PROTOCOL_VERSION,
      schemaVersion: this.deps.schemaVersion,
      appVersion: this.deps.appVersion,
      pullCursor: settings.pullCursor,
      lastAckedSeq: 0,
    }).catch((e: unknown) => ({ ok: false as const, code: 'invalid' as const, message: (e as Error).message }));
    if (!reply.ok) {
      // The server could not answer (its database is down, the request timed out): try again with backoff.
      if (!PERMANENT.has(reply.code)) return this.onDown(reply.message);
      return this.refuse(reply.code, reply.message);
    }
    this.backoff = 1_000;
    // The server's time was read about halfway through the round trip.
    const clockSkewMs = Math.round((sentAt + this.now()) / 2 - reply.serverTime);
    this.setStatus({ state: 'online', lastError: null, refusal: null, clockSkewMs });
    void this.refreshDevices().catch(() => undefined);
    this.startSafetyPull();
    await this.cycle();
  }

  private startSafetyPull() {
    this.stopSafetyPull();
    this.safetyPull = setInterval(() => this.trigger(), this.deps.pullEveryMs ?? PULL_EVERY_MS);
    this.safetyPull.unref?.();
  }

  private stopSafetyPull() {
    if (this.safetyPull) clearInterval(this.safetyPull);
    this.safetyPull = null;
  }

  /** A refusal (bad credential, revoked, app too old) will not fix itself by retrying quickly. */
  private refuse(code: Refusal['code'], message: string) {
    this.setStatus({ state: 'refused', lastError: message, refusal: code });
    this.backoff = REFUSED_BACKOFF_MS;
    this.socket?.disconnect();
  }

  private request<T>(event: string, payload: unknown): Promise<T> {
    const socket = this.socket;
    if (!socket?.connected) return Promise.reject(new Error('not connected'));
    return socket.timeout(this.deps.timeoutMs ?? 10_000).emitWithAck(event, payload) as Promise<T>;
  }

  /**
   * One request over the open, greeted connection (the ABDM desk channel, shared/abdm-desk.ts):
   * the answer, or null when this desk is not online with the server (the caller says so plainly).
   * ABDM's own calls take a while, hence a longer wait than sync's.
   */
  async ask(event: string, payload: unknown, timeoutMs = 60_000): Promise<unknown> {
    const socket = this.socket;
    if (!socket?.connected || this.status.state !== 'online') return null;
    try {
      return (await socket.timeout(timeoutMs).emitWithAck(event, payload)) as unknown;
    } catch {
      return null;
    }
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
        await this.pullGrownTables(); // before the main pull: a new desk (cursor 0) only records its lists
        await this.pullAll();
        if (this.now() - this.lastChecksumAt > (this.deps.checksumEveryMs ?? 5 * 60_000)) await this.verify();
      } while (this.again && this.socket?.connected);
      this.retryDelay = 1_000;
      this.setStatus({ lastSyncAt: this.now(), lastError: null });
    } catch (error) {
      if (error instanceof RefusedError) this.refuse(error.code, error.message);
      else {
        this.setStatus({ lastError: error instanceof Error ? error.message : String(error) });
        this.scheduleRetry();
      }
    } finally {
      this.cycling = false;
    }
  }

  /**
   * Nothing else would sync the outbox again until the next local write, poke or the periodic
   * flush: a failed cycle is retried after 1 s, 2 s, 4 s ... up to 10 s (with jitter).
   */
  private scheduleRetry() {
    if (!this.running || this.retryTimer) return;
    const wait = Math.min(this.retryDelay, MAX_BACKOFF_MS) * (0.75 + Math.random() * 0.5);
    this.retryDelay = Math.min(this.retryDelay * 2, MAX_BACKOFF_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.trigger();
    }, wait);
    this.retryTimer.unref?.();
  }

  private waitIdle(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (this.cycling ? setTimeout(check, 20) : resolve());
      check();
    });
  }

  /**
   * Asks the server for the clinic's workstations and keeps the list in local_meta, so the Sync
   * screen still has the last known list offline. Resolves false when not connected.
   */
  async refreshDevices(): Promise<boolean> {
    if (!this.socket?.connected) return false;
    const reply = await this.request<DevicesReply>('devices', {});
    if (!reply.ok) {
      if (PERMANENT.has(reply.code)) this.refuse(reply.code, reply.message);
      return false;
    }
    const before = readKnownDevices(this.deps.sqlite);
    writeKnownDevices(this.deps.sqlite, reply.devices, this.now(), reply.firstKeys);
    // Announced only when it differs: every screen refetches on an announcement, and the Sync
    // screen's refetch asks for the list again, which must not go round for ever.
    if (JSON.stringify([before?.devices, before?.firstKeys ?? []]) !== JSON.stringify([reply.devices, reply.firstKeys ?? []])) this.deps.onDevices?.();
    return true;
  }

  private async pushAll() {
    sendAwaitingRows(this.deps.sqlite, this.deps.signerFor ?? (() => null), this.deps.clock);
    for (;;) {
      const batch = pendingBatch(this.deps.sqlite);
      if (batch.length === 0) return;
      const ack = await this.request<Ack>('push', { changes: batch });
      if (!ack.ok) throw failure(ack);
      recordAcks(this.deps.sqlite, ack.results, this.now());
      setAsideLosses(this.deps.sqlite, ack.results, { deviceId: this.deps.deviceId, clock: this.deps.clock, now: this.now() });
      resolveUniqueLosses(this.deps.sqlite, ack.results, this.deps.clock, this.now(), this.deps.signerFor);
      settleRetries(this.deps.sqlite, ack.results, this.now());
      this.setStatus({});
      // Nothing in this batch could be judged yet (its authors are not on the server): try next cycle.
      if (ack.results.every((r) => r.retry)) return;
      await new Promise((r) => setImmediate(r));
    }
  }

  private async pullAll(table?: string) {
    let cursor = table ? 0 : readSyncSettings(this.deps.sqlite).pullCursor;
    for (;;) {
      const page = await this.request<Pulled>('pull', { cursor, limit: this.deps.pageSize ?? 200, ...(table ? { table } : {}) });
      if (!page.ok) throw failure(page);
      if (page.rows.length > 0) {
        // A table resync re-reads old rows; it must not move the main cursor backwards.
        const keep = table ? readSyncSettings(this.deps.sqlite).pullCursor : page.nextCursor;
        const touched = await applyPulledInSlices(this.deps.sqlite, page.rows, keep, this.deps.clock, table !== undefined, this.deps.sliceMs);
        if (touched.length > 0) this.deps.onApplied(touched);
        // A row this desk cannot store holds the pull right before it (see applyPulled): the next
        // cycle pushes (a fix may be waiting) and tries again from there.
        const held = readHeldPull(this.deps.sqlite);
        if (held && page.rows.some((r) => r.seq === held.seq)) return;
      }
      cursor = page.nextCursor;
      if (!page.hasMore) return;
      await new Promise((r) => setImmediate(r));
    }
  }

  /** Reads again, once, each table this version knows more columns of than the last (see grown-tables). */
  private async pullGrownTables() {
    for (const table of grownTables(this.deps.sqlite, readSyncSettings(this.deps.sqlite).pullCursor)) {
      await this.pullAll(table);
      markTableWhole(this.deps.sqlite, table);
    }
  }

  /** Compares fingerprints with the server; a table that differs is read again, at most once an hour. */
  private async verify() {
    this.lastChecksumAt = this.now();
    if (pendingBatch(this.deps.sqlite, 1).length > 0) return; // not comparable while changes are in flight
    // In slices, between which the app keeps answering: a large clinic's tables take seconds.
    const tables = await localChecksumsInSlices(this.deps.sqlite);
    if (Object.keys(tables).length === 0) return;
    const reply = await this.request<ChecksumReply>('checksum', { tables });
    if (!reply.ok) {
      if (PERMANENT.has(reply.code)) throw failure(reply);
      return; // advisory: a server that cannot answer now is asked again next time
    }
    for (const table of reply.mismatched) {
      const last = this.resynced.get(table) ?? 0;
      if (this.now() - last < 3600_000) continue;
      this.resynced.set(table, this.now());
      await this.pullAll(table);
    }
  }
}
