import { eq } from 'drizzle-orm';
import { dispenseLines, dispenses, drugs, h1Register, prescriptions } from '../../../db/schema';
import type { Row } from '../../../db/write';
import type { PrescriptionItem } from '../../../shared/clinical';
import { dispensableQuantity } from '../../../shared/dispensable';
import { ApiFailure } from '../../core/context';
import { displayName } from '../patient-search';
import { batchWithStock, fefo, move, pharmacyStatement, type BatchStock, type Ctx } from './stock';

/* Dispensing: against a visit's prescription (FEFO, substitutes, partial), or over the counter. */

type DrugRow = Row<typeof drugs>;
/** What dispensing needs of a drug: its label, schedule and first brand (one narrow read, not the whole row). */
type DrugFacts = Pick<DrugRow, 'id' | 'genericName' | 'brandNames' | 'form' | 'strength' | 'schedule'>;
type PrescriptionRow = Row<typeof prescriptions>;

const SCHEDULED = ['H', 'H1', 'X'];

export interface DispenseLineInput {
  /** The prescription item this line gives (required against a prescription). */
  itemIndex?: number | undefined;
  drugId: string;
  quantity: number;
  /** A batch chosen by hand (a scanned strip); otherwise first expiry, first out. */
  batchId?: string | undefined;
}

export interface DispenseInput {
  /** The visit whose prescription is dispensed; none for an over-the-counter sale. */
  visitId?: string | undefined;
  patientId?: string | undefined;
  lines: DispenseLineInput[];
}

