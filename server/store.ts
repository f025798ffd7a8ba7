import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Role } from '../db/schema/enums';
import { fingerprint } from '../electron/sync/checksum';
import { HybridClock, parseHlc } from '../electron/sync/hlc';
import { MAX_CLOCK_AHEAD_MS, type Change, type ChangeResult, type PulledRow } from '../electron/sync/protocol';
import { SYNCED_TABLES, columnsOf } from '../electron/sync/tables';
import type { ServerDb } from './db/open';
import { appliedChanges, clinics, devices, enrolmentCodes, rows, slotHolds } from './db/schema';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];
type Device = typeof devices.$inferSelect;

const hash = (s: string) => createHash('sha256').update(s).digest('hex');
const ACTIVE_APPOINTMENT = new Set(['scheduled', 'confirmed', 'checked-in', 'in-consultation', 'completed']);

export class ServerError extends Error {
  constructor(
    readonly code: 'bad_credential' | 'unknown_device' | 'revoked' | 'invalid' | 'not_found',
    message: string,
  ) {
    super(message);
  }
}

/** The central store: enrolment, applying pushed changes exactly once, pulls by cursor, checksums. */
export class SyncStore {
  private readonly clock: HybridClock;

  constructor(
    private readonly db: ServerDb,
    private readonly now: () => number = Date.now,
  ) {
    this.clock = new HybridClock('server', now);
  }

  async createClinic(name: string): Promise<string> {
    const id = uuidv7();
    await this.db.insert(clinics).values({ id, name });
    return id;
  }

  /** A one-time code for enrolling a workstation; only its hash is kept. */
  async createEnrolmentCode(clinicId: string, deviceName: string, ttlMs = 24 * 3600_000): Promise<string> {
    const clinic = await this.db.select().from(clinics).where(eq(clinics.id, clinicId));
    if (clinic.length === 0) throw new ServerError('not_found', 'No such clinic');
    const code = randomBytes(6).toString('base64url').toUpperCase().replace(/[^A-Z0-9]/g, 'X').slice(0, 8);
    await this.db.insert(enrolmentCodes).values({ codeHash: hash(code), clinicId, deviceName, expiresAt: new Date(this.now() + ttlMs) });
    return code;
  }

  /** Trades a one-time code for a long-lived device credential and a series prefix. */
  async enrol(code: string, deviceId: string): Promise<{ clinicId: string; credential: string; seriesPrefix: string; deviceName: string }> {
    return this.db.transaction(async (tx) => {
      const [entry] = await tx.select().from(enrolmentCodes).where(eq(enrolmentCodes.codeHash, hash(code.trim().toUpperCase())));
      if (!entry || entry.usedByDevice || entry.expiresAt.getTime() < this.now()) {
        throw new ServerError('bad_credential', 'This enrolment code is not valid (wrong, used or expired). Ask for a new one.');
      }
      const existing = await tx.select().from(devices).where(eq(devices.id, deviceId));
      if (existing.length > 0) throw new ServerError('invalid', 'This workstation is already enrolled.');
      const taken = new Set((await tx.select({ p: devices.seriesPrefix }).from(devices).where(eq(devices.clinicId, entry.clinicId))).map((d) => d.p));
      const seriesPrefix = nextPrefix(taken);
      const credential = randomBytes(32).toString('base64url');
      await tx.insert(devices).values({ id: deviceId, clinicId: entry.clinicId, name: entry.deviceName, credentialHash: hash(credential), seriesPrefix });
      await tx.update(enrolmentCodes).set({ usedByDevice: deviceId }).where(eq(enrolmentCodes.codeHash, entry.codeHash));
      return { clinicId: entry.clinicId, credential, seriesPrefix, deviceName: entry.deviceName };
    });
  }

