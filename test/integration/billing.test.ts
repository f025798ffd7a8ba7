import { and, eq } from 'drizzle-orm';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { changeSigningBytes } from '../../shared/change-signing';
import { HybridClock } from '../../shared/hlc';
import { Writer } from '../../db/write';
import { auditLog, drugs, invoices, payments, prescriptions, refunds, type PrescriptionItem } from '../../db/schema';
import type { Output } from '../../electron/api';
import { ADMIN, makeClinic, type TestClinic } from '../helpers/app';
import { migrateRest, migrateTo } from '../helpers/migrations';
import { prng } from '../helpers/prng';
import { tempDir } from '../helpers/temp';
import { fhirProblems } from '../helpers/fhir-schema';
import { BILLING, GST_HSN_SAC, ID_TYPES, IMR, PRICE, V2_0203 } from '../helpers/fhir-profile';
import { DAY, failure, openDoctorDesk, TODAY, type DoctorDesk } from './doctor-fixtures';

/**
 * The billing counter on the doctor's-desk clinic (admin, receptionist Rita, Dr Meera Rao with
 * fees ₹500 / follow-up ₹200 within 7 days, Dr Arjun Iyer without fees, four patients), plus a
 * cashier (Kavya), the clinic's GSTIN and three formulary rows. Built once per file; each test
 * gets its own copy of the SQLite file. The clock starts on Saturday 2026-11-21, 10:00 IST.
 */

const START = Date.UTC(2026, 10, 21, 4, 30);
const GSTIN = '27AAAPL1234C1Z5';
const LAB_CBC = '00000000-0000-7000-8000-000000000001'; // seeded: Complete blood count, ₹300
const DRUG = {
  paracetamol: '01900000-0000-7000-8000-0000000000a1',
  amoxicillin: '01900000-0000-7000-8000-0000000000a2',
  cetirizine: '01900000-0000-7000-8000-0000000000a3',
} as const;

interface Counter extends DoctorDesk {
  /** Kavya Menon, cashier. */
  cashier: string;
  cashierId: string;
  adminId: string;
}

let template: { file: Buffer; ids: Omit<Counter, 'c'> } | undefined;

function buildTemplate() {
  const d = openDoctorDesk();
  const kavya = d.c.ok('staff.create', { username: 'kavya', fullName: 'Kavya Menon', password: 'kavya-password', roles: ['cashier'] }, d.admin);
  const cashier = d.c.login('kavya', 'kavya-password');
  d.c.ok('facility.save', { letterhead: { gstin: GSTIN } }, d.admin);
  const adminId = d.c.ok('auth.me', {}, d.admin).user.id;
  const drug = (id: string, genericName: string, form: string, strength: string, mrpPaise: number | null, gstRateBp: number | null) => ({
    id,
    createdAt: 0,
    updatedAt: 0,
    hlc: '0',
    deviceId: 'test',
    genericName,
    brandNames: [],
    form,
    strength,
    route: 'oral',
    classes: [],
    source: 'clinic',
    sourceCode: id,
    mrpPaise,
    hsnCode: '30049099',
    gstRateBp,
  });
  d.c.app.database.db
    .insert(drugs)
    .values([
      drug(DRUG.paracetamol, 'Paracetamol', 'tablet', '500 mg', 340, 500),
      drug(DRUG.amoxicillin, 'Amoxicillin', 'suspension', '250 mg/5 ml', 4725, 500),
      drug(DRUG.cetirizine, 'Cetirizine', 'tablet', '10 mg', null, null),
    ])
    .run();
  d.c.app.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const { c: _c, ...ids } = d;
  return { file: fs.readFileSync(d.c.app.dbFile), ids: { ...ids, cashier, cashierId: kavya.id, adminId } };
}

function openCounter(): Counter {
  template ??= buildTemplate();
  const dataDir = tempDir();
  fs.writeFileSync(path.join(dataDir, 'clinic.db'), template.file);
  const c = makeClinic({ setup: false, dataDir, settings: { sessionIdleMs: 400 * DAY } });
  return { c, ...template.ids };
}

/* ---------------------------------------------------------------------------------------- */

const CONSULT = { kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 50_000 } as const;
const PCM = { kind: 'medicine', refId: DRUG.paracetamol, description: 'PARACETAMOL 500 mg tablet', sacHsn: '30049099', quantity: 10, ratePaise: 340, gstRateBp: 500, taxInclusive: true } as const;
const AMOX = { kind: 'medicine', refId: DRUG.amoxicillin, description: 'AMOXICILLIN 250 mg/5 ml suspension', sacHsn: '30049099', quantity: 2, ratePaise: 4725, gstRateBp: 500, taxInclusive: true } as const;
const CBC = { kind: 'lab', refId: LAB_CBC, description: 'Complete blood count (CBC)', sacHsn: '999316', quantity: 1, ratePaise: 30_000 } as const;
const DRESSING = { kind: 'procedure', description: 'Wound dressing', sacHsn: '999319', quantity: 1, ratePaise: 30_000, gstRateBp: 1800 } as const;

type Invoice = Output<'billing.invoice'>;

function draft(k: Counter, patientId: string, lines: readonly object[], extra: Record<string, unknown> = {}, token = k.cashier): Invoice {
  return k.c.ok('billing.createInvoice', { patientId, lines, ...extra }, token);
}

function issued(k: Counter, patientId: string, lines: readonly object[], extra: Record<string, unknown> = {}, token = k.cashier): Invoice {
  const d = draft(k, patientId, lines, extra, token);
  return k.c.ok('billing.issueInvoice', { invoiceId: d.id }, token);
}

const pay = (k: Counter, invoiceId: string, parts: object[], token = k.cashier) => k.c.call('billing.recordPayment', { invoiceId, parts }, token);
const invoice = (k: Counter, invoiceId: string) => k.c.ok('billing.invoice', { invoiceId }, k.cashier);

/** Reception checks the patient in with Dr Rao; Dr Rao sees them and (optionally) completes the visit. */
function raoVisit(k: Counter, patientId: string, complete: boolean): string {
  const v = k.c.ok('queue.checkIn', { patientId, doctorId: k.drRao }, k.reception);
  expect(k.c.ok('queue.callNext', {}, k.rao).visitId).toBe(v.visitId);
  k.c.ok('consultations.save', { visitId: v.visitId, note: { chiefComplaints: ['Fever for 3 days'] } }, k.rao);
  if (complete) k.c.ok('consultations.complete', { visitId: v.visitId }, k.rao);
  return v.visitId;
}

function item(drugId: string | null, genericName: string, quantity: number | null): PrescriptionItem {
  return {
    drugId,
    genericName,
    brand: null,
    form: 'tablet',
    strength: null,
    route: 'oral',
    dose: '1 tablet',
    frequency: '1-0-1',
    timing: 'after-food',
    durationDays: 5,
    quantity,
    instructions: null,
    instructionsHi: null,
    acknowledged: [],
  };
}

/** The doctor's prescription for a visit, written straight to its table (the prescription screen is another module). */
function prescribe(k: Counter, visitId: string, patientId: string, items: PrescriptionItem[]) {
  k.c.app.database.db
    .insert(prescriptions)
    .values({ id: crypto.randomUUID(), createdAt: k.c.clock.now, updatedAt: k.c.clock.now, hlc: '0', deviceId: 'test', visitId, patientId, doctorId: k.drRao, rxNumber: `T/RX/${visitId.slice(-6)}`, status: 'draft', items })
    .run();
}

function ledger(c: TestClinic, invoiceId: string) {
  const db = c.app.database.db;
  const paid = db.select().from(payments).where(eq(payments.invoiceId, invoiceId)).all().reduce((s, p) => s + p.amountPaise, 0);
  const refunded = db.select().from(refunds).where(eq(refunds.invoiceId, invoiceId)).all().reduce((s, r) => s + r.amountPaise, 0);
  return { paid, refunded };
}

/* ---------------------------------------------------------------------------------------- */

