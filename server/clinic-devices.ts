import { and, asc, eq, isNull } from 'drizzle-orm';
import { localDate } from '../shared/clinic-time';
import { parseHlc } from '../shared/hlc';
import { MAX_CLOCK_AHEAD_MS, type Change, type ChangeResult, type DeviceInfo } from '../shared/sync-protocol';
import type { ServerDb } from './db/open';
import { devices, rows } from './db/schema';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];

/** The synced ledger an administrator's "remove this workstation" writes (db/sync-tables.ts). */
export const REVOCATIONS = 'device_revocations';
/** The clinic's zone when its facility row names none (the clinic's dates are Indian dates). */
export const DEFAULT_TIME_ZONE = 'Asia/Kolkata';

/** A clinic's enrolled workstations, oldest first, for its administrators. */
export async function listDevices(db: ServerDb, clinicId: string): Promise<DeviceInfo[]> {
  const found = await db.select().from(devices).where(eq(devices.clinicId, clinicId)).orderBy(asc(devices.enrolledAt), asc(devices.seriesPrefix));
  return found.map((d) => ({
    id: d.id,
    name: d.name,
    seriesPrefix: d.seriesPrefix,
    enrolledAt: d.enrolledAt.getTime(),
    lastSeenAt: d.lastSeenAt?.getTime() ?? null,
    revokedAt: d.revokedAt?.getTime() ?? null,
    appVersion: d.appVersion,
  }));
}

/**
 * Applying a device_revocations row revokes the workstation it names, in the push's transaction:
 * from the commit on, its hello, pushes and pulls are refused. A device of another clinic (or none)
 * is left alone.
 */
export async function revokeNamedDevice(tx: Tx, clinicId: string, columns: Record<string, unknown>, at: Date): Promise<void> {
  const target = columns.revoked_device_id;
  if (typeof target !== 'string') return;
  await tx
    .update(devices)
    .set({ revokedAt: at })
    .where(and(eq(devices.id, target), eq(devices.clinicId, clinicId), isNull(devices.revokedAt)));
}

/** The workstations a push revoked (applied revocation rows), to disconnect once it has committed. */
export function revokedBy(changes: Change[], results: ChangeResult[]): string[] {
  return changes
    .filter((c, i) => c.table === REVOCATIONS && results[i]?.status === 'applied' && typeof c.columns.revoked_device_id === 'string')
    .map((c) => String(c.columns.revoked_device_id));
}

/**
 * The business date each table's rows carry, which a desk takes from its own clock: a date after
 * the server's own date means that desk's clock runs ahead. Appointments are booked for later days
 * as a matter of course, so theirs counts only when the change's clock stamp is ahead too.
 */
const BUSINESS_DATES: Record<string, { column: string; onlyWhenStampAhead?: boolean }> = {
  visits: { column: 'date' },
  appointments: { column: 'date', onlyWhenStampAhead: true },
  payments: { column: 'received_on' },
  refunds: { column: 'refunded_on' },
  invoices: { column: 'issued_on' },
};

/** Whether a change needs the clinic's date at all (so the facility row is read only then). */
export function carriesBusinessDate(change: Change): boolean {
  const spec = BUSINESS_DATES[change.table];
  return spec !== undefined && typeof change.columns[spec.column] === 'string';
}

/**
 * A warning for a change dated after the server's date in the clinic's zone, or null. Never a
 * refusal: the payment happened, whatever the desk's calendar said.
 */
export function businessDateWarning(change: Change, serverNow: number, timeZone: string): string | null {
  const spec = BUSINESS_DATES[change.table];
  const date = spec ? change.columns[spec.column] : undefined;
  if (!spec || typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  if (spec.onlyWhenStampAhead) {
    let wallMs: number;
    try {
      wallMs = parseHlc(change.hlc).wallMs;
    } catch {
      return null;
    }
    if (wallMs <= serverNow + MAX_CLOCK_AHEAD_MS) return null;
  }
  const today = localDate(serverNow, timeZone);
  return date > today ? `Dated ${date}, after the server's date ${today}: check this computer's clock` : null;
}

/** The clinic's time zone: its facility row's, if it names one; India otherwise. */
export async function clinicTimeZone(tx: Tx, clinicId: string): Promise<string> {
  const [f] = await tx.select({ data: rows.data }).from(rows).where(and(eq(rows.clinicId, clinicId), eq(rows.tableName, 'facility'))).limit(1);
  const zone = f?.data.time_zone;
  if (typeof zone !== 'string' || !zone) return DEFAULT_TIME_ZONE;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}
