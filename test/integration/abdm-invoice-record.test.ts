import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { HybridClock } from '../../shared/hlc';
import { Writer } from '../../db/write';
import { abdmCareContexts } from '../../db/schema';
import type { Output } from '../../electron/api';
import { fhirProblems } from '../helpers/fhir-schema';
import { failure, openDoctorDesk, type DoctorDesk } from './doctor-fixtures';

/*
 * Issue #17: a visit's ABDM care context holds the InvoiceRecord of the visit's bill that stands.
 * The cashier voids a wrong bill and issues the corrected one: what ABDM is sent for the visit is
 * the corrected bill, never the voided one; a bill paid before the doctor completes the visit is
 * in the record from completion on.
 */

const CONSULT = { kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 50_000 } as const;
type Invoice = Output<'billing.invoice'>;
type Bundle = { entry: { resource: Record<string, unknown> }[] };

function visitOf(d: DoctorDesk, patientId: string): string {
  const v = d.c.ok('queue.checkIn', { patientId, doctorId: d.drRao }, d.reception);
  expect(d.c.ok('queue.callNext', {}, d.rao).visitId).toBe(v.visitId);
  d.c.ok('consultations.save', { visitId: v.visitId, note: { chiefComplaints: ['Fever for 3 days'] } }, d.rao);
  return v.visitId;
}

function bill(d: DoctorDesk, patientId: string, visitId: string, ratePaise: number): Invoice {
  const draft = d.c.ok('billing.createInvoice', { patientId, visitId, lines: [{ ...CONSULT, ratePaise }] }, d.reception);
  return d.c.ok('billing.issueInvoice', { invoiceId: draft.id }, d.reception);
}

/** The care context as the desk holds it: its hiTypes, and the bill its Invoice record describes (number, total in rupees, status). */
function careContext(d: DoctorDesk, visitId: string) {
  const cc = d.c.app.database.db.select().from(abdmCareContexts).where(eq(abdmCareContexts.visitId, visitId)).get();
  if (!cc) return null;
  const bundle = cc.bundles.Invoice as Bundle | undefined;
  if (bundle) expect(fhirProblems(bundle)).toEqual([]);
  const inv = bundle?.entry.find((e) => e.resource.resourceType === 'Invoice')?.resource as { identifier: { value: string }[]; totalGross: { value: number }; status: string } | undefined;
  return { id: cc.id, hiTypes: cc.hiTypes, invoice: inv ? [inv.identifier[0]!.value, inv.totalGross.value, inv.status] : null };
}