describe('suggested lines and the invoice of a visit', () => {
  it('a medicine without an MRP: billed once its price is entered on its line, refused until then naming the line', () => {
    const k = openCounter();
    const visitId = raoVisit(k, k.bhavna, false);
    prescribe(k, visitId, k.bhavna, [item(DRUG.cetirizine, 'Cetirizine', 10)]);
    const s = k.c.ok('billing.suggest', { visitId }, k.cashier);
    expect(s.lines.map((l) => [l.kind, l.description, l.quantity, l.ratePaise])).toEqual([
      ['consultation', 'Consultation', 1, 50_000],
      ['medicine', 'CETIRIZINE tablet', 10, 0],
    ]);
    const d = k.c.ok('billing.createInvoice', { patientId: k.bhavna, visitId, doctorId: k.drRao, lines: s.lines }, k.cashier);
    const refused = failure(k.c.call('billing.issueInvoice', { invoiceId: d.id }, k.cashier));
    expect(refused.code).toBe('invalid_input');
    expect(refused.fields).toEqual({ 'lines.1.ratePaise': 'Enter the price of line 2 (CETIRIZINE tablet): it has no MRP in the formulary' });
    expect(invoice(k, d.id)).toMatchObject({ status: 'draft', invoiceNumber: null });
    // The cashier types ₹2.20 a tablet on the line: 10 × ₹2.20 = ₹22.00 MRP incl. 5%.
    const priced = s.lines.map((l, i) => (i === 1 ? { ...l, ratePaise: 220 } : l));
    k.c.ok('billing.updateInvoice', { invoiceId: d.id, lines: priced }, k.cashier);
    const inv = k.c.ok('billing.issueInvoice', { invoiceId: d.id }, k.cashier);
    expect(inv.invoiceNumber).toBe('2627/A/000001');
    expect(inv.lines[1]).toMatchObject({ description: 'CETIRIZINE tablet', ratePaise: 220, totalPaise: 2200 });
    expect(inv.totals.totalPaise).toBe(52_200);
  });

  it('suggests the fee and the prescribed medicines; the issued invoice adds up to the paisa with its round-off', () => {
    const k = openCounter();
    const visitId = raoVisit(k, k.bhavna, false);
    prescribe(k, visitId, k.bhavna, [
      { ...item(DRUG.paracetamol, 'Paracetamol', 10), strength: '500 mg' },
      { ...item(DRUG.amoxicillin, 'Amoxicillin', 2), form: 'suspension', strength: '250 mg/5 ml' },
      item(DRUG.cetirizine, 'Cetirizine', 5),
      item(null, 'Steam inhalation', null),
    ]);
    const s = k.c.ok('billing.suggest', { visitId }, k.cashier);
    expect(s.lines).toEqual([
      { kind: 'consultation', refId: k.drRao, description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 50_000, discountPaise: 0, gstRateBp: 0, taxInclusive: false },
      { kind: 'medicine', refId: DRUG.paracetamol, description: 'PARACETAMOL 500 mg tablet', sacHsn: '30049099', quantity: 10, ratePaise: 340, discountPaise: 0, gstRateBp: 500, taxInclusive: true },
      { kind: 'medicine', refId: DRUG.amoxicillin, description: 'AMOXICILLIN 250 mg/5 ml suspension', sacHsn: '30049099', quantity: 2, ratePaise: 4725, discountPaise: 0, gstRateBp: 500, taxInclusive: true },
      // No MRP in the formulary: on the bill at ₹0, for the cashier to price (see 'a medicine without an MRP').
      { kind: 'medicine', refId: DRUG.cetirizine, description: 'CETIRIZINE tablet', sacHsn: '30049099', quantity: 5, ratePaise: 0, discountPaise: 0, gstRateBp: 500, taxInclusive: true },
    ]);
    expect(s.notes).toEqual([
      'CETIRIZINE tablet: no MRP in the formulary; enter its price on line 4.',
      'CETIRIZINE tablet: no GST rate in the formulary; 5% assumed.',
      'STEAM INHALATION tablet: not in the formulary, not added.',
    ]);

    const d = k.c.ok('billing.createInvoice', { patientId: k.bhavna, visitId, lines: s.lines.slice(0, 3) }, k.cashier);
    expect(d).toMatchObject({ status: 'draft', statusLabel: 'draft', invoiceNumber: null, doctor: { id: k.drRao } });
    // Consultation ₹500.00 exempt.
    // 10 × ₹3.40 = ₹34.00 MRP incl. 5%: taxable 3400 × 100/105 = 3238.10 -> ₹32.38; tax ₹1.62 = CGST 0.81 + SGST 0.81.
    // 2 × ₹47.25 = ₹94.50 MRP incl. 5%: taxable 9450 × 100/105 = ₹90.00; tax ₹4.50 = CGST 2.25 + SGST 2.25.
    // Taxable ₹622.38 + CGST ₹3.06 + SGST ₹3.06 = ₹628.50 exactly; rounded half-up to ₹629.00, round-off +₹0.50.
    const inv = k.c.ok('billing.issueInvoice', { invoiceId: d.id }, k.cashier);
    expect(inv.invoiceNumber).toBe('2627/A/000001');
    expect(inv.financialYear).toBe('2026-27');
    // Exempt consultation and taxed medicines to an unregistered patient: one invoice-cum-bill of supply (rule 46A).
    expect(inv.documentType).toBe('Invoice-cum-Bill of Supply');
    expect(inv.lines.map((l) => [l.taxablePaise, l.cgstPaise, l.sgstPaise, l.totalPaise])).toEqual([
      [50_000, 0, 0, 50_000],
      [3238, 81, 81, 3400],
      [9000, 225, 225, 9450],
    ]);
    expect(inv.totals).toEqual({
      grossPaise: 62_850,
      lineDiscountPaise: 0,
      invoiceDiscountPaise: 0,
      taxablePaise: 62_238,
      cgstPaise: 306,
      sgstPaise: 306,
      exactPaise: 62_850,
      roundOffPaise: 50,
      totalPaise: 62_900,
    });
    expect(inv.totals.totalPaise).toBe(inv.totals.taxablePaise + inv.totals.cgstPaise + inv.totals.sgstPaise + inv.totals.roundOffPaise);
    expect(inv).toMatchObject({
      statusLabel: 'issued',
      balancePaise: 62_900,
      amountInWords: 'Rupees Six Hundred Twenty-Nine Only',
      clinic: { name: 'Sharma Clinic', gstin: GSTIN },
      doctor: { name: 'Dr Meera Rao', registrationNumber: 'MMC-2011-04567', registrationCouncil: 'Maharashtra Medical Council' },
      patient: { name: 'Bhavna Shah' },
      issuedOn: TODAY,
    });
    // The figures are fixed on the stored row when issued.
    const stored = k.c.ok('billing.invoice', { invoiceId: inv.id }, k.reception);
    expect(stored.totals).toEqual(inv.totals);
    // An issued invoice is not edited, and the visit now shows it.
    expect(failure(k.c.call('billing.updateInvoice', { invoiceId: inv.id, lines: [CONSULT] }, k.cashier)).code).toBe('conflict');
    expect(k.c.ok('billing.suggest', { visitId }, k.cashier).notes).toContain('This visit already has invoice 2627/A/000001 (issued).');
  });

  it('charges the follow-up fee within the doctor’s window, bills ordered tests exempt, and is a bill of supply', () => {
    const k = openCounter();
    k.c.clock.now = START - 7 * DAY; // Saturday 14 Nov
    raoVisit(k, k.anil, true);
    raoVisit(k, k.deepa, true);
    k.c.clock.now = START;
    const visitId = raoVisit(k, k.anil, false);
    k.c.ok('labs.order', { visitId, testIds: [LAB_CBC] }, k.rao);
    const s = k.c.ok('billing.suggest', { visitId }, k.cashier);
    expect(s.lines.map((l) => [l.kind, l.description, l.ratePaise, l.sacHsn, l.gstRateBp])).toEqual([
      ['follow-up', 'Follow-up consultation (within 7 days of 14 Nov)', 20_000, '999312', 0],
      ['lab', 'Complete blood count (CBC)', 30_000, '999316', 0],
    ]);
    const inv = issued(k, k.anil, s.lines, { visitId });
    expect(inv.documentType).toBe('Bill of Supply');
    expect(inv.totals).toMatchObject({ taxablePaise: 50_000, cgstPaise: 0, sgstPaise: 0, roundOffPaise: 0, totalPaise: 50_000 });

    // Eight days after her last visit Deepa pays the full fee again.
    k.c.clock.now = START + DAY;
    k.c.ok('queue.checkIn', { patientId: k.deepa, doctorId: k.drRao }, k.reception);
    const next = k.c.ok('queue.callNext', {}, k.rao);
    expect(k.c.ok('billing.suggest', { visitId: next.visitId }, k.cashier).lines[0]).toMatchObject({ kind: 'consultation', description: 'Consultation', ratePaise: 50_000 });
    // A doctor without fees gets no fee line, and the cashier is told.
    const iyerVisit = k.c.ok('queue.checkIn', { patientId: k.chetan, doctorId: k.drIyer }, k.reception);
    const iyer = k.c.ok('billing.suggest', { visitId: iyerVisit.visitId }, k.cashier);
    expect(iyer.lines).toEqual([]);
    expect(iyer.notes[0]).toMatch(/Dr Arjun Iyer has no fees set up/);
  });
});

