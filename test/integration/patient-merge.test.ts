import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, patientMerges, patients } from '../../db/schema';
import type { PrescriptionItem } from '../../shared/clinical';
import { FOLLOWED_TABLES, LOCAL_TABLES, MOVED_TABLES } from '../../electron/services/patient-merge';
import { makePng } from '../helpers/attachment-files';
import { checkIn, failure, openDoctorDesk, PATIENTS, TODAY, type DoctorDesk } from './doctor-fixtures';

const ITEM: PrescriptionItem = {
  drugId: null,
  genericName: 'Paracetamol',
  brand: null,
  form: 'tablet',
  strength: '500 mg',
  route: 'oral',
  dose: '1 tab',
  frequency: '1-0-1',
  timing: 'after-food',
  durationDays: 3,
  quantity: 6,
  instructions: null,
  instructionsHi: null,
  acknowledged: [],
};
const CONSULT = { kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 50_000 } as const;

/** Anil registered a second time (same mobile, another address, an allergy), acknowledged as a possible duplicate. */
function duplicateAnil(d: DoctorDesk, extra: Record<string, unknown> = {}): { id: string; mrn: string } {
  const patient = { ...PATIENTS.anil, givenName: 'Anil', addressLine1: '12 Station Road', city: 'Pune', allergies: [{ type: 'medication', substance: 'Penicillin', severity: 'severe' }], ...extra };
  const r = d.c.ok('patients.register', { patient, acknowledgeDuplicates: [d.anil] }, d.reception);
  if (r.status !== 'registered') throw new Error('not registered');
  return { id: r.patient.id, mrn: r.patient.mrn };
}

/** A full day of records for a patient: a booking, a visit, its note, prescription, lab order and result, a paid bill and an advance. */
function dayOfRecords(d: DoctorDesk, patientId: string) {
  const appt = d.c.ok('appointments.book', { patientId, doctorId: d.drRao, date: TODAY, start: '11:30' }, d.reception);
  const visit = checkIn(d, patientId, d.drRao, { appointmentId: appt.id });
  expect(d.c.ok('queue.callNext', {}, d.rao).visitId).toBe(visit.visitId);
  d.c.ok('consultations.save', { visitId: visit.visitId, note: { chiefComplaints: ['Fever'] } }, d.rao);
  d.c.ok('prescriptions.save', { visitId: visit.visitId, items: [ITEM] }, d.rao);
  const hb = d.c.ok('labs.tests', {}, d.rao).find((t) => t.code === 'HB')!.id;
  const [order] = d.c.ok('labs.order', { visitId: visit.visitId, testIds: [hb] }, d.rao);
  d.c.ok('labs.collect', { orderId: order!.orderId }, d.rao);
  d.c.ok('labs.recordResult', { orderId: order!.orderId, value: '13' }, d.rao);
  d.c.ok('attachments.add', { patientId, visitId: visit.visitId, kind: 'imaging', title: 'Chest X-ray', documentDate: TODAY, base64: makePng().toString('base64') }, d.reception);
  d.c.ok('consultations.complete', { visitId: visit.visitId }, d.rao);
  d.c.ok('certificates.issue', { visitId: visit.visitId, kind: 'medical_leave', diagnosis: 'Fever', restFrom: TODAY, restTo: TODAY, language: 'en' }, d.rao);
  const inv = d.c.ok('billing.createInvoice', { patientId, visitId: visit.visitId, doctorId: d.drRao, lines: [CONSULT] }, d.admin);
  d.c.ok('billing.issueInvoice', { invoiceId: inv.id }, d.admin);
  d.c.ok('billing.recordPayment', { invoiceId: inv.id, parts: [{ mode: 'cash', amountPaise: 50_000 }] }, d.admin);
  d.c.ok('billing.recordPayment', { patientId, parts: [{ mode: 'cash', amountPaise: 20_000 }] }, d.admin);
  return { visitId: visit.visitId, appointmentId: appt.id };
}

const idsOn = (d: DoctorDesk, table: string, patientId: string) =>
  (d.c.app.database.sqlite.prepare(`SELECT id FROM "${table}" WHERE patient_id = ? ORDER BY id`).pluck().all(patientId) as string[]);

/** Every table of the local schema with a patient_id column, read from SQLite itself. */
const tablesNamingPatients = (d: DoctorDesk) =>
  d.c.app.database.sqlite
    .prepare(`SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name = 'patient_id' ORDER BY m.name`)
    .pluck()
    .all() as string[];

