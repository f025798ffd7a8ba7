import { and, eq, sql } from 'drizzle-orm';
import type { ServerDb } from './db/open';
import { rows, slotHolds } from './db/schema';
import { rowKey, writeRows, type PushBatch, type RowState } from './push-batch';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];

const ACTIVE_APPOINTMENT = new Set(['scheduled', 'confirmed', 'checked-in', 'in-consultation', 'completed']);

/** What holdSlot needs of the push being applied (server/store.ts). */
export interface SlotDeps {
  tx: Tx;
  clinicId: string;
  batch: PushBatch;
  /** The server's clock, for a verdict on a booking that carries no status stamp. */
  tick: () => string;
  now: () => number;
  /** Sets a row's merged version in the batch (store.ts setRow). */
  setRow: (table: string, rowId: string, state: RowState) => void;
}

/**
 * Two workstations can book the last place in a slot while offline. The server keeps the places
 * in the order it receives bookings: the first ones hold, a booking beyond the slot's capacity is
 * marked needs-rebook (a change of the server's own, which every device then pulls). It runs
 * after every change to a booking, so a booking made active again is judged again.
 */
export async function holdSlot(deps: SlotDeps, appointmentId: string, data: Record<string, unknown>, fieldHlc: Record<string, string>): Promise<void> {
  const { tx, clinicId, batch } = deps;
  const status = typeof data.status === 'string' ? data.status : '';
  if (!ACTIVE_APPOINTMENT.has(status)) {
    await tx.delete(slotHolds).where(and(eq(slotHolds.clinicId, clinicId), eq(slotHolds.appointmentId, appointmentId)));
    return;
  }
  const [held] = await tx.select().from(slotHolds).where(and(eq(slotHolds.clinicId, clinicId), eq(slotHolds.appointmentId, appointmentId)));
  if (held) return;
  const key = `${String(data.doctor_id)}|${String(data.date)}|${String(data.start)}`;
  const holders = await tx.select({ id: slotHolds.appointmentId }).from(slotHolds).where(and(eq(slotHolds.clinicId, clinicId), eq(slotHolds.slotKey, key)));
  const capacity = await slotCapacity(tx, clinicId, batch, String(data.doctor_id), String(data.date), String(data.start));
  if (holders.length < capacity) {
    await tx.insert(slotHolds).values({ clinicId, slotKey: key, appointmentId });
    return;
  }
  // The verdict is stamped just after the change that made the booking active (the smallest
  // stamp above it), not with the server's time: it overrides that booking, but whatever a desk
  // did to the booking later (cancelled it offline, checked the patient in) still wins by clock
  // order and is judged again here.
  const stamp = `${fieldHlc.status ?? deps.tick()}+rebook`;
  const next: Record<string, unknown> = { ...data };
  const nextHlc: Record<string, string> = { ...fieldHlc };
  for (const [col, value] of Object.entries({ status: 'needs-rebook', hlc: stamp, updated_at: deps.now() })) {
    const current = nextHlc[col];
    if (current === undefined || stamp > current) {
      next[col] = value;
      nextHlc[col] = stamp;
    }
  }
  const rowHlc = batch.rows.get(rowKey('appointments', appointmentId))?.hlc ?? stamp;
  deps.setRow('appointments', appointmentId, { data: next, fieldHlc: nextHlc, hlc: rowHlc > stamp ? rowHlc : stamp });
}

async function slotCapacity(tx: Tx, clinicId: string, batch: PushBatch, doctorId: string, date: string, start: string): Promise<number> {
  // The sittings are found by a query on their contents, which would not see a timetable this
  // same push changed and has not written yet.
  if ([...batch.dirty.values()].some((d) => d.table === 'doctor_schedules')) await writeRows(tx, clinicId, batch);
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