describe('discounts', () => {
  it('spreads an invoice discount by amount or by percent over the lines exactly', () => {
    const k = openCounter();
    // ₹50 off: shares 3978 / 270 / 752 (largest remainder); taxable 460.22 + 29.81 + 82.84,
    // CGST 0.75 + 2.07, SGST 0.74 + 2.07: exact ₹578.50 -> ₹579.00, round-off +0.50.
    const a = issued(k, k.anil, [CONSULT, PCM, AMOX], { discount: { kind: 'amount', value: 5000, reason: 'Senior citizen' } });
    expect(a.lines.map((l) => l.invoiceDiscountPaise)).toEqual([3978, 270, 752]);
    expect(a.totals).toEqual({
      grossPaise: 62_850,
      lineDiscountPaise: 0,
      invoiceDiscountPaise: 5000,
      taxablePaise: 57_287,
      cgstPaise: 282,
      sgstPaise: 281,
      exactPaise: 57_850,
      roundOffPaise: 50,
      totalPaise: 57_900,
    });
    expect(a.discount).toMatchObject({ kind: 'amount', value: 5000, reason: 'Senior citizen', approvedBy: null });
    // 5% (500 bp) of ₹628.50 = ₹31.425 -> ₹31.43; shares 2500 / 170 / 473;
    // taxable 475.00 + 30.76 + 85.50, CGST 0.77 + 2.14, SGST 0.77 + 2.13: exact ₹597.07 -> ₹597.00, round-off -0.07.
    const p = issued(k, k.bhavna, [CONSULT, PCM, AMOX], { discount: { kind: 'percent', value: 500, reason: 'Staff family' } });
    expect(p.lines.map((l) => l.invoiceDiscountPaise)).toEqual([2500, 170, 473]);
    expect(p.totals).toMatchObject({ invoiceDiscountPaise: 3143, taxablePaise: 59_126, cgstPaise: 291, sgstPaise: 290, exactPaise: 59_707, roundOffPaise: -7, totalPaise: 59_700 });
    // A line discount and an invoice discount together.
    const both = issued(k, k.chetan, [{ ...CONSULT, discountPaise: 1000 }, DRESSING], { discount: { kind: 'amount', value: 2000, reason: 'Camp' } });
    // Nets 49000 and 30000 (79000); ₹20 shared 1240.51 / 759.49 -> 1241 / 759;
    // dressing 29241 + 18% = 5263.38 -> 5263 (2632 + 2631); exact 47759 + 29241 + 5263 = 82263 -> ₹823, +0.37.
    expect(both.totals).toMatchObject({ lineDiscountPaise: 1000, invoiceDiscountPaise: 2000, taxablePaise: 77_000, cgstPaise: 2632, sgstPaise: 2631, exactPaise: 82_263, roundOffPaise: 37, totalPaise: 82_300 });
  });

  it('needs an administrator above the limit, and records who approved it', () => {
    const k = openCounter();
    // The limit is the lower of 10% of ₹628.50 (₹62.85) and ₹500.
    const over = { kind: 'percent', value: 1500, reason: 'Hardship' } as const;
    const refused = failure(k.c.call('billing.createInvoice', { patientId: k.anil, lines: [CONSULT, PCM, AMOX], discount: over }, k.cashier));
    expect(refused.code).toBe('forbidden');
    expect(refused.message).toMatch(/₹94\.28 is above the ₹62\.85 the counter may give.*administrator must approve/);
    expect(refused.fields).toEqual({ approval: 'An administrator must approve this discount' });
    // A wrong password, or a user who is not an administrator, does not approve it.
    const wrong = failure(k.c.call('billing.createInvoice', { patientId: k.anil, lines: [CONSULT], discount: { kind: 'amount', value: 10_000, reason: 'x' }, approval: { username: 'admin', password: 'guess' } }, k.cashier));
    expect(wrong.fields).toEqual({ 'approval.password': 'wrong administrator username or password' });
    const notAdmin = failure(k.c.call('billing.createInvoice', { patientId: k.anil, lines: [CONSULT], discount: { kind: 'amount', value: 10_000, reason: 'x' }, approval: { username: 'rita', password: 'rita-password' } }, k.cashier));
    expect(notAdmin.fields).toEqual({ 'approval.password': 'rita is not an active administrator' });
    // A discount needs a reason.
    expect(failure(k.c.call('billing.createInvoice', { patientId: k.anil, lines: [CONSULT], discount: { kind: 'amount', value: 100 } }, k.cashier)).fields).toEqual({
      'discount.reason': 'Say why the discount is given',
    });
    // Within the limit the cashier needs nobody.
    expect(draft(k, k.anil, [CONSULT, PCM, AMOX], { discount: { kind: 'amount', value: 6285, reason: 'Round figure' } }).discount?.approvedBy).toBeNull();

    const approved = draft(k, k.anil, [CONSULT, PCM, AMOX], { discount: over, approval: { username: 'admin', password: ADMIN.password } });
    expect(approved.discount).toMatchObject({ approvedBy: k.adminId, approvedByName: ADMIN.fullName });
    const inv = k.c.ok('billing.issueInvoice', { invoiceId: approved.id }, k.cashier);
    expect(inv.totals.invoiceDiscountPaise).toBe(9428); // 15% of 62850 = 9427.5 -> 9428
    // The approval is a row in the administrator's name, signed with their own key (unwrapped by the
    // password typed at the counter), covering this bill's discount: the server can check it.
    const { sqlite } = k.c.app.database;
    const approval = sqlite.prepare('SELECT a.*, i.discount_approval_id AS named FROM discount_approvals a JOIN invoices i ON i.id = a.invoice_id WHERE a.invoice_id = ?').get(inv.id) as Record<string, unknown>;
    expect(approval).toMatchObject({ approved_by: k.adminId, discount_paise: 9428, gross_paise: 62_850, named: approval.id });
    const logged = sqlite.prepare("SELECT * FROM change_log WHERE table_name = 'discount_approvals' AND row_id = ?").get(approval.id) as { user_id: string; sig: string; columns: string; hlc: string; id: string };
    expect(logged.user_id).toBe(k.adminId);
    const adminKey = sqlite.prepare('SELECT sign_public_key FROM users WHERE id = ?').pluck().get(k.adminId) as string;
    const bytes = changeSigningBytes({ id: logged.id, table: 'discount_approvals', rowId: String(approval.id), op: 'insert', columns: JSON.parse(logged.columns) as Record<string, unknown>, hlc: logged.hlc, userId: k.adminId });
    expect(verify(null, bytes, createPublicKey({ key: Buffer.from(adminKey, 'base64'), format: 'der', type: 'spki' }), Buffer.from(logged.sig, 'base64'))).toBe(true);
    // The desk's own rule book refuses a bill naming the administrator without their approval.
    const bare = draft(k, k.chetan, [CONSULT]);
    const clock = new HybridClock('device-test', () => Date.now());
    const writer = new Writer({ db: k.c.app.database.db, deviceId: k.c.app.deviceId, now: () => Date.now(), tick: () => clock.tick(), userId: k.cashierId, roles: ['cashier'], record: () => undefined });
    const claim = (approvalId: string | null) => () => sqlite.transaction(() => writer.update(invoices, bare.id, { discountKind: 'amount', discountValue: 40_000, discountReason: 'x', discountApprovedBy: k.adminId, discountApprovalId: approvalId }))();
    expect(claim(null)).toThrow('the bill names an administrator as approving its discount, but no approval signed by them is there');
    expect(claim(String(approval.id))).toThrow('the discount approval the bill names is for another bill');
    // The administrator at the counter approves by giving it.
    expect(draft(k, k.bhavna, [CONSULT], { discount: { kind: 'percent', value: 5000, reason: 'Charity' } }, k.admin).discount?.approvedBy).toBe(k.adminId);
    // The limit is a setting of the workstation: at 20% the cashier gives 15% alone.
    expect(failure(k.c.call('billing.setSettings', { discountLimitBp: 2000 }, k.cashier)).code).toBe('forbidden');
    expect(k.c.ok('billing.setSettings', { discountLimitBp: 2000 }, k.admin)).toEqual({ discountLimitBp: 2000, discountLimitPaise: 50_000 });
    expect(draft(k, k.deepa, [CONSULT, PCM, AMOX], { discount: over }).discount?.approvedBy).toBeNull();
    k.c.ok('billing.setSettings', { discountLimitBp: 1000 }, k.admin);
    // Raising the discount on a draft later needs approval again.
    const small = draft(k, k.chetan, [CONSULT], { discount: { kind: 'amount', value: 1000, reason: 'Camp' } });
    expect(failure(k.c.call('billing.updateInvoice', { invoiceId: small.id, discount: { kind: 'amount', value: 20_000, reason: 'Camp' } }, k.cashier)).code).toBe('forbidden');

    // Audited: the refusals, and the approval with who gave it.
    const rows = k.c.app.database.db.select().from(auditLog).where(eq(auditLog.action, 'billing.createInvoice')).all();
    expect(rows.filter((r) => r.outcome === 'forbidden').length).toBe(2);
    expect(rows.filter((r) => r.outcome === 'failed' && r.entityType === 'user' && r.entityId === k.adminId).length).toBe(1);
    const ok = rows.find((r) => r.outcome === 'ok' && r.entityId === approved.id)!;
    expect(ok.detail).toMatch(/approved by admin/);
    expect(ok.newValues).toMatchObject({ discount_approved_by: k.adminId, discount_kind: 'percent', discount_value: 1500 });
    expect(rows.find((r) => r.outcome === 'failed' && r.detail?.includes('discount approval by admin refused'))).toBeTruthy();
  });

  it('counts wrong approval passwords towards the administrator’s lockout, like wrong logins', () => {
    const k = openCounter();
    const big = { kind: 'amount', value: 20_000, reason: 'Hardship' } as const;
    const approve = (password: string) =>
      k.c.call('billing.createInvoice', { patientId: k.anil, lines: [CONSULT, PCM, AMOX], discount: big, approval: { username: 'admin', password } }, k.cashier);
    // A right approval breaks a run of wrong ones, as a login does.
    for (let i = 0; i < 4; i++) expect(failure(approve(`guess-${i}`)).code).toBe('invalid_credentials');
    expect(approve(ADMIN.password).ok).toBe(true);
    for (let i = 0; i < 4; i++) expect(failure(approve(`guess-${i}`)).code).toBe('invalid_credentials');
    expect(failure(approve('guess-5')).code).toBe('invalid_credentials');
    // Five in a row: the right password no longer approves anything, nor logs the administrator in.
    const locked = failure(approve(ADMIN.password));
    expect(locked.code).toBe('account_locked');
    expect(locked.fields).toEqual({ 'approval.password': "admin's account is locked after wrong passwords" });
    expect(failure(k.c.call('auth.login', { username: 'admin', password: ADMIN.password })).code).toBe('account_locked');
  });
});

describe('payments', () => {
  it('splits one receipt across cash and UPI, goes from partly paid to paid, and refuses overpayment', () => {
    const k = openCounter();
    const inv = issued(k, k.anil, [CONSULT, PCM, AMOX]); // ₹629.00
    const first = pay(k, inv.id, [
      { mode: 'cash', amountPaise: 30_000 },
      { mode: 'upi', amountPaise: 20_000, reference: '4123 5678 9012' },
    ]);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.value).toMatchObject({ receiptNumber: 'R/2627/A/000001', totalPaise: 50_000, invoice: { statusLabel: 'partially paid', paidPaise: 50_000, balancePaise: 12_900 } });
    expect(first.value.parts.map((p) => [p.mode, p.amountPaise, p.reference])).toEqual([
      ['cash', 30_000, null],
      ['upi', 20_000, '412356789012'],
    ]);

    // A UPI payment needs its 12-digit UTR, a card its 12-digit RRN: the part is named.
    const badUtr = failure(pay(k, inv.id, [{ mode: 'cash', amountPaise: 100 }, { mode: 'upi', amountPaise: 100, reference: '12345' }]));
    expect(badUtr.code).toBe('invalid_input');
    expect(badUtr.fields).toEqual({ 'parts.1.reference': 'UPI needs the 12-digit UTR' });
    expect(failure(pay(k, inv.id, [{ mode: 'card', amountPaise: 100 }])).fields).toEqual({ 'parts.0.reference': 'A card payment needs the 12-digit RRN' });
    expect(failure(pay(k, inv.id, [{ mode: 'cash', amountPaise: 0 }])).fields).toEqual({ 'parts.0.amountPaise': 'Amount must be more than zero' });
    expect(failure(pay(k, inv.id, [{ mode: 'cash', amountPaise: 12.5 }])).fields?.['parts.0.amountPaise']).toMatch(/whole paise/);

    const over = failure(pay(k, inv.id, [{ mode: 'cash', amountPaise: 10_000 }, { mode: 'cash', amountPaise: 3000 }]));
    expect(over.code).toBe('conflict');
    expect(over.message).toMatch(/₹130\.00 is more than the ₹129\.00 due/);

    const second = pay(k, inv.id, [{ mode: 'card', amountPaise: 12_900, reference: '987654321098' }]);
    expect(second.ok && second.value.receiptNumber).toBe('R/2627/A/000002');
    const done = invoice(k, inv.id);
    expect(done).toMatchObject({ statusLabel: 'paid', paidPaise: 62_900, balancePaise: 0 });
    expect(done.payments.map((p) => [p.mode, p.amountPaise, p.receiptNumber, p.receivedBy])).toEqual([
      ['cash', 30_000, 'R/2627/A/000001', 'Kavya Menon'],
      ['upi', 20_000, 'R/2627/A/000001', 'Kavya Menon'],
      ['card', 12_900, 'R/2627/A/000002', 'Kavya Menon'],
    ]);
    expect(failure(pay(k, inv.id, [{ mode: 'cash', amountPaise: 100 }])).message).toMatch(/already paid in full/);

    // Drafts and void invoices take no money.
    const d = draft(k, k.bhavna, [CONSULT]);
    expect(failure(pay(k, d.id, [{ mode: 'cash', amountPaise: 100 }])).message).toMatch(/Issue the invoice/);
    const v = issued(k, k.bhavna, [CONSULT]);
    k.c.ok('billing.voidInvoice', { invoiceId: v.id, reason: 'Raised twice' }, k.cashier);
    expect(failure(pay(k, v.id, [{ mode: 'cash', amountPaise: 100 }])).message).toMatch(/void/);
  });

  it('records an advance without an invoice and uses it, never beyond what is left', () => {
    const k = openCounter();
    const adv = k.c.ok('billing.recordPayment', { patientId: k.chetan, parts: [{ mode: 'cash', amountPaise: 100_000 }] }, k.reception);
    expect(adv).toMatchObject({ invoiceId: null, totalPaise: 100_000, advanceBalancePaise: 100_000 });
    expect(failure(k.c.call('billing.recordPayment', { patientId: k.chetan, parts: [{ mode: 'advance', amountPaise: 100 }] }, k.cashier)).fields).toEqual({
      'parts.0.mode': 'An advance cannot be paid from the advance',
    });
    const first = issued(k, k.chetan, [CONSULT, PCM, AMOX]); // ₹629
    const used = pay(k, first.id, [{ mode: 'advance', amountPaise: 62_900 }]);
    expect(used.ok && used.value).toMatchObject({ advanceBalancePaise: 37_100, invoice: { statusLabel: 'paid' } });
    const second = issued(k, k.chetan, [CONSULT]); // ₹500
    const tooMuch = failure(pay(k, second.id, [{ mode: 'advance', amountPaise: 50_000 }]));
    expect(tooMuch.message).toMatch(/₹371\.00 of advance left/);
    expect(tooMuch.fields).toEqual({ 'parts.0.amountPaise': 'Only ₹371.00 of advance is left' });
    // The rest of the advance plus cash settles it.
    const mixed = pay(k, second.id, [{ mode: 'advance', amountPaise: 37_100 }, { mode: 'cash', amountPaise: 12_900 }]);
    expect(mixed.ok && mixed.value).toMatchObject({ advanceBalancePaise: 0, invoice: { statusLabel: 'paid' } });
    // Another patient's advance is not this one's.
    const other = issued(k, k.deepa, [CONSULT]);
    expect(failure(pay(k, other.id, [{ mode: 'advance', amountPaise: 100 }])).message).toMatch(/₹0\.00 of advance left/);
  });
});

