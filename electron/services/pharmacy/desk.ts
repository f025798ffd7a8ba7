import { and, eq, isNull, sql } from 'drizzle-orm';
import { drugs, patients, users, visits } from '../../../db/schema';
import type { PrescriptionItem } from '../../../shared/clinical';
import { dispensableQuantity } from '../../../shared/dispensable';
import { ApiFailure } from '../../core/context';
import { displayName } from '../patient-search';
import { dispensedByItem, drugLabel, prescriptionOfVisit } from './dispense';
import { batchesOf, type Ctx } from './stock';

/* What the pharmacist's screen reads: today's prescriptions waiting, one visit's choices, the sales to return from. */

interface WaitingSql {
  visitId: string;
  patientId: string;
  givenName: string;
  familyName: string | null;
  mrn: string;
  tokenLabel: string;
  doctorName: string | null;
  prescriptionId: string;
  rxNumber: string;
  items: string;
  writtenAt: number;
}

/**
 * Items still to give: a counted item with units open, or an uncounted one (no quantity, or ml of a
 * syrup whose pack is unknown) nothing is kept of (`given` is less what came back).
 */
function openItems(items: PrescriptionItem[], given: Map<number, number>): number {
  return items.filter((item, i) => {
    const prescribed = dispensableQuantity(item);
    const kept = given.get(i) ?? 0;
    return prescribed === null ? kept <= 0 : prescribed - kept > 0;
  }).length;
}

/**
 * Today's visits whose prescription still has something to give, newest prescription first. The
 * day's list is small (one clinic's patients), so the screen filters it as the pharmacist types.
 */
export function waitingToday(ctx: Ctx) {
  const rows = ctx.sqlite
    .prepare(
      `SELECT v.id AS visitId, v.patient_id AS patientId, p.given_name AS givenName, p.family_name AS familyName, p.mrn, v.token_label AS tokenLabel,
         u.full_name AS doctorName, rx.id AS prescriptionId, rx.rx_number AS rxNumber, rx.items, rx.updated_at AS writtenAt
       FROM prescriptions rx JOIN visits v ON v.id = rx.visit_id JOIN patients p ON p.id = v.patient_id LEFT JOIN users u ON u.id = rx.doctor_id
       WHERE v.date = ? AND rx.deleted_at IS NULL AND v.deleted_at IS NULL
       ORDER BY rx.created_at DESC, rx.id DESC`,
    )
    .all(ctx.today()) as WaitingSql[];
  return rows.flatMap((r) => {
    const items = JSON.parse(r.items) as PrescriptionItem[];
    const open = openItems(items, dispensedByItem(ctx, r.prescriptionId));
    if (items.length === 0 || open === 0) return [];
    return [
      {
        visitId: r.visitId,
        patientId: r.patientId,
        patientName: displayName(r),
        mrn: r.mrn,
        tokenLabel: r.tokenLabel,
        doctorName: r.doctorName ?? 'Unknown doctor',
        rxNumber: r.rxNumber,
        items: items.length,
        open,
        drugs: items.map((i) => drugLabel(i)).join(', '),
        writtenAt: r.writtenAt,
      },
    ];
  });
}

const norm = (s: string | null | undefined) => (s ?? '').trim().toLowerCase().replace(/\s+/g, ' ');

/** The drugs that may be given for an item: the one prescribed first, then same generic, strength and form; each with its usable batches. */
function choicesFor(ctx: Ctx, item: PrescriptionItem) {
  const today = ctx.today();
  const same = ctx.db
    .select()
    .from(drugs)
    .where(and(isNull(drugs.deletedAt), sql`lower(trim(${drugs.genericName})) = ${norm(item.genericName)}`))
    .all()
    .filter((d) => norm(d.strength) === norm(item.strength) && norm(d.form) === norm(item.form));
  same.sort((a, b) => Number(b.id === item.drugId) - Number(a.id === item.drugId));
  return same.map((d) => ({
    drugId: d.id,
    label: `${d.brandNames[0] ?? d.genericName} (${drugLabel(d)})`,
    schedule: d.schedule,
    prescribed: d.id === item.drugId,
    batches: batchesOf(ctx.sqlite, d.id)
      .filter((b) => b.expiry >= today && b.onHand > 0)
      .map((b) => ({ batchId: b.batchId, batchNumber: b.batchNumber, expiry: b.expiry, onHand: b.onHand, mrpPaise: b.mrpPaise, packSize: b.packSize })),
  }));
}