  async authenticate(deviceId: string, clinicId: string, credential: string): Promise<Device> {
    const [device] = await this.db.select().from(devices).where(eq(devices.id, deviceId));
    if (!device || device.clinicId !== clinicId) throw new ServerError('unknown_device', 'This workstation is not enrolled with the server.');
    if (device.revokedAt) throw new ServerError('revoked', 'This workstation has been removed from the clinic.');
    const a = Buffer.from(device.credentialHash);
    const b = Buffer.from(hash(credential));
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new ServerError('bad_credential', 'The workstation credential is not valid.');
    await this.db.update(devices).set({ lastSeenAt: new Date(this.now()) }).where(eq(devices.id, deviceId));
    return device;
  }

  /** A device already authenticated on this connection, checked again (it may have been revoked since). */
  async authenticateKnown(deviceId: string, clinicId: string): Promise<Device> {
    const [device] = await this.db.select().from(devices).where(eq(devices.id, deviceId));
    if (!device || device.clinicId !== clinicId) throw new ServerError('unknown_device', 'This workstation is not enrolled with the server.');
    if (device.revokedAt) throw new ServerError('revoked', 'This workstation has been removed from the clinic.');
    return device;
  }

  async cursorOf(clinicId: string): Promise<number> {
    const [r] = await this.db.select({ max: sql<string | null>`max(${rows.seq})` }).from(rows).where(eq(rows.clinicId, clinicId));
    return Number(r?.max ?? 0);
  }