describe('refunds and voids', () => {
  it('refunds at most what was paid, voids only when no money is held, and keeps the number', () => {
    const k = openCounter();
    const inv = issued(k, k.anil, [CONSULT, PCM, AMOX]);
    expect(inv.invoiceNumber).toBe('2627/A/000001');
    const amox = (quantity: number) => ({ lines: [{ line: 2, quantity }] });
    // No money back before any was paid (a line taken off an unpaid bill is billing-line-credit.test.ts).
    expect(failure(k.c.call('billing.refund', { invoiceId: inv.id, amountPaise: 100, mode: 'cash', reason: 'x' }, k.cashier)).message).toMatch(/Nothing paid/);
    expect(pay(k, inv.id, [{ mode: 'cash', amountPaise: 62_900 }]).ok).toBe(true);

    // A line is refunded at most as far as it goes.
    const tooMuch = failure(k.c.call('billing.refund', { invoiceId: inv.id, ...amox(3), mode: 'cash', reason: 'Medicine returned' }, k.cashier));
    expect(tooMuch.code).toBe('conflict');
    expect(tooMuch.message).toBe('Line 3 (AMOXICILLIN 250 mg/5 ml suspension): Only 2 of 2 can still be refunded.');
    expect(tooMuch.fields).toEqual({ 'lines.0.quantity': 'Only 2 of 2 can still be refunded' });
    // Refunds in the advance's "mode" are not a thing.
    expect(failure(k.c.call('billing.refund', { invoiceId: inv.id, ...amox(1), mode: 'advance', reason: 'x' }, k.cashier)).fields?.mode).toBeTruthy();

    // One bottle back: its MRP, and the bill stays paid (refunded in part), nothing due.
    const r1 = k.c.ok('billing.refund', { invoiceId: inv.id, ...amox(1), mode: 'cash', reason: 'Medicine returned' }, k.cashier);
    expect(r1.invoice).toMatchObject({ paidPaise: 58_175, refundedPaise: 4725, grossPaidPaise: 62_900, creditedPaise: 4725, balancePaise: 0, statusLabel: 'partly refunded' });
    expect(r1.creditNote).toMatchObject({ kind: 'credit-note', taxablePaise: 4500, cgstPaise: 113, sgstPaise: 112, totalPaise: 4725 });
    const held = failure(k.c.call('billing.voidInvoice', { invoiceId: inv.id, reason: 'Wrong patient' }, k.cashier));
    expect(held.message).toBe('₹581.75 paid on invoice 2627/A/000001 has not been refunded. Refund it first, then void the invoice.');
    // The rest of every line: the bill's round-off goes back with the last of it.
    const rest = k.c.ok(
      'billing.refund',
      { invoiceId: inv.id, lines: [{ line: 0, quantity: 1 }, { line: 1, quantity: 10 }, { line: 2, quantity: 1 }], mode: 'upi', reason: 'Wrong patient' },
      k.cashier,
    );
    expect(rest).toMatchObject({ amountPaise: 58_175, creditNote: { roundOffPaise: 50, totalPaise: 58_175 }, invoice: { statusLabel: 'refunded', balancePaise: 0 } });
    expect(ledger(k.c, inv.id)).toEqual({ paid: 62_900, refunded: 62_900 });

    // Refunded in full by credit notes, the bill is cancelled for GST already: a void on top would
    // take its tax off a second time in the day-end and the GST return.
    const twice = failure(k.c.call('billing.voidInvoice', { invoiceId: inv.id, reason: 'Wrong patient' }, k.cashier));
    expect(twice.message).toMatch(/^Invoice 2627\/A\/000001 is cancelled by its credit notes 2627\/A\/C00001, 2627\/A\/C00002; it cannot be voided as well/);
    expect(k.c.ok('billing.invoice', { invoiceId: inv.id }, k.cashier)).toMatchObject({ status: 'issued', statusLabel: 'refunded', balancePaise: 0 });
    expect(failure(k.c.call('billing.refund', { invoiceId: inv.id, amountPaise: 1, mode: 'cash', reason: 'x' }, k.cashier)).code).toBe('conflict');

    // The number is not reused: the next invoice takes the next one.
    expect(issued(k, k.anil, [CONSULT]).invoiceNumber).toBe('2627/A/000002');
    // A void draft never had a number and does not take one.
    const d = draft(k, k.anil, [CONSULT]);
    expect(k.c.ok('billing.voidInvoice', { invoiceId: d.id, reason: 'Not needed' }, k.cashier)).toMatchObject({ status: 'void', invoiceNumber: null });
    expect(issued(k, k.anil, [CONSULT]).invoiceNumber).toBe('2627/A/000003');
  });
});