describe('patients.merge', () => {
  it('moves every row of every table naming the merged record to the survivor, with the chosen fields', () => {
    const d = openDoctorDesk();
    const dup = duplicateAnil(d);
    dayOfRecords(d, dup.id);

    // Schema-driven: a new table with patient_id must be moved, followed or local, and have rows here.
    const moved = MOVED_TABLES.map((t) => t.name);
    for (const table of tablesNamingPatients(d)) {
      expect([...moved, ...FOLLOWED_TABLES, ...LOCAL_TABLES], `${table} names patients but patients.merge does not handle it`).toContain(table);
    }
    const before = Object.fromEntries(moved.map((t) => [t, idsOn(d, t, dup.id)]));
    for (const t of moved) expect(before[t]!.length, `the test makes no ${t} row for the merged record: add one`).toBeGreaterThan(0);
    for (const t of FOLLOWED_TABLES.filter((t) => !['refunds', 'credit_notes', 'dispenses', 'abdm_care_contexts', 'abdm_profile_shares', 'abdm_consent_views', 'abdm_transfer_views', 'abdm_link_views'].includes(t))) expect(idsOn(d, t, dup.id).length, t).toBeGreaterThan(0);

    const r = d.c.ok('patients.merge', { survivorId: d.anil, mergedId: dup.id, fields: { address: 'merged' } }, d.reception);
    expect(r.moved).toMatchObject({ visits: 1, appointments: 1, consultations: 1, prescriptions: 1, lab_orders: 1, invoices: 1 });
    for (const t of moved) {
      expect(idsOn(d, t, dup.id), t).toEqual([]);
      expect(idsOn(d, t, d.anil), t).toEqual(expect.arrayContaining(before[t]!));
    }
    // The survivor took the merged record's address, kept its own name, and both records' allergies.
    const anil = d.c.ok('patients.get', { id: d.anil }, d.reception);
    expect(anil.patient).toMatchObject({ addressLine1: '12 Station Road', city: 'Pune', givenName: 'Anil', familyName: 'Joshi' });
    expect(anil.patient.allergies.map((a) => a.substance)).toEqual(['Penicillin']);
    expect(anil.mergedFrom).toEqual([{ id: dup.id, mrn: dup.mrn }]);
    expect(anil.recentVisits).toHaveLength(1);
    // The merged record stays readable and says where it went; ledgers stay and are followed.
    const old = d.c.ok('patients.get', { id: dup.id }, d.reception);
    expect(old.patient.mergedInto).toBe(d.anil);
    expect(old.merge).toMatchObject({ intoId: d.anil, intoMrn: anil.patient.mrn });
    expect(d.c.ok('billing.advance', { patientId: d.anil }, d.admin).balancePaise).toBe(20_000);
    // The number the patient carries still finds them.
    const found = d.c.ok('patients.search', { query: dup.mrn, limit: 10 }, d.reception);
    expect(found.map((f) => [f.id, f.mergedFrom])).toEqual([[d.anil, dup.mrn]]);
    // A visit registered afterwards under the old record lands on the survivor.
    const later = checkIn(d, dup.id, d.drIyer);
    expect(idsOn(d, 'visits', d.anil)).toContain(later.visitId);
    // Audited: who, and which fields.
    const audit = d.c.app.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'patients.merge'), eq(auditLog.entityType, 'patients'))).all();
    expect(audit.some((a) => a.outcome === 'ok' && a.detail?.includes(`merged MRN ${dup.mrn} into MRN ${anil.patient.mrn}; from MRN ${dup.mrn}: address`))).toBe(true);
    const record = d.c.app.database.db.select().from(patientMerges).get()!;
    expect(record).toMatchObject({ survivorId: d.anil, mergedId: dup.id, mergedMrn: dup.mrn, undoneAt: null });
    expect(record.fieldChoices.address).toBe('merged');
  });

  it('refuses with clear, field-named reasons', () => {
    const d = openDoctorDesk();
    const self = failure(d.c.call('patients.merge', { survivorId: d.anil, mergedId: d.anil }, d.reception));
    expect(self.fields).toEqual({ mergedId: 'A record cannot be merged into itself' });
    const a = duplicateAnil(d, { abhaNumber: '91234567890123' });
    d.c.ok('patients.update', { id: d.anil, patch: { abhaNumber: '91111111111111' } }, d.reception);
    const abha = failure(d.c.call('patients.merge', { survivorId: d.anil, mergedId: a.id }, d.reception));
    expect(abha.code).toBe('conflict');
    expect(abha.message).toContain('different ABHA numbers (91111111111111 and 91234567890123)');
    expect(abha.fields).toHaveProperty(['fields.abhaNumber']);
    expect(failure(d.c.call('patients.merge', { survivorId: d.anil, mergedId: d.bhavna }, d.rao)).code).toBe('forbidden');

    d.c.ok('patients.merge', { survivorId: d.bhavna, mergedId: d.chetan }, d.reception);
    const again = failure(d.c.call('patients.merge', { survivorId: d.deepa, mergedId: d.chetan }, d.reception));
    expect(again.fields).toEqual({ mergedId: expect.stringContaining('Already merged into MRN') });
    const into = failure(d.c.call('patients.merge', { survivorId: d.chetan, mergedId: d.deepa }, d.reception));
    expect(into.message).toMatch(/was merged into MRN .*: merge into MRN .* instead/);
    expect(into.fields).toHaveProperty('survivorId');
    expect(failure(d.c.call('patients.merge', { survivorId: d.anil, mergedId: d.deepa, fields: { mrn: 'merged' } }, d.reception)).code).toBe('invalid_input');
    expect(failure(d.c.call('patients.unmerge', { mergedId: d.chetan }, d.reception)).code).toBe('forbidden');
  });

  it('does not carry "verified with ABDM" over to an ABHA taken from the merged record', () => {
    const d = openDoctorDesk();
    const farah = { givenName: 'Farah', familyName: 'Khan', gender: 'female', dob: '1990-05-05', mobile: '9822000099' } as const;
    const first = d.c.ok('patients.register', { patient: { ...farah, abhaAddress: 'farah.k@sbx' } }, d.reception);
    if (first.status !== 'registered') throw new Error('not registered');
    const survivor = first.patient.id;
    const second = d.c.ok('patients.register', { patient: { ...farah, abhaAddress: 'farah.khan@sbx' }, acknowledgeDuplicates: [survivor] }, d.reception);
    if (second.status !== 'registered') throw new Error('not registered');
    // The survivor's own ABHA address was verified by OTP at reception (abdm.abhaLink's columns).
    d.c.app.database.sqlite.prepare('UPDATE patients SET abha_verified_at = 1, abha_verified_by = ?, abha_verify_method = ? WHERE id = ?').run('someone', 'mobile-otp', survivor);
    d.c.ok('patients.merge', { survivorId: survivor, mergedId: second.patient.id, fields: { abhaAddress: 'merged' } }, d.reception);
    const kept = d.c.app.database.sqlite.prepare('SELECT abha_address AS a, abha_verified_at AS v, abha_verify_method AS m FROM patients WHERE id = ?').get(survivor);
    expect(kept).toEqual({ a: 'farah.khan@sbx', v: null, m: null });
  });

  it("an administrator's undo moves back exactly the rows the merge moved and restores the survivor's fields", () => {
    const d = openDoctorDesk();
    const dup = duplicateAnil(d);
    dayOfRecords(d, dup.id);
    const own = Object.fromEntries(MOVED_TABLES.map(({ name }) => [name, idsOn(d, name, d.anil)]));
    const theirs = Object.fromEntries(MOVED_TABLES.map(({ name }) => [name, idsOn(d, name, dup.id)]));
    d.c.ok('patients.merge', { survivorId: d.anil, mergedId: dup.id, fields: { address: 'merged' } }, d.reception);
    const later = checkIn(d, d.anil, d.drIyer);

    const r = d.c.ok('patients.unmerge', { mergedId: dup.id }, d.admin);
    expect(r.restored.mergedInto).toBeNull();
    for (const { name } of MOVED_TABLES) {
      expect(idsOn(d, name, dup.id), name).toEqual(theirs[name]);
      const expected = name === 'visits' ? [...own[name]!, later.visitId].sort() : own[name];
      expect(idsOn(d, name, d.anil), name).toEqual(expected);
    }
    const anil = d.c.app.database.db.select().from(patients).where(eq(patients.id, d.anil)).get()!;
    expect(anil.addressLine1).toBeNull();
    expect(d.c.app.database.db.select().from(patientMerges).get()!.undoneAt).not.toBeNull();
    expect(failure(d.c.call('patients.unmerge', { mergedId: dup.id }, d.admin)).message).toContain('is not merged');
    const audit = d.c.app.database.db.select().from(auditLog).where(eq(auditLog.action, 'patients.unmerge')).all();
    expect(audit.some((a) => a.detail?.includes(`undid the merge of MRN ${dup.mrn}`))).toBe(true);
  });
});