  /**
   * Applies a push in one transaction under the clinic's lock. Each change id is recorded with its
   * outcome in the same transaction, so a replay (after a lost ack, in any order) changes nothing
   * and gets the same answer. Changes the server can never accept are recorded as rejected.
   */
  async applyPush(device: Device, changes: Change[]): Promise<ChangeResult[]> {
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${device.clinicId}))`);
      const results: ChangeResult[] = [];
      for (const change of changes) results.push(await this.applyOne(tx, device, change));
      return results;
    });
  }

  private async applyOne(tx: Tx, device: Device, change: Change): Promise<ChangeResult> {
    const [seen] = await tx.select().from(appliedChanges).where(eq(appliedChanges.changeId, change.id));
    if (seen) {
      return { id: change.id, status: 'duplicate', ...(seen.status === 'rejected' ? { reason: seen.reason ?? 'rejected' } : {}), hlc: seen.hlc };
    }
    const record = async (status: 'applied' | 'rejected', hlc: string, reason: string | null, restamped = false) => {
      await tx.insert(appliedChanges).values({ changeId: change.id, clinicId: device.clinicId, deviceId: device.id, tableName: change.table, rowId: change.rowId, status, reason, hlc, restamped });
    };
    const problem = await this.validate(tx, device.clinicId, change);
    if (problem) {
      await record('rejected', change.hlc, problem);
      return { id: change.id, status: 'rejected', reason: problem };
    }
    // A clock far ahead would win every later edit: the server gives such a change its own time.
    let hlc = change.hlc;
    let restamped = false;
    if (parseHlc(hlc).wallMs > this.now() + MAX_CLOCK_AHEAD_MS) {
      hlc = this.clock.tick();
      restamped = true;
    } else {
      this.clock.receive(hlc);
    }
    const columns = { ...change.columns, ...('hlc' in change.columns ? { hlc } : {}) };
    const spec = SYNCED_TABLES[change.table]!;
    const [existing] = await tx
      .select()
      .from(rows)
      .where(and(eq(rows.clinicId, device.clinicId), eq(rows.tableName, change.table), eq(rows.rowId, change.rowId)));
    if (spec.kind === 'ledger' && existing) {
      // Ledger rows are written once; a second insert of the same row is the same money, not more.
      await record('applied', hlc, 'already present', restamped);
      return { id: change.id, status: 'applied', hlc };
    }
    const data: Record<string, unknown> = { ...(existing?.data ?? {}) };
    const fieldHlc: Record<string, string> = { ...(existing?.fieldHlc ?? {}) };
    for (const [col, value] of Object.entries(columns)) {
      const current = fieldHlc[col];
      if (current === undefined || hlc > current) {
        data[col] = value;
        fieldHlc[col] = hlc;
      }
    }
    const rowHlc = existing && existing.hlc > hlc ? existing.hlc : hlc;
    await this.upsertRow(tx, device.clinicId, change.table, change.rowId, data, fieldHlc, rowHlc);
    if (change.table === 'appointments') await this.holdSlot(tx, device.clinicId, change.rowId, data, fieldHlc);
    await record('applied', hlc, null, restamped);
    return { id: change.id, status: 'applied', hlc };
  }

  private async upsertRow(tx: Tx, clinicId: string, table: string, rowId: string, data: Record<string, unknown>, fieldHlc: Record<string, string>, hlc: string) {
    // Both drivers (node-postgres, PGlite) answer execute() with { rows }.
    const result = (await tx.execute(sql`SELECT nextval('change_seq')::bigint AS seq`)) as unknown as { rows: { seq: string | number }[] };
    const seq = result.rows[0]!.seq;
    const values = { clinicId, tableName: table, rowId, data, fieldHlc, hlc, seq: Number(seq) };
    await tx
      .insert(rows)
      .values(values)
      .onConflictDoUpdate({ target: [rows.clinicId, rows.tableName, rows.rowId], set: { data, fieldHlc, hlc, seq: Number(seq) } });
  }

  /** Why a change can never be applied, or null. */
  private async validate(tx: Tx, clinicId: string, change: Change): Promise<string | null> {
    const spec = SYNCED_TABLES[change.table];
    if (!spec) return `${change.table} is not a synced table`;
    if (spec.kind === 'ledger' && change.op !== 'insert') return `${change.table} rows are insert-only`;
    try {
      parseHlc(change.hlc);
    } catch {
      return 'the change has no valid clock stamp';
    }
    const known = new Set(columnsOf(change.table).map((c) => c.name));
    const unknown = Object.keys(change.columns).filter((c) => !known.has(c));
    if (unknown.length > 0) return `unknown column(s) ${unknown.join(', ')} in ${change.table}`;
    if ('id' in change.columns && change.columns.id !== change.rowId) return 'the row id does not match the change';
    if (spec.writers === 'any') return null;
    if (change.userId === null) {
      // The first administrator and the clinic itself are written before anyone can log in.
      const bootstrap = (change.table === 'users' || change.table === 'facility') && !(await this.hasUsers(tx, clinicId));
      return bootstrap ? null : `a change to ${change.table} must come from a logged-in user`;
    }
    const [user] = await tx
      .select({ data: rows.data })
      .from(rows)
      .where(and(eq(rows.clinicId, clinicId), eq(rows.tableName, 'users'), eq(rows.rowId, change.userId)));
    if (!user) return 'the user who made the change is not known to the server';
    const roles = (user.data.roles as Role[] | undefined) ?? [];
    if (!roles.some((r) => (spec.writers as readonly Role[]).includes(r))) {
      return `a ${roles.join('/') || 'user'} may not change ${change.table}`;
    }
    return null;
  }

  private async hasUsers(tx: Tx, clinicId: string): Promise<boolean> {
    const [u] = await tx.select({ id: rows.rowId }).from(rows).where(and(eq(rows.clinicId, clinicId), eq(rows.tableName, 'users'))).limit(1);
    return u !== undefined;
  }

  /**
   * Two workstations can book the last place in a slot while offline. The server keeps the places
   * in the order it receives bookings: the first ones hold, a booking beyond the slot's capacity is
   * marked needs-rebook (a change of the server's own, which every device then pulls).
   */
  private async holdSlot(tx: Tx, clinicId: string, appointmentId: string, data: Record<string, unknown>, fieldHlc: Record<string, string>) {
    const status = String(data.status ?? '');
    if (!ACTIVE_APPOINTMENT.has(status)) {
      await tx.delete(slotHolds).where(and(eq(slotHolds.clinicId, clinicId), eq(slotHolds.appointmentId, appointmentId)));
      return;
    }
    const [held] = await tx.select().from(slotHolds).where(and(eq(slotHolds.clinicId, clinicId), eq(slotHolds.appointmentId, appointmentId)));
    if (held) return;
    const key = `${String(data.doctor_id)}|${String(data.date)}|${String(data.start)}`;
    const holders = await tx.select({ id: slotHolds.appointmentId }).from(slotHolds).where(and(eq(slotHolds.clinicId, clinicId), eq(slotHolds.slotKey, key)));
    const capacity = await this.slotCapacity(tx, clinicId, String(data.doctor_id), String(data.date), String(data.start));
    if (holders.length < capacity) {
      await tx.insert(slotHolds).values({ clinicId, slotKey: key, appointmentId });
      return;
    }
    const stamp = this.clock.tick();
    const next = { ...data, status: 'needs-rebook', hlc: stamp, updated_at: this.now() };
    const nextHlc = { ...fieldHlc, status: stamp, hlc: stamp, updated_at: stamp };
    await this.upsertRow(tx, clinicId, 'appointments', appointmentId, next, nextHlc, stamp);
  }

  private async slotCapacity(tx: Tx, clinicId: string, doctorId: string, date: string, start: string): Promise<number> {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    const sittings = await tx
      .select({ data: rows.data })
      .from(rows)
      .where(
        and(
          eq(rows.clinicId, clinicId),
          eq(rows.tableName, 'doctor_schedules'),
          sql`${rows.data}->>'doctor_id' = ${doctorId}`,
          sql`(${rows.data}->>'weekday')::int = ${weekday}`,
          sql`${rows.data}->>'deleted_at' IS NULL`,
        ),
      );
    const sitting = sittings.map((s) => s.data).find((d) => String(d.start) <= start && start < String(d.end));
    return Number(sitting?.max_per_slot ?? 1);
  }

  /** Rows changed after a cursor, in cursor order; optionally one table only (a resync). */
  async pull(clinicId: string, cursor: number, limit: number, table?: string): Promise<{ rows: PulledRow[]; nextCursor: number; hasMore: boolean }> {
    const where = [eq(rows.clinicId, clinicId), gt(rows.seq, cursor)];
    if (table) where.push(eq(rows.tableName, table));
    const found = await this.db.select().from(rows).where(and(...where)).orderBy(asc(rows.seq)).limit(limit + 1);
    const page = found.slice(0, limit);
    return {
      rows: page.map((r) => ({ table: r.tableName, rowId: r.rowId, data: r.data, fieldHlc: r.fieldHlc, seq: r.seq })),
      nextCursor: page.at(-1)?.seq ?? cursor,
      hasMore: found.length > limit,
    };
  }

  /** Fingerprints of every synced table of a clinic, from the merged rows. */
  async checksums(clinicId: string): Promise<Record<string, { count: number; hash: string }>> {
    const all = await this.db.select({ table: rows.tableName, id: rows.rowId, hlc: rows.hlc }).from(rows).where(eq(rows.clinicId, clinicId));
    const out: Record<string, { count: number; hash: string }> = {};
    for (const table of Object.keys(SYNCED_TABLES)) out[table] = fingerprint(all.filter((r) => r.table === table));
    return out;
  }

  async rejectedChanges(clinicId: string) {
    return this.db
      .select()
      .from(appliedChanges)
      .where(and(eq(appliedChanges.clinicId, clinicId), eq(appliedChanges.status, 'rejected')));
  }

  async deviceCount(): Promise<number> {
    const [r] = await this.db.select({ n: sql<number>`count(*)::int` }).from(devices).where(isNull(devices.revokedAt));
    return r?.n ?? 0;
  }
}

function nextPrefix(taken: Set<string>): string {
  for (let n = 0; ; n++) {
    let s = '';
    let k = n;
    do {
      s = String.fromCharCode(65 + (k % 26)) + s;
      k = Math.floor(k / 26) - 1;
    } while (k >= 0);
    if (!taken.has(s)) return s;
  }
}