describe('refunds of an unused advance', () => {
  it('gives back part of an advance, never more than is left, and the day-end counts it among refunds and in the cash', () => {
    const k = openCounter();
    const adv = k.c.ok('billing.recordPayment', { patientId: k.chetan, parts: [{ mode: 'cash', amountPaise: 100_000 }] }, k.reception);
    expect(adv.advanceBalancePaise).toBe(100_000);

    // No invoice: the refund comes out of the advance.
    const r1 = k.c.ok('billing.refund', { patientId: k.chetan, amountPaise: 40_000, mode: 'cash', reason: 'Treatment postponed' }, k.cashier);
    expect(r1).toMatchObject({ amountPaise: 40_000, mode: 'cash', patientId: k.chetan, invoice: null, advanceBalancePaise: 60_000, refundedOn: TODAY });
    const row = k.c.app.database.db.select().from(refunds).where(eq(refunds.id, r1.refundId)).get()!;
    expect(row).toMatchObject({ invoiceId: null, patientId: k.chetan, amountPaise: 40_000, refundedBy: k.cashierId, reason: 'Treatment postponed' });
    const audit = k.c.app.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'billing.refund'), eq(auditLog.entityId, r1.refundId))).get()!;
    expect(audit).toMatchObject({ outcome: 'ok', entityType: 'refunds', username: 'kavya' });
    expect(audit.detail).toMatch(/advance refund ₹400\.00 \(cash\)/);

    // More than is left is refused, naming the amount.
    const tooMuch = failure(k.c.call('billing.refund', { patientId: k.chetan, amountPaise: 60_001, mode: 'cash', reason: 'x' }, k.cashier));
    expect(tooMuch.code).toBe('conflict');
    expect(tooMuch.message).toBe('Only ₹600.00 of Chetan Desai’s advance is unused; ₹600.01 cannot be refunded.');
    expect(tooMuch.fields).toEqual({ amountPaise: 'At most ₹600.00' });

    // What is used on a bill is no longer refundable as advance.
    const bill = issued(k, k.chetan, [CONSULT]); // ₹500
    const used = pay(k, bill.id, [{ mode: 'advance', amountPaise: 50_000 }]);
    expect(used.ok && used.value.advanceBalancePaise).toBe(10_000);
    expect(failure(k.c.call('billing.refund', { patientId: k.chetan, amountPaise: 10_001, mode: 'upi', reason: 'x' }, k.cashier)).fields).toEqual({ amountPaise: 'At most ₹100.00' });
    // The rest goes back by UPI; then nothing is left, and paying from the advance is refused too.
    expect(k.c.ok('billing.refund', { patientId: k.chetan, amountPaise: 10_000, mode: 'upi', reason: 'Closing the account' }, k.admin).advanceBalancePaise).toBe(0);
    expect(failure(k.c.call('billing.refund', { patientId: k.chetan, amountPaise: 100, mode: 'cash', reason: 'x' }, k.cashier)).message).toBe('Chetan Desai has no unused advance to refund.');
    const second = issued(k, k.chetan, [CBC]);
    expect(failure(pay(k, second.id, [{ mode: 'advance', amountPaise: 100 }])).message).toMatch(/₹0\.00 of advance left/);

    const statement = k.c.ok('billing.advance', { patientId: k.chetan }, k.reception);
    expect(statement).toMatchObject({ patientName: 'Chetan Desai', receivedPaise: 100_000, usedPaise: 50_000, refundedPaise: 50_000, balancePaise: 0 });
    expect(statement.entries.map((e) => [e.kind, e.mode, e.amountPaise])).toEqual([
      ['refunded', 'upi', 10_000],
      ['used', 'advance', 50_000],
      ['refunded', 'cash', 40_000],
      ['received', 'cash', 100_000],
    ]);
    // Another patient's advance is not this one's; a bill's refund stays with the bill's patient.
    expect(failure(k.c.call('billing.refund', { patientId: k.deepa, amountPaise: 100, mode: 'cash', reason: 'x' }, k.cashier)).message).toMatch(/no unused advance/);
    expect(failure(k.c.call('billing.refund', { invoiceId: bill.id, patientId: k.deepa, amountPaise: 100, mode: 'cash', reason: 'x' }, k.cashier)).fields).toEqual({
      patientId: 'The invoice is another patient’s',
    });

    // Bad input is named; the receptionist takes advances but does not give money back.
    expect(failure(k.c.call('billing.refund', { amountPaise: 100, mode: 'cash', reason: 'x' }, k.cashier)).fields).toEqual({
      invoiceId: 'Give the invoice, or a patient to refund their unused advance',
    });
    expect(failure(k.c.call('billing.refund', { patientId: k.chetan, amountPaise: 0, mode: 'cash', reason: 'x' }, k.cashier)).fields).toEqual({ amountPaise: 'Amount must be more than zero' });
    expect(failure(k.c.call('billing.refund', { patientId: k.chetan, amountPaise: 100, mode: 'advance', reason: 'x' }, k.cashier)).fields?.mode).toMatch(/Mode must be one of: cash/);
    expect(failure(k.c.call('billing.refund', { patientId: k.chetan, amountPaise: 100, mode: 'cash', reason: ' ' }, k.cashier)).fields).toEqual({ reason: 'Reason is required' });
    expect(failure(k.c.call('billing.refund', { patientId: k.chetan, amountPaise: 100, mode: 'cash', reason: 'x' }, k.reception)).code).toBe('forbidden');

    // The day: ₹1,000 cash in, ₹500 of it used on the bill, ₹400 cash and ₹100 UPI given back.
    const day = k.c.ok('billing.dayEnd', { date: TODAY, openingCashPaise: 50_000, denominations: { '500': 2, '100': 1 } }, k.cashier);
    expect(day.byMode).toMatchObject({ cash: 100_000, advance: 50_000, upi: 0 });
    expect(day.refundsByMode).toMatchObject({ cash: 40_000, upi: 10_000 });
    expect(day).toMatchObject({ refundedPaise: 50_000, advancesRefundedPaise: 50_000, advancesReceivedPaise: 100_000, advanceUsedPaise: 50_000, receivedPaise: 100_000 });
    // Refunds of advances belong to no doctor or service; the bill paid from the advance does.
    expect(day.byDoctor.reduce((sum, d) => sum + d.refundedPaise, 0)).toBe(0);
    expect(day.byService).toEqual([{ kind: 'consultation', collectedPaise: 50_000, refundedPaise: 0, netPaise: 50_000 }]);
    // Opening ₹500 + cash in ₹1,000 - cash refunded ₹400 = ₹1,100 expected; ₹1,100 counted.
    expect(day.cash).toMatchObject({ openingPaise: 50_000, receivedPaise: 100_000, refundedPaise: 40_000, expectedPaise: 110_000, countedPaise: 110_000, differencePaise: 0 });
  });

  it('is refused on a day closed on this workstation and allowed the next day', () => {
    const k = openCounter();
    k.c.ok('billing.recordPayment', { patientId: k.anil, parts: [{ mode: 'upi', amountPaise: 30_000, reference: '412356789012' }] }, k.cashier);
    k.c.ok('billing.dayEnd', { date: TODAY, close: true }, k.cashier);
    const closed = failure(k.c.call('billing.refund', { patientId: k.anil, amountPaise: 10_000, mode: 'cash', reason: 'Not needed' }, k.cashier));
    expect(closed.code).toBe('conflict');
    expect(closed.message).toMatch(/has been closed on this workstation; no more refunds/);
    expect(k.c.ok('billing.advance', { patientId: k.anil }, k.cashier).balancePaise).toBe(30_000);
    k.c.clock.now += DAY;
    expect(k.c.ok('billing.refund', { patientId: k.anil, amountPaise: 10_000, mode: 'cash', reason: 'Not needed' }, k.cashier).advanceBalancePaise).toBe(20_000);
    const next = k.c.ok('billing.dayEnd', { date: '2026-11-22', openingCashPaise: 20_000 }, k.cashier);
    expect(next).toMatchObject({ refundedPaise: 10_000, advancesRefundedPaise: 10_000, cash: { expectedPaise: 10_000 } });
  });

  it('shows the advance left after a refund on the next advance receipt, and explains advance refunds on the day-end PDF', async () => {
    const k = openCounter();
    k.c.ok('billing.recordPayment', { patientId: k.deepa, parts: [{ mode: 'cash', amountPaise: 100_000 }] }, k.cashier);
    k.c.ok('billing.refund', { patientId: k.deepa, amountPaise: 40_000, mode: 'cash', reason: 'Surgery moved' }, k.cashier);
    const later = k.c.ok('billing.recordPayment', { patientId: k.deepa, parts: [{ mode: 'cash', amountPaise: 20_000 }] }, k.cashier);
    const pdfText = async (method: 'billing.receiptPdf' | 'billing.dayEndPdf', input: object) => {
      const started = k.c.ok(method, input, k.cashier);
      const finished = await k.c.app.jobs.wait(started.id);
      expect(finished.status).toBe('done');
      const file = path.join(tempDir(), 'doc.pdf');
      fs.writeFileSync(file, Buffer.from(k.c.ok('jobs.document', { jobId: started.id }, k.cashier).pdfBase64, 'base64'));
      const out = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(out.status).toBe(0);
      return out.stdout.replace(/[ \t]+/g, ' ');
    };
    // ₹1,000 in, ₹400 back, ₹200 in: ₹800 held.
    expect(await pdfText('billing.receiptPdf', { receiptNumber: later.receiptNumber })).toContain('Advance held after this receipt: ₹800.00');
    const dayEnd = await pdfText('billing.dayEndPdf', { date: TODAY, openingCashPaise: 0 });
    expect(dayEnd).toMatch(/Less: cash refunded ₹400\.00/);
    expect(dayEnd).toMatch(/Expected cash ₹800\.00/);
    expect(dayEnd).toContain('Unused advances refunded (₹400.00)');
  });

  it('keeps the refunds written before the migration that made the invoice optional, and keeps them insert-only', () => {
    // A database at the schema before 0016, with an invoice refund (more in test/integration/migrations/).
    const file = path.join(tempDir(), 'clinic.db');
    const old = migrateTo(file, '0015');
    const insert = "INSERT INTO refunds (id, created_at, updated_at, hlc, device_id, invoice_id, patient_id, mode, amount_paise, reason, refunded_by, refunded_on) VALUES (?, 1, 1, 'h', 'd', ?, 'p', 'cash', 2900, 'Medicine returned', 'u', '2026-11-21')";
    old.sqlite.prepare(insert).run('r-1', 'invoice-1');
    expect(() => old.sqlite.prepare(insert).run('r-2', null)).toThrow(/NOT NULL/);
    old.sqlite.close();

    const now = migrateRest(file);
    expect(now.sqlite.prepare('SELECT id, invoice_id, amount_paise FROM refunds').all()).toEqual([{ id: 'r-1', invoice_id: 'invoice-1', amount_paise: 2900 }]);
    now.sqlite.prepare(insert).run('r-2', null);
    expect(() => now.sqlite.prepare('UPDATE refunds SET amount_paise = 1').run()).toThrow(/refunds are insert-only/);
    expect(() => now.sqlite.prepare('DELETE FROM refunds').run()).toThrow(/refunds are insert-only/);
    const indexes = now.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'refunds' AND name LIKE 'refunds_%' ORDER BY name").pluck().all();
    expect(indexes).toEqual(['refunds_day_idx', 'refunds_invoice_idx', 'refunds_patient_idx']);
    now.sqlite.close();
  });
});

describe('invoice numbers', () => {
  it('run per workstation series and financial year, restart on 1 April (IST), and stay within 16 characters', () => {
    const k = openCounter();
    const numbers: string[] = [];
    numbers.push(issued(k, k.anil, [CONSULT]).invoiceNumber!);
    k.c.clock.now = Date.UTC(2027, 2, 31, 18, 0); // 31 March 2027, 23:30 IST: still 2026-27
    numbers.push(issued(k, k.anil, [CONSULT]).invoiceNumber!);
    k.c.clock.now = Date.UTC(2027, 2, 31, 18, 45); // 1 April 2027, 00:15 IST
    const april = issued(k, k.anil, [CONSULT]);
    numbers.push(april.invoiceNumber!);
    expect(april).toMatchObject({ invoiceNumber: '2728/A/000001', financialYear: '2027-28', issuedOn: '2027-04-01' });
    numbers.push(issued(k, k.anil, [CONSULT]).invoiceNumber!);
    const r = pay(k, april.id, [{ mode: 'cash', amountPaise: 50_000 }]);
    expect(r.ok && r.value.receiptNumber).toBe('R/2728/A/000001');
    // Another workstation series (the longest prefix) still fits.
    k.c.ok('settings.setWorkstation', { seriesPrefix: 'abcd' }, k.admin);
    numbers.push(issued(k, k.anil, [CONSULT]).invoiceNumber!);
    expect(numbers).toEqual(['2627/A/000001', '2627/A/000002', '2728/A/000001', '2728/A/000002', '2728/ABCD/000001']);
    for (const n of numbers) expect(n).toMatch(/^[A-Za-z0-9/-]{1,16}$/);
  });
});