const norm = (s: string | null | undefined) => (s ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
export const drugLabel = (d: Pick<DrugRow, 'genericName' | 'strength' | 'form'>) => [d.genericName, d.strength, d.form].filter(Boolean).join(' ');

const DRUG_FACTS = 'SELECT id, generic_name, brand_names, form, strength, schedule FROM drugs WHERE id = ? AND deleted_at IS NULL';

function requireDrug(ctx: Ctx, id: string, field: string): DrugFacts {
  const d = pharmacyStatement(ctx.sqlite, DRUG_FACTS).get(id) as
    | { id: string; generic_name: string; brand_names: string; form: string; strength: string | null; schedule: DrugRow['schedule'] }
    | undefined;
  if (!d) throw new ApiFailure('not_found', 'No such drug in the formulary.', { [field]: 'No such drug' });
  return { id: d.id, genericName: d.generic_name, brandNames: JSON.parse(d.brand_names) as string[], form: d.form, strength: d.strength, schedule: d.schedule };
}

/** What dispensing needs of a prescription (one narrow read by the visit's unique index). */
export type RxFacts = Pick<PrescriptionRow, 'id' | 'visitId' | 'patientId' | 'doctorId' | 'rxNumber' | 'items'>;

export function prescriptionOfVisit(ctx: Pick<Ctx, 'sqlite'>, visitId: string): RxFacts {
  const rx = pharmacyStatement(ctx.sqlite, 'SELECT id, visit_id, patient_id, doctor_id, rx_number, items FROM prescriptions WHERE visit_id = ? AND deleted_at IS NULL').get(visitId) as
    | { id: string; visit_id: string; patient_id: string; doctor_id: string; rx_number: string; items: string }
    | undefined;
  if (!rx) throw new ApiFailure('not_found', 'This visit has no prescription to dispense.', { visitId: 'No prescription' });
  return { id: rx.id, visitId: rx.visit_id, patientId: rx.patient_id, doctorId: rx.doctor_id, rxNumber: rx.rx_number, items: JSON.parse(rx.items) as PrescriptionItem[] };
}

/**
 * Units given against each item of a prescription and kept: a patient's return (a sale-return
 * movement naming the dispense line) is not given, so the item is open again for those units
 * (a crushed strip brought back is given anew against the same prescription).
 */
const GIVEN_BY_ITEM = `SELECT l.item_index AS i,
    sum(l.qty - (SELECT coalesce(sum(m.qty), 0) FROM stock_movements m WHERE m.ref_id = l.id AND m.kind = 'sale-return')) AS q
  FROM dispense_lines l WHERE l.prescription_id = ? GROUP BY l.item_index`;

export function dispensedByItem(ctx: Pick<Ctx, 'sqlite'>, prescriptionId: string): Map<number, number> {
  const rows = pharmacyStatement(ctx.sqlite, GIVEN_BY_ITEM).all(prescriptionId) as { i: number; q: number }[];
  // An item everything of which came back counts as never given (an uncounted one is open again).
  return new Map(rows.filter((r) => r.q > 0).map((r) => [r.i, r.q]));
}

/** The drug given for an item: the one prescribed, or one of the same generic, strength and form (recorded as a substitute). */
function checkSubstitute(item: PrescriptionItem, drug: DrugFacts, i: number): string | null {
  if (item.drugId === drug.id) return null;
  const same = norm(item.genericName) === norm(drug.genericName) && norm(item.strength) === norm(drug.strength) && norm(item.form) === norm(drug.form);
  if (!same) {
    const why = `${drugLabel(drug)} is not the same generic, strength and form as ${drugLabel(item)} prescribed`;
    throw new ApiFailure('conflict', `${why}: only a same-generic substitute may be given.`, { [`lines.${i}.drugId`]: why });
  }
  return item.drugId ?? item.genericName;
}

function picksFor(ctx: Ctx, drug: DrugFacts, line: DispenseLineInput, i: number, today: string): { batch: BatchStock; qty: number }[] {
  if (line.batchId) {
    const found = batchWithStock(ctx.sqlite, line.batchId);
    if (!found) throw new ApiFailure('not_found', 'No such batch.', { [`lines.${i}.batchId`]: 'No such batch' });
    const { drugId, batch: b } = found;
    if (drugId !== drug.id) throw new ApiFailure('invalid_input', `lines.${i}.batchId: Batch ${b.batchNumber} is not ${drugLabel(drug)}`, { [`lines.${i}.batchId`]: 'Another drug’s batch' });
    if (b.expiry < today) throw new ApiFailure('conflict', `Batch ${b.batchNumber} of ${drugLabel(drug)} expired on ${b.expiry}: it cannot be dispensed.`, { [`lines.${i}.batchId`]: 'Expired' });
    if (b.onHand < line.quantity) throw new ApiFailure('conflict', `Only ${Math.max(b.onHand, 0)} units of ${drugLabel(drug)} batch ${b.batchNumber} are on hand.`, { [`lines.${i}.quantity`]: `At most ${Math.max(b.onHand, 0)}` });
    return [{ batch: b, qty: line.quantity }];
  }
  const { picks, short } = fefo(ctx.sqlite, drug.id, line.quantity, today);
  if (short > 0) {
    const have = line.quantity - short;
    throw new ApiFailure('conflict', `Only ${have} units of ${drugLabel(drug)} are in unexpired stock; dispense ${have} now and the rest stays open.`, { [`lines.${i}.quantity`]: `At most ${have}` });
  }
  return picks;
}

interface H1Who {
  patientName: string;
  patientAddress: string;
  prescriberName: string;
  prescriberRegistration: string | null;
}

const PATIENT_EXISTS = 'SELECT 1 FROM patients WHERE id = ? AND deleted_at IS NULL';
const H1_PATIENT = 'SELECT given_name, family_name, address_line1, address_line2, city, district, state, pincode FROM patients WHERE id = ?';
const H1_PRESCRIBER = 'SELECT full_name FROM users WHERE id = ?';
const H1_REGISTRATION = "SELECT registration_council || ' ' || registration_number FROM doctor_profiles WHERE user_id = ?";

/** Who the H1 register names: the patient with their address, the prescriber with their registration (as they are now). */
function h1Who(ctx: Ctx, rx: RxFacts, drug: DrugFacts): H1Who {
  const p = pharmacyStatement(ctx.sqlite, H1_PATIENT).get(rx.patientId) as Record<'given_name' | 'address_line1' | 'address_line2' | 'city' | 'district' | 'state' | 'pincode' | 'family_name', string | null> | undefined;
  const address = p ? [p.address_line1, p.address_line2, p.city, p.district, p.state, p.pincode].filter((s) => s && s.trim()).join(', ') : '';
  if (!p || !address) throw new ApiFailure('conflict', `${drugLabel(drug)} is a Schedule H1 drug: the register needs the patient's address. Ask reception to add it, then dispense.`, { visitId: 'Patient address missing' });
  const doctor = pharmacyStatement(ctx.sqlite, H1_PRESCRIBER, true).get(rx.doctorId) as string | undefined;
  const registration = pharmacyStatement(ctx.sqlite, H1_REGISTRATION, true).get(rx.doctorId) as string | undefined;
  return {
    patientName: displayName({ givenName: p.given_name ?? '', familyName: p.family_name }),
    patientAddress: address,
    prescriberName: doctor ?? 'Unknown doctor',
    prescriberRegistration: registration ?? null,
  };
}

/** Checks each line against the prescription: the item, the substitute and what is still open. */
function checkAgainstRx(ctx: Ctx, rx: RxFacts, input: DispenseInput, lineDrugs: DrugFacts[]): (string | null)[] {
  const given = dispensedByItem(ctx, rx.id);
  return input.lines.map((line, i) => {
    if (line.itemIndex === undefined) throw new ApiFailure('invalid_input', `lines.${i}.itemIndex: Say which prescribed item this line gives`, { [`lines.${i}.itemIndex`]: 'Which prescribed item' });
    const item = rx.items[line.itemIndex];
    if (!item) throw new ApiFailure('invalid_input', `lines.${i}.itemIndex: The prescription has no item ${line.itemIndex + 1}`, { [`lines.${i}.itemIndex`]: 'No such item' });
    const substituted = checkSubstitute(item, lineDrugs[i]!, i);
    // Uncounted items (no quantity, or one in ml) are the pharmacist's judgement: no cap.
    const prescribed = dispensableQuantity(item);
    if (prescribed !== null) {
      const open = prescribed - (given.get(line.itemIndex) ?? 0);
      given.set(line.itemIndex, (given.get(line.itemIndex) ?? 0) + line.quantity);
      if (line.quantity > open) {
        throw new ApiFailure('conflict', `Only ${Math.max(open, 0)} of the ${prescribed} units of ${drugLabel(item)} prescribed are still to be dispensed.`, { [`lines.${i}.quantity`]: `At most ${Math.max(open, 0)}` });
      }
    }
    return substituted;
  });
}

/**
 * Dispenses: against the visit's prescription (each line an item of it, a same-generic substitute
 * recorded, less than prescribed leaving the rest open), or over the counter, where Schedule H, H1
 * and X drugs are refused. Batches are first-expiry-first-out unless one is chosen; each batch
 * taken is one dispense line and one movement; H1 drugs are written to the H1 register.
 */
export function dispense(ctx: Ctx, input: DispenseInput) {
  const lineDrugs = input.lines.map((l, i) => requireDrug(ctx, l.drugId, `lines.${i}.drugId`));
  const rx = input.visitId ? prescriptionOfVisit(ctx, input.visitId) : null;
  // A counter sale names its customer so it can be billed to them: a made-up or deleted id would bill no one.
  if (!rx && input.patientId !== undefined && pharmacyStatement(ctx.sqlite, PATIENT_EXISTS, true).get(input.patientId) === undefined) {
    throw new ApiFailure('not_found', 'No such patient.', { patientId: 'No such patient' });
  }
  if (!rx) {
    lineDrugs.forEach((d, i) => {
      if (d.schedule && SCHEDULED.includes(d.schedule)) {
        const why = `${drugLabel(d)} is a Schedule ${d.schedule} drug: it is dispensed only against a prescription`;
        throw new ApiFailure('forbidden', `${why}.`, { [`lines.${i}.drugId`]: why });
      }
    });
  }
  const substitutes = rx ? checkAgainstRx(ctx, rx, input, lineDrugs) : input.lines.map(() => null);
  const today = ctx.today();
  const head = ctx.write.insert(dispenses, {
    kind: rx ? 'prescription' : 'otc',
    patientId: rx?.patientId ?? input.patientId ?? null,
    visitId: rx?.visitId ?? null,
    prescriptionId: rx?.id ?? null,
    prescriberId: rx?.doctorId ?? null,
    dispensedBy: ctx.session.userId,
    dispensedOn: today,
  });
  const out: Row<typeof dispenseLines>[] = [];
  input.lines.forEach((line, i) => {
    const drug = lineDrugs[i]!;
    const who = rx && drug.schedule === 'H1' ? h1Who(ctx, rx, drug) : null;
    // Read after the earlier lines' movements: two lines of one drug never count the same units twice.
    for (const pick of picksFor(ctx, drug, line, i, today)) {
      const dl = ctx.write.insert(dispenseLines, {
        dispenseId: head.id,
        prescriptionId: rx?.id ?? null,
        itemIndex: rx ? (line.itemIndex ?? null) : null,
        drugId: drug.id,
        batchId: pick.batch.batchId,
        qty: pick.qty,
        substitutedFrom: substitutes[i] ?? null,
        mrpPaise: pick.batch.mrpPaise,
        packSize: pick.batch.packSize,
        gstRateBp: pick.batch.gstRateBp,
        hsnCode: pick.batch.hsnCode,
        description: `${drug.brandNames[0] ?? drug.genericName}${drug.strength ? ` ${drug.strength}` : ''} (${pick.batch.batchNumber}, exp ${pick.batch.expiry})`,
      });
      move(ctx, { batchId: pick.batch.batchId, drugId: drug.id, kind: 'dispense', qty: -pick.qty, refTable: 'dispense_lines', refId: dl.id });
      if (who) {
        ctx.write.insert(h1Register, { dispenseLineId: dl.id, dispensedOn: today, ...who, drugName: drugLabel(drug), batchNumber: pick.batch.batchNumber, qty: pick.qty, dispensedBy: ctx.session.userId });
      }
      out.push(dl);
    }
  });
  return { dispense: head, lines: out };
}

/** Medicines brought back by a patient, into the batch they came from: never more than was given and not yet returned. */
export function saleReturn(ctx: Ctx, input: { dispenseLineId: string; quantity: number; reason: string }) {
  const line = ctx.db.select().from(dispenseLines).where(eq(dispenseLines.id, input.dispenseLineId)).get();
  if (!line) throw new ApiFailure('not_found', 'No such dispensed medicine.', { dispenseLineId: 'No such line' });
  const returned = Number(pharmacyStatement(ctx.sqlite, "SELECT coalesce(sum(qty), 0) FROM stock_movements WHERE ref_id = ? AND kind = 'sale-return'", true).get(line.id));
  const left = line.qty - returned;
  if (input.quantity > left) throw new ApiFailure('conflict', `Only ${left} of the ${line.qty} units given can still come back.`, { quantity: `At most ${left}` });
  return move(ctx, { batchId: line.batchId, drugId: line.drugId, kind: 'sale-return', qty: input.quantity, reason: input.reason, refTable: 'dispense_lines', refId: line.id });
}