describe('the ABDM Invoice record follows the visit’s bills', () => {
  it('a bill issued before completion is in the record; voided, it goes; the corrected bill takes its place', () => {
    const d = openDoctorDesk();
    const visit = visitOf(d, d.anil);
    // Paid at the front desk before the doctor has finished: there is no care context yet.
    const first = bill(d, d.anil, visit, 50_000);
    expect(careContext(d, visit)).toBeNull();
    d.c.ok('consultations.complete', { visitId: visit }, d.rao);
    expect(careContext(d, visit)).toMatchObject({ hiTypes: ['OPConsultation', 'Invoice'], invoice: [first.invoiceNumber, 500, 'issued'] });

    // Wrong fee: voided. ABDM is no longer sent that bill (no corrected one yet: no Invoice record at all).
    d.c.ok('billing.voidInvoice', { invoiceId: first.id, reason: 'Wrong fee' }, d.reception);
    expect(careContext(d, visit)).toMatchObject({ hiTypes: ['OPConsultation'], invoice: null });
    const corrected = bill(d, d.anil, visit, 30_000);
    expect(careContext(d, visit)).toMatchObject({ hiTypes: ['OPConsultation', 'Invoice'], invoice: [corrected.invoiceNumber, 300, 'issued'] });

    // A second bill while the corrected one stands does not displace it (one InvoiceRecord per care context).
    const extra = bill(d, d.anil, visit, 20_000);
    expect(careContext(d, visit)?.invoice).toEqual([corrected.invoiceNumber, 300, 'issued']);
    // Voiding the held bill hands the record to the bill still standing.
    d.c.ok('billing.voidInvoice', { invoiceId: corrected.id, reason: 'Entered twice' }, d.reception);
    expect(careContext(d, visit)?.invoice).toEqual([extra.invoiceNumber, 200, 'issued']);
    // A bill of no visit, or voiding another visit's bill, leaves this record alone.
    const other = visitOf(d, d.bhavna);
    d.c.ok('consultations.complete', { visitId: other }, d.rao);
    const theirs = bill(d, d.bhavna, other, 50_000);
    d.c.ok('billing.voidInvoice', { invoiceId: theirs.id, reason: 'Wrong patient' }, d.reception);
    expect(careContext(d, visit)?.invoice).toEqual([extra.invoiceNumber, 200, 'issued']);
    expect(careContext(d, other)).toMatchObject({ hiTypes: ['OPConsultation'], invoice: null });
  });

  it('the desk’s own rule book refuses an Invoice record that is not the visit’s standing bill, or dropping one that stands', () => {
    const d = openDoctorDesk();
    const visit = visitOf(d, d.anil);
    d.c.ok('consultations.complete', { visitId: visit }, d.rao);
    const held = bill(d, d.anil, visit, 50_000);
    const elsewhere = visitOf(d, d.bhavna);
    d.c.ok('consultations.complete', { visitId: elsewhere }, d.rao);
    const theirs = bill(d, d.bhavna, elsewhere, 40_000);
    const voided = bill(d, d.anil, visit, 10_000);
    d.c.ok('billing.voidInvoice', { invoiceId: voided.id, reason: 'Wrong' }, d.reception);

    const db = d.c.app.database.db;
    const cc = db.select().from(abdmCareContexts).where(eq(abdmCareContexts.visitId, visit)).get()!;
    const bundleOf = (visitId: string) => db.select().from(abdmCareContexts).where(eq(abdmCareContexts.visitId, visitId)).get()!.bundles.Invoice as Bundle;
    const mine = bundleOf(visit);
    const tampered = (f: (inv: Record<string, unknown>) => void): Bundle => {
      const copy = JSON.parse(JSON.stringify(mine)) as Bundle;
      f(copy.entry.find((e) => e.resource.resourceType === 'Invoice')!.resource);
      return copy;
    };
    const receptionId = d.c.ok('auth.me', {}, d.reception).user.id;
    const clock = new HybridClock('device-test', () => Date.now());
    const writer = new Writer({ db, deviceId: d.c.app.deviceId, now: () => Date.now(), tick: () => clock.tick(), userId: receptionId, roles: ['receptionist'], record: () => undefined });
    const put = (invoice: unknown) => () =>
      d.c.app.database.sqlite.transaction(() => writer.update(abdmCareContexts, cc.id, invoice === undefined ? { hiTypes: ['OPConsultation'], bundles: { OPConsultation: cc.bundles.OPConsultation } } : { hiTypes: ['OPConsultation', 'Invoice'], bundles: { ...cc.bundles, Invoice: invoice } }))();
    // While the held bill stands, its record is neither altered, dropped nor swapped.
    expect(put(tampered((inv) => (inv.totalGross = { value: 5, currency: 'INR' })))).toThrow(`holds bill ${held.invoiceNumber}, still issued`);
    expect(put(undefined)).toThrow(`holds bill ${held.invoiceNumber}, still issued`);
    expect(put(bundleOf(elsewhere))).toThrow(`holds bill ${held.invoiceNumber}, still issued`);
    // Once the held bill is void, a replacement is still checked: another visit's bill, a void bill, a made-up number.
    d.c.ok('billing.voidInvoice', { invoiceId: held.id, reason: 'Wrong' }, d.reception);
    const now = db.select().from(abdmCareContexts).where(eq(abdmCareContexts.id, cc.id)).get()!;
    expect(now.hiTypes).toEqual(['OPConsultation']);
    Object.assign(cc, now);
    expect(put(bundleOf(elsewhere))).toThrow(`is a bill of that visit: bill ${theirs.invoiceNumber} is of another visit`);
    expect(put(tampered((inv) => ((inv.identifier as { value: string }[])[1]!.value = `urn:uuid:${voided.id}`)))).toThrow(`is an issued bill: bill ${voided.invoiceNumber} is void`);
    expect(put(mine)).toThrow(`is an issued bill: bill ${held.invoiceNumber} is void`);
    // Nothing of it reached the care context or the outbox's record.
    expect(failure(d.c.call('billing.voidInvoice', { invoiceId: held.id, reason: 'again' }, d.reception)).code).toBe('conflict');
    expect(db.select().from(abdmCareContexts).where(eq(abdmCareContexts.id, cc.id)).get()!.hiTypes).toEqual(['OPConsultation']);
  });
});