describe('a seeded random counter', () => {
  it('keeps payments, refunds and totals exact over 1,000 invoices through the router', () => {
    const k = openCounter();
    const r = prng(46);
    const N = 1000;
    const RATES = [0, 0, 500, 500, 1200, 1800, 2800];
    const KINDS = ['consultation', 'procedure', 'lab', 'medicine', 'package', 'other'] as const;
    const patientsList = [k.anil, k.bhavna, k.chetan, k.deepa];
    const model = new Map<string, { paid: number; refunded: number; credited: number; total: number; left: number[]; roundOff: number }>();
    const utr = () => String(r.int(100_000, 999_999)) + String(r.int(100_000, 999_999));
    let payments_ = 0;
    let refunds_ = 0;
    for (let n = 0; n < N; n++) {
      const lines = Array.from({ length: r.int(1, 6) }, (_, i) => {
        const kind = r.pick(KINDS);
        const quantity = r.int(1, kind === 'medicine' ? 30 : 2);
        // A medicine at ₹0 is one whose price was not entered yet: not issued (see 'a medicine without an MRP').
        const ratePaise = kind === 'medicine' ? r.int(1, 50_000) : r.int(0, 300_000);
        return {
          kind,
          description: `Item ${n}.${i}`,
          quantity,
          ratePaise,
          discountPaise: r.next() < 0.2 ? r.int(0, quantity * ratePaise) : 0,
          gstRateBp: kind === 'consultation' || kind === 'lab' ? 0 : r.pick(RATES),
          taxInclusive: kind === 'medicine' || r.next() < 0.2,
        };
      });
      const net = lines.reduce((s, l) => s + l.quantity * l.ratePaise - l.discountPaise, 0);
      const roll = r.next();
      const discount =
        roll < 0.5 ? null : roll < 0.75 ? { kind: 'amount', value: r.int(0, net), reason: 'random' } : { kind: 'percent', value: r.int(0, 10_000), reason: 'random' };
      // The administrator approves any discount by giving it.
      const inv = issued(k, r.pick(patientsList), lines, discount ? { discount } : {}, k.admin);
      const t = inv.totals;
      expect(t.totalPaise).toBe(t.taxablePaise + t.cgstPaise + t.sgstPaise + t.roundOffPaise);
      // Refunds take back part of a line: what is left of each line, and what the bill no longer comes to.
      const m = { paid: 0, refunded: 0, credited: 0, total: t.totalPaise, left: inv.lines.map((l) => l.totalPaise), roundOff: t.roundOffPaise };
      model.set(inv.id, m);
      for (let step = r.int(0, 5); step > 0; step--) {
        const due = m.total - m.credited - (m.paid - m.refunded);
        if (r.next() < 0.65) {
          // Sometimes try to pay more than is due: it must be refused and change nothing.
          const want = r.next() < 0.15 ? due + r.int(1, 10_000) : r.int(1, Math.max(1, due));
          const split = r.int(0, want);
          const parts = [
            { mode: r.pick(['cash', 'netbanking', 'wallet', 'insurance'] as const), amountPaise: want - split },
            { mode: r.pick(['upi', 'card'] as const), amountPaise: split, reference: utr() },
          ].filter((p) => p.amountPaise > 0);
          const res = k.c.call('billing.recordPayment', { invoiceId: inv.id, parts }, k.admin);
          if (want <= due && due > 0) {
            expect(res.ok, JSON.stringify(res)).toBe(true);
            m.paid += want;
            payments_ += parts.length;
          } else {
            expect(res.ok).toBe(false);
          }
        } else {
          const held = m.paid - m.refunded;
          const line = r.int(0, m.left.length - 1);
          const lineLeft = m.left[line]!;
          const want = r.next() < 0.15 ? lineLeft + r.int(1, 1000) : r.int(1, Math.max(1, lineLeft));
          // The last of the bill takes its round-off with it.
          const last = want === lineLeft && m.left.every((v, i) => i === line || v === 0);
          const taken = want + (last ? m.roundOff : 0);
          // Only what was paid beyond what the bill comes to afterwards goes back (none for lines not paid for).
          const money = Math.max(0, Math.min(taken, held - (m.total - m.credited - taken)));
          const res = k.c.call('billing.refund', { invoiceId: inv.id, lines: [{ line, amountPaise: want }], mode: r.pick(['cash', 'upi'] as const), reason: 'random' }, k.admin);
          if (want <= lineLeft && lineLeft > 0) {
            expect(res.ok, JSON.stringify(res)).toBe(true);
            expect(res.ok && res.value.amountPaise).toBe(money);
            m.refunded += money;
            m.credited += taken;
            m.left[line] = lineLeft - want;
            refunds_++;
          } else {
            expect(res.ok).toBe(false);
          }
        }
      }
    }
    expect(payments_).toBeGreaterThan(500);
    expect(refunds_).toBeGreaterThan(300);
    // Check every invoice against the ledger rows, through one list call (the full view for a sample).
    const listed = new Map(k.c.ok('billing.list', { limit: 1000 }, k.admin).map((i) => [i.id, i]));
    expect(listed.size).toBe(N);
    const rows = new Map(k.c.app.database.db.select().from(invoices).all().map((row) => [row.id, row]));
    let n = 0;
    for (const [id, m] of model) {
      const row = rows.get(id)!;
      const t = row.totals!;
      const db = ledger(k.c, id);
      const view = listed.get(id)!;
      expect(db).toEqual({ paid: m.paid, refunded: m.refunded });
      expect(view.paidPaise).toBe(db.paid - db.refunded);
      // A refund never makes the bill owe: what is due is what it still comes to less what is held.
      expect(view.balancePaise).toBe(t.totalPaise - m.credited - view.paidPaise);
      expect(view.paidPaise).toBeLessThanOrEqual(t.totalPaise - m.credited);
      const settled = view.paidPaise >= t.totalPaise - m.credited;
      const label = settled ? (m.credited === 0 ? 'paid' : m.credited >= t.totalPaise ? (m.refunded > 0 ? 'refunded' : 'credited') : m.refunded > 0 ? 'partly refunded' : 'paid') : view.paidPaise > 0 ? 'partially paid' : 'issued';
      expect(view.statusLabel).toBe(label);
      expect(t.totalPaise).toBe(t.taxablePaise + t.cgstPaise + t.sgstPaise + t.roundOffPaise);
      expect(t.exactPaise).toBe(row.lines.reduce((s, l) => s + l.totalPaise!, 0));
      for (const v of [...Object.values(t), ...row.lines.flatMap((l) => [l.taxablePaise, l.cgstPaise, l.sgstPaise, l.totalPaise])]) {
        expect(Number.isSafeInteger(v)).toBe(true);
      }
      if (n++ % 50 === 0) expect(invoice(k, id)).toMatchObject({ paidPaise: view.paidPaise, refundedPaise: db.refunded, balancePaise: view.balancePaise, totals: t });
    }
  }, 180_000);
});

describe('day end', () => {
  it('totals by mode, doctor and service match the payments; closing locks this workstation’s day', () => {
    const k = openCounter();
    // A: Dr Rao, ₹629.00, paid in cash; ₹29 of the paracetamol refunded in cash.
    const a = issued(k, k.anil, [CONSULT, PCM, AMOX], { doctorId: k.drRao });
    expect(pay(k, a.id, [{ mode: 'cash', amountPaise: 62_900 }]).ok).toBe(true);
    k.c.ok('billing.refund', { invoiceId: a.id, lines: [{ line: 1, amountPaise: 2900 }], mode: 'cash', reason: 'Strip returned' }, k.cashier);
    // B: Dr Iyer, consultation ₹400 + dressing ₹300 + 18% (₹54) = ₹754.00, paid by UPI.
    const b = issued(k, k.bhavna, [{ ...CONSULT, ratePaise: 40_000 }, DRESSING], { doctorId: k.drIyer });
    expect(b.totals.totalPaise).toBe(75_400);
    expect(pay(k, b.id, [{ mode: 'upi', amountPaise: 75_400, reference: '111122223333' }]).ok).toBe(true);
    // C: a test for Deepa, left unpaid. And Chetan leaves ₹100 advance in cash.
    const c = issued(k, k.deepa, [CBC]);
    k.c.ok('billing.recordPayment', { patientId: k.chetan, parts: [{ mode: 'cash', amountPaise: 10_000 }] }, k.cashier);
    // A void invoice of the day.
    const v = issued(k, k.chetan, [CONSULT]);
    k.c.ok('billing.voidInvoice', { invoiceId: v.id, reason: 'Duplicate' }, k.cashier);

    const denominations = { '500': 4, '200': 5, '100': 7, '50': 1 }; // ₹2000 + 1000 + 700 + 50 = ₹3,750
    const preview = k.c.ok('billing.dayEnd', { date: TODAY, openingCashPaise: 200_000, denominations }, k.cashier);
    expect(preview).toMatchObject({ preview: true, closed: false, paymentCount: 3 });
    expect(preview.byMode).toEqual({ cash: 72_900, card: 0, upi: 75_400, netbanking: 0, wallet: 0, insurance: 0, advance: 0 });
    expect(preview.refundsByMode.cash).toBe(2900);
    expect(preview).toMatchObject({ receivedPaise: 148_300, advancesReceivedPaise: 10_000, refundedPaise: 2900 });
    expect(preview.byDoctor).toEqual([
      { doctorId: k.drIyer, doctorName: 'Dr Arjun Iyer', collectedPaise: 75_400, refundedPaise: 0, netPaise: 75_400 },
      { doctorId: k.drRao, doctorName: 'Dr Meera Rao', collectedPaise: 62_900, refundedPaise: 2900, netPaise: 60_000 },
    ]);
    // A's ₹629.00 over its lines (500.00 / 34.00 / 94.50 of ₹628.50): 50039.78 / 3402.70 / 9457.52
    // -> 50040 / 3403 / 9457; its ₹29 refund is the paracetamol's alone (the line it took back).
    // B's ₹754 over 400.00 / 354.00 exactly.
    expect(preview.byService).toEqual([
      { kind: 'consultation', collectedPaise: 90_040, refundedPaise: 0, netPaise: 90_040 },
      { kind: 'procedure', collectedPaise: 35_400, refundedPaise: 0, netPaise: 35_400 },
      { kind: 'medicine', collectedPaise: 12_860, refundedPaise: 2900, netPaise: 9960 },
    ]);
    const onInvoices = 62_900 + 75_400;
    expect(preview.byService.reduce((s, x) => s + x.collectedPaise, 0)).toBe(onInvoices);
    expect(preview.byDoctor.reduce((s, x) => s + x.collectedPaise, 0)).toBe(onInvoices);
    expect(preview.invoicesIssued).toEqual({ count: 4, numbers: ['2627/A/000001', '2627/A/000002', '2627/A/000003', '2627/A/000004'], billedPaise: 62_900 + 75_400 + 30_000 });
    expect(preview.invoicesVoided).toEqual({ count: 1, numbers: ['2627/A/000004'] });
    // Dues: C's ₹300 only; A's refunded line is off the bill, not owed.
    expect(preview.dues).toEqual({ count: 1, totalPaise: 30_000 });
    expect(preview.creditNotes).toMatchObject({ count: 1, numbers: ['2627/A/C00001'], totalPaise: 2900 });
    // Expected cash: opening ₹2,000 + cash in ₹729 - cash refunded ₹29 = ₹2,700; counted ₹3,750.
    expect(preview.cash).toEqual({ openingPaise: 200_000, receivedPaise: 72_900, refundedPaise: 2900, expectedPaise: 270_000, denominations, countedPaise: 375_000, differencePaise: 105_000 });
    expect(failure(k.c.call('billing.dayEnd', { date: TODAY, denominations: { '25': 1 } }, k.cashier)).fields).toEqual({ 'denominations.25': 'Notes and coins are counted in rupees: 2000, 500, 200, 100, 50, 20, 10, 5, 2, 1' });

    const closed = k.c.ok('billing.dayEnd', { date: TODAY, openingCashPaise: 200_000, denominations: { '500': 5, '100': 20 }, close: true, differenceReason: 'Float for tomorrow counted in' }, k.cashier);
    expect(closed).toMatchObject({ closed: true, preview: false, closedBy: 'Kavya Menon', cash: { expectedPaise: 270_000, countedPaise: 450_000, differencePaise: 180_000 } });
    expect(failure(k.c.call('billing.dayEnd', { date: TODAY, openingCashPaise: 0, close: true }, k.cashier)).message).toMatch(/already closed on this workstation by Kavya Menon/);
    expect(k.c.ok('billing.dayEnd', { date: TODAY }, k.cashier)).toMatchObject({ closed: true, preview: true, closedBy: 'Kavya Menon' });

    // From now on, today, this workstation takes no money and gives none back.
    const locked = failure(pay(k, c.id, [{ mode: 'cash', amountPaise: 30_000 }]));
    expect(locked.code).toBe('conflict');
    expect(locked.message).toMatch(/has been closed on this workstation/);
    expect(failure(k.c.call('billing.recordPayment', { patientId: k.chetan, parts: [{ mode: 'cash', amountPaise: 100 }] }, k.cashier)).code).toBe('conflict');
    expect(failure(k.c.call('billing.refund', { invoiceId: b.id, lines: [{ line: 0, amountPaise: 100 }], mode: 'upi', reason: 'x' }, k.cashier)).message).toMatch(/no more refunds/);
    // The next day is open.
    k.c.clock.now += DAY;
    expect(pay(k, c.id, [{ mode: 'cash', amountPaise: 30_000 }]).ok).toBe(true);
    k.c.ok('billing.refund', { invoiceId: b.id, lines: [{ line: 0, amountPaise: 100 }], mode: 'upi', reason: 'Rounding' }, k.cashier);
    const next = k.c.ok('billing.dayEnd', { date: '2026-11-22' }, k.cashier);
    expect(next).toMatchObject({ closed: false, byMode: { cash: 30_000 }, refundsByMode: { upi: 100 }, dues: { count: 0, totalPaise: 0 } });
    expect(failure(k.c.call('billing.dayEnd', { date: '2026-11-23', close: true }, k.cashier)).fields).toEqual({ date: 'In the future' });
  });
});