function addressOf(p: { addressLine1: string | null; addressLine2: string | null; city: string | null; district: string | null; state: string | null; pincode: string | null }): string {
  return [p.addressLine1, p.addressLine2, p.city, p.district, p.state, p.pincode].filter((s) => s && s.trim()).join(', ');
}

/**
 * One visit as the dispensing desk needs it beside pharmacy.prescription: the patient (and whether
 * the address the H1 register asks for is there), the doctor, and per item the drugs that may be
 * given (the one prescribed, same-generic substitutes) with their unexpired batches in stock.
 */
export function visitForDispense(ctx: Ctx, visitId: string) {
  const visit = ctx.db.select().from(visits).where(eq(visits.id, visitId)).get();
  if (!visit || visit.deletedAt !== null) throw new ApiFailure('not_found', 'No such visit.', { visitId: 'No such visit' });
  const rx = prescriptionOfVisit(ctx, visitId);
  const p = ctx.db.select().from(patients).where(eq(patients.id, visit.patientId)).get();
  const doctor = ctx.db.select({ name: users.fullName }).from(users).where(eq(users.id, rx.doctorId)).get();
  return {
    visitId,
    patientId: visit.patientId,
    patientName: p ? displayName(p) : 'Unknown patient',
    mrn: p?.mrn ?? '',
    address: p ? addressOf(p) : '',
    doctorName: doctor?.name ?? 'Unknown doctor',
    tokenLabel: visit.tokenLabel,
    items: rx.items.map((item, i) => ({ itemIndex: i, brand: item.brand, dose: item.dose, frequency: item.frequency, durationDays: item.durationDays, choices: choicesFor(ctx, item) })),
  };
}

interface SaleSql {
  dispenseId: string;
  kind: 'prescription' | 'otc';
  visitId: string | null;
  patientId: string | null;
  dispensedOn: string;
  lineId: string;
  description: string;
  qty: number;
  returned: number;
  substitutedFrom: string | null;
  h1: number;
}

/** A visit's or a day's dispenses with their lines (exported for the query-plan test: both filters have an index). */
export const SALES_SQL = (where: string) => `SELECT d.id AS dispenseId, d.kind, d.visit_id AS visitId, d.patient_id AS patientId, d.dispensed_on AS dispensedOn,
    l.id AS lineId, l.description, l.qty, l.substituted_from AS substitutedFrom,
    (SELECT coalesce(sum(m.qty), 0) FROM stock_movements m WHERE m.ref_id = l.id AND m.kind = 'sale-return') AS returned,
    EXISTS (SELECT 1 FROM h1_register h WHERE h.dispense_line_id = l.id) AS h1
  FROM dispenses d JOIN dispense_lines l ON l.dispense_id = d.id
  WHERE ${where} AND d.deleted_at IS NULL ORDER BY d.created_at, d.id, l.created_at, l.id`;

/**
 * Dispenses with their lines and what came back of each: a visit's (to return from, or to bill), or
 * one day's (the returns desk). Oldest first.
 */
export function salesOf(ctx: Ctx, filter: { visitId?: string | undefined; on?: string | undefined }) {
  const where = filter.visitId ? 'd.visit_id = ?' : 'd.dispensed_on = ?';
  const rows = ctx.sqlite
    .prepare(SALES_SQL(where))
    .all(filter.visitId ?? filter.on ?? ctx.today()) as SaleSql[];
  const out: { dispenseId: string; kind: 'prescription' | 'otc'; visitId: string | null; patientId: string | null; dispensedOn: string; lines: { lineId: string; description: string; qty: number; returned: number; substituted: boolean; h1: boolean }[] }[] = [];
  for (const r of rows) {
    let sale = out.at(-1);
    if (!sale || sale.dispenseId !== r.dispenseId) {
      sale = { dispenseId: r.dispenseId, kind: r.kind, visitId: r.visitId, patientId: r.patientId, dispensedOn: r.dispensedOn, lines: [] };
      out.push(sale);
    }
    sale.lines.push({ lineId: r.lineId, description: r.description, qty: r.qty, returned: r.returned, substituted: r.substitutedFrom !== null, h1: r.h1 === 1 });
  }
  return out;
}