describe('the ledgers and who may touch them', () => {
  it('refuses to change or delete payment and refund rows', () => {
    const k = openCounter();
    const inv = issued(k, k.anil, [CONSULT]);
    expect(pay(k, inv.id, [{ mode: 'cash', amountPaise: 50_000 }]).ok).toBe(true);
    k.c.ok('billing.refund', { invoiceId: inv.id, lines: [{ line: 0, amountPaise: 1000 }], mode: 'cash', reason: 'x' }, k.cashier);
    const sqlite = k.c.app.database.sqlite;
    expect(() => sqlite.prepare('UPDATE payments SET amount_paise = 1').run()).toThrow(/payments are insert-only/);
    expect(() => sqlite.prepare('DELETE FROM payments').run()).toThrow(/payments are insert-only/);
    expect(() => sqlite.prepare('UPDATE refunds SET amount_paise = 1').run()).toThrow(/refunds are insert-only/);
    expect(() => sqlite.prepare('DELETE FROM refunds').run()).toThrow(/refunds are insert-only/);
    expect(ledger(k.c, inv.id)).toEqual({ paid: 50_000, refunded: 1000 });
  });

  it('lets the counter roles bill, the cashier refund and close the day, and keeps doctors out', () => {
    const k = openCounter();
    const inv = issued(k, k.anil, [CONSULT], {}, k.reception);
    // Reception bills and takes money, but does not refund or close the day.
    expect(pay(k, inv.id, [{ mode: 'cash', amountPaise: 20_000 }], k.reception).ok).toBe(true);
    expect(failure(k.c.call('billing.refund', { invoiceId: inv.id, lines: [{ line: 0, amountPaise: 100 }], mode: 'cash', reason: 'x' }, k.reception)).code).toBe('forbidden');
    expect(failure(k.c.call('billing.dayEnd', { date: TODAY }, k.reception)).code).toBe('forbidden');
    // A doctor neither takes payments nor reads the counter.
    expect(failure(pay(k, inv.id, [{ mode: 'cash', amountPaise: 100 }], k.rao)).code).toBe('forbidden');
    expect(failure(k.c.call('billing.invoice', { invoiceId: inv.id }, k.rao)).code).toBe('forbidden');
    expect(failure(k.c.call('billing.createInvoice', { patientId: k.anil, lines: [CONSULT] }, k.rao)).code).toBe('forbidden');
    // The price list is the administrator's.
    const item = { code: 'dress-s', name: 'Dressing (small)', kind: 'procedure', sacHsn: '999319', gstRateBp: 1800, pricePaise: 30_000 };
    expect(failure(k.c.call('billing.savePriceItem', item, k.cashier)).code).toBe('forbidden');
    const saved = k.c.ok('billing.savePriceItem', item, k.admin);
    expect(saved).toMatchObject({ code: 'DRESS-S', gstRateBp: 1800, taxInclusive: false, active: true });
    expect(failure(k.c.call('billing.savePriceItem', { ...item, name: 'Other' }, k.admin)).fields).toEqual({ code: 'Already used by another item' });
    expect(failure(k.c.call('billing.savePriceItem', { ...item, code: 'X', gstRateBp: 700 }, k.admin)).fields?.gstRateBp).toMatch(/one of 0, 25, 300/);
    k.c.ok('billing.savePriceItem', { ...item, id: saved.id, pricePaise: 35_000, active: false }, k.admin);
    expect(k.c.ok('billing.priceList', {}, k.cashier)).toEqual([]);
    expect(k.c.ok('billing.priceList', { includeInactive: true }, k.cashier)[0]).toMatchObject({ pricePaise: 35_000, active: false });
    // The cashier refunds and closes the day.
    expect(k.c.call('billing.refund', { invoiceId: inv.id, lines: [{ line: 0, amountPaise: 100 }], mode: 'cash', reason: 'x' }, k.cashier).ok).toBe(true);
    expect(k.c.call('billing.dayEnd', { date: TODAY }, k.cashier).ok).toBe(true);
  });
});

describe('lists and dues', () => {
  it('lists the day’s invoices by status and the dues outstanding', () => {
    const k = openCounter();
    const paid = issued(k, k.anil, [CONSULT]);
    expect(pay(k, paid.id, [{ mode: 'cash', amountPaise: 50_000 }]).ok).toBe(true);
    const part = issued(k, k.bhavna, [CONSULT, CBC]);
    expect(pay(k, part.id, [{ mode: 'cash', amountPaise: 10_000 }]).ok).toBe(true);
    const open = issued(k, k.chetan, [CBC]);
    const d = draft(k, k.deepa, [CONSULT]);
    const all = k.c.ok('billing.list', { date: TODAY }, k.cashier);
    expect(all.map((i) => [i.patientName, i.statusLabel, i.balancePaise])).toEqual([
      ['Deepa Nair', 'draft', 0],
      ['Chetan Desai', 'issued', 30_000],
      ['Bhavna Shah', 'partially paid', 70_000],
      ['Anil Joshi', 'paid', 0],
    ]);
    expect(all[0]!.id).toBe(d.id);
    expect(k.c.ok('billing.list', { status: 'partially paid' }, k.cashier).map((i) => i.id)).toEqual([part.id]);
    expect(k.c.ok('billing.list', { patientId: k.anil }, k.cashier).map((i) => i.invoiceNumber)).toEqual(['2627/A/000001']);
    expect(k.c.ok('billing.list', { date: '2026-11-20' }, k.cashier)).toEqual([]);
    const dues = k.c.ok('billing.dues', {}, k.reception);
    expect(dues).toMatchObject({ count: 2, totalDuePaise: 100_000 });
    expect(dues.invoices.map((i) => [i.invoiceNumber, i.patientName, i.balancePaise])).toEqual([
      [part.invoiceNumber, 'Bhavna Shah', 70_000],
      [open.invoiceNumber, 'Chetan Desai', 30_000],
    ]);
  });
});

describe('ABDM InvoiceRecord', () => {
  it('is a FHIR document bundle with the Composition first and every reference resolved inside it', () => {
    const k = openCounter();
    k.c.ok('patients.update', { id: k.anil, patch: { givenName: 'Anil', abhaNumber: '91-1234-5678-9012', abhaAddress: 'anil.joshi@sbx' } }, k.reception);
    const d = draft(k, k.anil, [CONSULT, PCM, AMOX], { doctorId: k.drRao, discount: { kind: 'amount', value: 5000, reason: 'Senior citizen' } });
    expect(failure(k.c.call('billing.fhir', { invoiceId: d.id }, k.cashier)).message).toMatch(/issue the invoice first/);
    const inv = k.c.ok('billing.issueInvoice', { invoiceId: d.id }, k.cashier);
    const bundle = k.c.ok('billing.fhir', { invoiceId: inv.id }, k.cashier);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'document', timestamp: '2026-11-21T10:00:00+05:30' });
    expect(fhirProblems(bundle)).toEqual([]);
    expect(bundle.meta).toMatchObject({ versionId: '1', profile: ['https://nrces.in/ndhm/fhir/r4/StructureDefinition/DocumentBundle'] });
    const kinds = bundle.entry.map((e) => e.resource.resourceType);
    expect(kinds).toEqual(['Composition', 'Patient', 'Practitioner', 'Organization', 'Invoice', 'ChargeItem', 'ChargeItem', 'ChargeItem', 'Medication', 'Medication']);
    const fullUrls = new Set(bundle.entry.map((e) => e.fullUrl));
    for (const e of bundle.entry) expect(e.fullUrl).toBe(`urn:uuid:${e.resource.id}`);
    const refs: string[] = [];
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [key, x] of Object.entries(v)) {
          if (key === 'reference' && typeof x === 'string') refs.push(x);
          else walk(x);
        }
      }
    };
    walk(bundle);
    expect(refs.length).toBeGreaterThan(10);
    for (const r of refs) expect(fullUrls.has(r), `${r} resolves inside the bundle`).toBe(true);

    const all = (type: string) => bundle.entry.filter((e) => e.resource.resourceType === type).map((e) => e.resource as Record<string, unknown>);
    const res = (type: string) => all(type)[0]!;
    // InvoiceRecord fixes type.text and defines no code: no coding without a system and code.
    expect(res('Composition')).toMatchObject({ status: 'final', type: { text: 'Invoice Record' }, title: 'Invoice-cum-Bill of Supply 2627/A/000001' });
    expect(res('Composition').type).not.toHaveProperty('coding');
    // Its one section refers to the Invoice only (the profile's closed slicing).
    expect(res('Composition').section).toEqual([{ title: 'Invoice-cum-Bill of Supply', entry: [{ reference: `urn:uuid:${String(res('Invoice').id)}`, type: 'Invoice' }] }]);
    expect(res('Patient').identifier).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: { coding: [{ system: ID_TYPES, code: 'HIN', display: 'Health ID issued by NDHM' }] }, system: 'https://healthid.ndhm.gov.in', value: '91-1234-5678-9012' }),
        expect.objectContaining({ type: { coding: [expect.objectContaining({ system: ID_TYPES, code: 'ABHA' })] }, value: 'anil.joshi@sbx' }),
      ]),
    );
    expect(res('Practitioner')).toMatchObject({
      identifier: [{ type: { coding: [{ system: V2_0203, code: 'MD', display: 'Medical License number' }] }, system: IMR, value: 'MMC-2011-04567', assigner: { display: 'Maharashtra Medical Council' } }],
      name: [{ text: 'Dr Meera Rao' }],
    });
    expect(res('Organization')).toMatchObject({ name: 'Sharma Clinic', identifier: [{ type: { coding: [{ system: V2_0203, code: 'TAX', display: 'Tax ID number' }] }, system: 'https://services.gst.gov.in/services/searchtp', value: GSTIN }] });
    const invoiceRes = res('Invoice') as { type: unknown; lineItem: { priceComponent: { type: string; code: { coding: { system: string; code: string }[] }; amount: { value: number; currency: string } }[] }[]; totalGross: unknown; totalNet: unknown; identifier: unknown };
    // The number as printed, and the bill's own row (what a care context's copy is checked against on sync).
    expect(invoiceRes.identifier).toEqual([{ type: { text: 'Invoice-cum-Bill of Supply' }, value: '2627/A/000001' }, { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${inv.id}` }]);
    // A consultation with medicines: an OPD bill in ndhm-billing-codes.
    expect(invoiceRes.type).toEqual({ coding: [{ system: BILLING, code: '03', display: 'OPD' }], text: 'Invoice-cum-Bill of Supply' });
    expect(invoiceRes.totalGross).toEqual({ value: 579, currency: 'INR' });
    expect(invoiceRes.totalNet).toEqual({ value: 572.87, currency: 'INR' });
    // Paracetamol: MRP 10 × ₹3.40, its ₹2.70 share of the discount, CGST 0.75 + SGST 0.74 at 2.5% each; the rate is what adds up to the line's total.
    expect(invoiceRes.lineItem[1]!.priceComponent.map((p) => [p.type, p.code.coding[0]!.system, p.code.coding[0]!.code, p.amount.value])).toEqual([
      ['base', PRICE, '01', 32.51],
      ['informational', PRICE, '00', 34],
      ['discount', PRICE, '02', 2.7],
      ['tax', PRICE, '03', 0.75],
      ['tax', PRICE, '04', 0.74],
    ]);
    for (const line of invoiceRes.lineItem) for (const p of line.priceComponent) expect([p.amount.currency, p.code.coding[0]!.system]).toEqual(['INR', PRICE]);
    // ChargeItems coded from ndhm-billing-codes; the SAC code with a system; medicines as Medications with their HSN code.
    const charges = all('ChargeItem');
    expect(charges.map((c) => (c.code as { coding: { system: string; code: string }[] }).coding[0])).toEqual([
      { system: BILLING, code: '00', display: 'Consultation' },
      { system: BILLING, code: '05', display: 'Medicines' },
      { system: BILLING, code: '05', display: 'Medicines' },
    ]);
    expect(charges[0]).toMatchObject({ productCodeableConcept: { coding: [{ system: GST_HSN_SAC, code: '999312', display: 'SAC 999312' }], text: 'Consultation' } });
    expect(charges[1]).toMatchObject({ productReference: { reference: `urn:uuid:${String(all('Medication')[0]!.id)}` } });
    expect(all('Medication')[0]).toMatchObject({
      identifier: [{ type: { coding: [{ system: ID_TYPES, code: 'HSN', display: 'Harmonized System of Nomenclature' }] }, system: GST_HSN_SAC, value: '30049099' }],
      code: { text: 'PARACETAMOL 500 mg tablet' },
    });
    // Exports are audited (the refused draft export too).
    const audited = k.c.app.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'billing.fhir'), eq(auditLog.entityId, inv.id))).all();
    expect(audited.map((a) => [a.outcome, a.detail])).toEqual([
      ['failed', expect.stringMatching(/issue the invoice first/)],
      ['ok', 'FHIR InvoiceRecord export 2627/A/000001'],
    ]);
  });

  it('reflects a credit note: the credited line carries deductions of its rate and tax, the totals are after the credit, the note names it', () => {
    const k = openCounter();
    const inv = issued(k, k.bhavna, [CONSULT, DRESSING], { doctorId: k.drRao });
    expect(inv.totals).toMatchObject({ taxablePaise: 80_000, cgstPaise: 2700, sgstPaise: 2700, totalPaise: 85_400 });
    expect(pay(k, inv.id, [{ mode: 'cash', amountPaise: 85_400 }]).ok).toBe(true);
    const r = k.c.ok('billing.refund', { invoiceId: inv.id, lines: [{ line: 1, quantity: 1 }], mode: 'cash', reason: 'Dressing not done' }, k.cashier);
    expect(r.creditNote).toMatchObject({ kind: 'credit-note', taxablePaise: 30_000, cgstPaise: 2700, sgstPaise: 2700, totalPaise: 35_400 });

    const bundle = k.c.ok('billing.fhir', { invoiceId: inv.id }, k.cashier);
    expect(fhirProblems(bundle)).toEqual([]);
    const invoiceRes: Record<string, unknown> = bundle.entry.find((e) => e.resource.resourceType === 'Invoice')!.resource;
    const invoice = invoiceRes as {
      status: string;
      lineItem: { priceComponent: { type: string; code: { coding: { system: string; code: string }[] }; amount: { value: number } }[] }[];
      totalNet: unknown;
      totalGross: unknown;
      note: { text: string }[];
    };
    const components = (i: number) => invoice.lineItem[i]!.priceComponent.map((p) => [p.type, p.code.coding[0]!.system, p.code.coding[0]!.code, p.amount.value]);
    // The consultation (exempt) is untouched; the dressing as issued, then what the credit note took back.
    expect(components(0)).toEqual([['base', PRICE, '01', 500]]);
    expect(components(1)).toEqual([
      ['base', PRICE, '01', 300],
      ['tax', PRICE, '03', 27],
      ['tax', PRICE, '04', 27],
      ['deduction', PRICE, '01', 300],
      ['deduction', PRICE, '03', 27],
      ['deduction', PRICE, '04', 27],
    ]);
    expect(invoice).toMatchObject({ status: 'balanced', totalNet: { value: 500, currency: 'INR' }, totalGross: { value: 500, currency: 'INR' } });
    expect(invoice.note.map((n) => n.text)).toEqual([
      expect.stringMatching(/^Tax Invoice|^Invoice-cum-Bill of Supply/),
      `Credit Note ${r.creditNote!.number} of ${TODAY} against line 2 (Wound dressing): taxable value ₹300.00, CGST ₹27.00, SGST ₹27.00, total ₹354.00. Reason: Dressing not done.`,
      'As issued: ₹854.00; after credits: ₹500.00.',
    ]);
  });

  it('names a Jan Aushadhi medicine by its product code; a clinic’s own drug in words with no empty coding; a pharmacy bill is typed Pharmacy', () => {
    const k = openCounter();
    k.c.app.database.db.update(drugs).set({ source: 'janaushadhi', sourceCode: 'JA0456' }).where(eq(drugs.id, DRUG.cetirizine)).run();
    const CTZ = { kind: 'medicine', refId: DRUG.cetirizine, description: 'CETIRIZINE 10 mg tablet', sacHsn: '30049099', quantity: 1, ratePaise: 1000, gstRateBp: 500, taxInclusive: true } as const;
    const inv = issued(k, k.chetan, [CTZ, PCM]);
    const bundle = k.c.ok('billing.fhir', { invoiceId: inv.id }, k.cashier);
    expect(fhirProblems(bundle)).toEqual([]);
    const of = (type: string) => bundle.entry.filter((e) => e.resource.resourceType === type).map((e) => e.resource as Record<string, unknown>);
    expect(of('Invoice')[0]!.type).toMatchObject({ coding: [{ system: BILLING, code: '01', display: 'Pharmacy' }] });
    expect(of('Medication').map((m) => m.code)).toEqual([
      { coding: [{ system: 'https://janaushadhi.gov.in', code: 'JA0456', display: 'Cetirizine' }], text: 'CETIRIZINE 10 mg tablet' },
      { text: 'PARACETAMOL 500 mg tablet' },
    ]);
    // No doctor on the bill: the clinic authors the record, and no Practitioner is sent.
    expect(of('Practitioner')).toEqual([]);
    expect(bundle.entry[0]!.resource).toMatchObject({ author: [{ reference: `urn:uuid:${String(of('Organization')[0]!.id)}` }] });
  });
});
