import { describe, expect, it } from 'vitest';
import { checkSyncedChange } from '../../db/sync-row-schemas';
import { SYNCED_TABLES } from '../../db/sync-tables';
import { SYNC_RULES, type ChangeFacts, type Signer } from '../../shared/sync-rules';

/* The rule book, rule by rule: each allowed change next to the refused one it differs from. */

const admin: Signer = { id: 'u-admin', roles: ['admin'] };
const rita: Signer = { id: 'u-rita', roles: ['receptionist'] };
const kiran: Signer = { id: 'u-kiran', roles: ['cashier'] };
const meera: Signer = { id: 'u-meera', roles: ['doctor'] };
const arjun: Signer = { id: 'u-arjun', roles: ['doctor'] };

const stamps = { updated_at: 2, hlc: '000001700000000-0001-dev', device_id: 'dev' };
const base = { created_at: 1, deleted_at: null, ...stamps };

type Facts = Omit<ChangeFacts, 'shape' | 'bootstrap'> & { bootstrap?: boolean };
const check = (f: Facts) => checkSyncedChange({ bootstrap: false, ...f });
const update = (table: string, before: Record<string, unknown>, columns: Record<string, unknown>, signer: Signer | null): Facts => ({
  table,
  rowId: String(before.id),
  op: 'update',
  columns: { ...columns, ...stamps },
  before,
  signer,
});
const insert = (table: string, row: Record<string, unknown>, signer: Signer | null): Facts => ({ table, rowId: String(row.id), op: 'insert', columns: { ...base, ...row }, before: null, signer });

const ritaRow = { id: rita.id, ...base, username: 'rita', full_name: 'Rita', password_hash: 'scrypt$old', roles: ['receptionist'], active: true };
const adminRow = { ...ritaRow, id: admin.id, username: 'admin', full_name: 'Admin', roles: ['admin'] };

describe('the rule book: users and roles', () => {
  it('lets anyone change their own password, and only that, on their own row', () => {
    expect(check(update('users', ritaRow, { password_hash: 'scrypt$new' }, rita))).toBeNull();
    expect(check(update('users', ritaRow, { roles: ['receptionist', 'admin'] }, rita))).toMatch(/own account .* only their password, not their roles/);
    expect(check(update('users', ritaRow, { active: false }, rita))).toMatch(/not their active/);
    // Not even an administrator changes their own roles.
    expect(check(update('users', adminRow, { roles: ['admin', 'doctor'] }, admin))).toMatch(/not their roles/);
  });

  it('lets only administrators change other people’s rows', () => {
    expect(check(update('users', ritaRow, { roles: ['receptionist', 'cashier'] }, admin))).toBeNull();
    expect(check(update('users', adminRow, { full_name: 'Not The Admin' }, rita))).toBe('a receptionist may not change users');
    expect(check(update('users', adminRow, { password_hash: 'scrypt$mine' }, rita))).toBe('a receptionist may not change users');
    expect(check(insert('users', { ...ritaRow, id: 'u-new', username: 'new' }, kiran))).toBe('a cashier may not change users');
  });

  it('accepts roles only as a non-empty list of known roles', () => {
    expect(check(update('users', ritaRow, { roles: 'admin' }, admin))).toBe('users.roles must be a list or a record, not text');
    expect(check(update('users', ritaRow, { roles: [] }, admin))).toMatch(/users.roles must be a list of one or more of admin, receptionist, doctor, cashier/);
    expect(check(update('users', ritaRow, { roles: ['superuser'] }, admin))).toMatch(/users.roles must be a list of one or more/);
  });

  it('lets the clinic and its first administrator be written before anyone can log in, and nothing else', () => {
    const first = insert('users', adminRow, null);
    expect(check({ ...first, bootstrap: true })).toBeNull();
    expect(check({ ...insert('facility', { id: 'f1', name: 'C', address: 'A', phone: '1', registration: {}, letterhead: {}, registration_status: 'draft', hfr_id: null }, null), bootstrap: true })).toBeNull();
    expect(check(first)).toBe('a change to users must come from a logged-in user');
    expect(check({ ...insert('patients', { id: 'p1' }, null), bootstrap: true })).toMatch(/a new patients row needs|must come from a logged-in user/);
  });
});

const issued = {
  id: 'inv1',
  ...base,
  invoice_number: '2627/A/000001',
  financial_year: '2026-27',
  patient_id: 'p1',
  visit_id: null,
  doctor_id: null,
  status: 'issued',
  lines: [{ description: 'Consultation', quantity: 1, ratePaise: 50_000 }],
  discount_kind: null,
  discount_value: null,
  discount_reason: null,
  discount_approved_by: null,
  totals: { totalPaise: 50_000 },
  issued_at: 5,
  issued_by: kiran.id,
  issued_device_id: 'dev',
  issued_on: '2026-12-06',
  void_reason: null,
  voided_at: null,
  voided_by: null,
};
const draft = { ...issued, invoice_number: null, financial_year: null, status: 'draft', totals: null, issued_at: null, issued_by: null, issued_device_id: null, issued_on: null };

describe('the rule book: invoices', () => {
  it('starts an invoice as a draft without a number', () => {
    expect(check(insert('invoices', draft, rita))).toBeNull();
    expect(check(insert('invoices', issued, kiran))).toBe('a new invoice starts as a draft');
  });

  it('issues a draft only with a number, in the name of the person issuing it', () => {
    const issue = { status: 'issued', invoice_number: '2627/A/000001', financial_year: '2026-27', totals: { totalPaise: 50_000 }, issued_at: 5, issued_by: kiran.id, issued_on: '2026-12-06' };
    expect(check(update('invoices', draft, issue, kiran))).toBeNull();
    expect(check(update('invoices', draft, { ...issue, invoice_number: null }, kiran))).toBe('an invoice is issued only with its number and financial year');
    expect(check(update('invoices', draft, { ...issue, issued_by: rita.id }, kiran))).toBe('invoices.issued_by must be the person making the change, not someone else');
  });

  it('never takes an issued invoice back to draft, never changes its number or figures, never deletes it', () => {
    expect(check(update('invoices', issued, { status: 'draft' }, admin))).toBe('invoice 2627/A/000001 has been issued: it never goes back to draft, it can only be voided');
    expect(check(update('invoices', issued, { status: 'draft', invoice_number: null, lines: [], totals: { totalPaise: 1 } }, admin))).toMatch(
      /has been issued: its invoice_number, lines, totals can no longer change/,
    );
    expect(check(update('invoices', issued, { invoice_number: '2627/A/000999' }, admin))).toMatch(/its invoice_number can no longer change/);
    expect(check(update('invoices', issued, { financial_year: '2025-26', issued_on: '2025-04-01' }, admin))).toMatch(/its financial_year, issued_on can no longer change/);
    expect(check({ ...update('invoices', issued, { deleted_at: 9 }, admin), op: 'delete' })).toBe('invoice 2627/A/000001 has been issued: it is never deleted, only voided with a reason');
  });

  it('voids an issued invoice only with a reason, in the voider’s name; a void one stays void', () => {
    const voiding = { status: 'void', void_reason: 'Wrong patient', voided_at: 9, voided_by: kiran.id };
    expect(check(update('invoices', issued, voiding, kiran))).toBeNull();
    expect(check(update('invoices', issued, { ...voiding, void_reason: null }, kiran))).toBe('an invoice is voided only with a reason');
    expect(check(update('invoices', issued, { ...voiding, voided_by: admin.id }, kiran))).toBe('invoices.voided_by must be the person making the change, not someone else');
    const voided = { ...issued, ...voiding };
    expect(check(update('invoices', voided, { status: 'issued' }, admin))).toBe('invoice 2627/A/000001 is void and stays void');
    // Edits of a draft are free; a doctor may not touch invoices at all.
    expect(check(update('invoices', draft, { lines: [] }, rita))).toBeNull();
    expect(check(update('invoices', draft, { lines: [] }, meera))).toBe('a doctor may not change invoices');
  });
});

const payment = { id: 'pay1', ...base, invoice_id: null, patient_id: 'p1', mode: 'cash', amount_paise: 50_000, reference: null, received_by: kiran.id, received_on: '2026-12-06', receipt_number: 'A/R/000001' };

describe('the rule book: ledgers', () => {
  it('records money in the name of the person who received it, once, never changed or deleted', () => {
    expect(check(insert('payments', payment, kiran))).toBeNull();
    expect(check(insert('payments', { ...payment, received_by: admin.id }, kiran))).toBe('payments.received_by must be the person making the change, not someone else');
    expect(check(update('payments', payment, { amount_paise: 1 }, admin))).toBe('payments rows are insert-only: they are never changed or deleted once recorded');
    expect(check({ ...update('payments', payment, { deleted_at: 9 }, admin), op: 'delete' })).toMatch(/insert-only/);
    expect(check(insert('payments', { ...payment, mode: 'barter' }, kiran))).toMatch(/payments.mode cannot be "barter"/);
    expect(check(insert('payments', { ...payment, amount_paise: '50000' }, kiran))).toBe('payments.amount_paise must be a whole number, not text');
    expect(check(insert('payments', { ...payment, amount_paise: 0.5 }, kiran))).toBe('payments.amount_paise must be a whole number, not a number with a fraction');
    const { receipt_number: _r, ...noReceipt } = payment;
    expect(check(insert('payments', noReceipt, kiran))).toBe('a new payments row needs receipt_number');
    expect(check(insert('refunds', { id: 'r1', ...base, invoice_id: null, patient_id: 'p1', mode: 'cash', amount_paise: 1, reason: 'x', refunded_by: rita.id, refunded_on: '2026-12-06' }, rita))).toBe(
      'a receptionist may not change refunds',
    );
  });

  it('writes audit entries only in the signer’s own name; an unsigned one only of something that did not succeed', () => {
    const entry = { id: 'a1', ...base, at: 1, user_id: rita.id, username: 'rita', action: 'patients.update', outcome: 'ok', entity_type: 'patients', entity_id: 'p1', old_values: null, new_values: null, detail: null };
    expect(check(insert('audit_log', entry, rita))).toBeNull();
    expect(check(insert('audit_log', { ...entry, user_id: admin.id, username: 'admin' }, rita))).toBe('audit_log.user_id must be the person making the change, not someone else');
    const failedLogin = { ...entry, action: 'auth.login', outcome: 'failed', detail: 'Wrong username or password.' };
    expect(check(insert('audit_log', { ...failedLogin, user_id: null, username: 'nobody', entity_type: null, entity_id: null }, null))).toBeNull();
    expect(check(insert('audit_log', { ...entry, user_id: null, action: 'auth.login', outcome: 'ok' }, null))).toBe('an audit entry of a successful action must come from a logged-in user');
    // A failed login names the account that was tried, before anyone could sign (the lockout syncs).
    expect(check(insert('audit_log', { ...failedLogin, user_id: rita.id, entity_type: 'user', entity_id: rita.id }, null))).toBeNull();
    // Nothing else in someone's name without their signature: another action, another account, values, words of its own.
    const unsignedLogin = { ...failedLogin, user_id: rita.id, entity_type: 'user', entity_id: rita.id };
    expect(check(insert('audit_log', { ...unsignedLogin, action: 'patients.delete' }, null))).toMatch(/audit_log.user_id names a person/);
    expect(check(insert('audit_log', { ...unsignedLogin, user_id: null, action: 'patients.delete' }, null))).toBe('an audit entry naming a person without their signature can only be a failed login');
    expect(check(insert('audit_log', { ...unsignedLogin, entity_id: admin.id }, null))).toMatch(/audit_log.user_id names a person/);
    expect(check(insert('audit_log', { ...unsignedLogin, detail: 'Wrong username or password. and a note' }, null))).toMatch(/audit_log.user_id names a person/);
    expect(check(insert('audit_log', { ...unsignedLogin, detail: 'Too many wrong passwords: this account is locked until 10:45 am. Ask an administrator if you need in sooner. locked' }, null))).toBeNull();
    expect(check(insert('audit_log', { ...unsignedLogin, new_values: { a: 1 } }, null))).toMatch(/audit_log.user_id names a person/);
    expect(check(insert('audit_log', { ...entry, user_id: rita.id, outcome: 'ok' }, null))).toMatch(/audit_log.user_id names a person/);
    expect(check(insert('audit_log', { ...entry, user_id: null, username: null, outcome: 'ok', entity_type: 'database', action: 'database.encrypted' }, null))).toBeNull();
    expect(check(update('audit_log', entry, { detail: 'edited' }, admin))).toMatch(/insert-only/);
  });
});

describe('the rule book: a doctor’s own records', () => {
  const consultation = { id: 'c1', ...base, visit_id: 'v1', patient_id: 'p1', doctor_id: meera.id, status: 'draft', note: {}, bmi: null, completed_at: null };
  it('lets only the consultation’s doctor write it, and nothing once it is completed', () => {
    expect(check(insert('consultations', consultation, meera))).toBeNull();
    expect(check(insert('consultations', consultation, arjun))).toBe('consultations belong to one doctor (doctor_id): only that doctor may write them');
    expect(check(insert('consultations', consultation, admin))).toBe('an admin may not change consultations');
    expect(check(update('consultations', consultation, { status: 'completed', completed_at: 3 }, meera))).toBeNull();
    expect(check(update('consultations', consultation, { doctor_id: arjun.id }, meera))).toMatch(/only that doctor/);
    const completed = { ...consultation, status: 'completed', completed_at: 3 };
    expect(check(update('consultations', completed, { note: { advice: 'changed' } }, meera))).toBe('a completed consultation is locked: changes are made as an amendment');
    expect(check(update('consultations', completed, { status: 'draft' }, meera))).toMatch(/locked/);
    expect(check(insert('consultation_amendments', { id: 'am1', ...base, consultation_id: 'c1', author_id: meera.id, reason: 'typo', changes: {} }, meera))).toBeNull();
    expect(check(insert('consultation_amendments', { id: 'am1', ...base, consultation_id: 'c1', author_id: arjun.id, reason: 'typo', changes: {} }, meera))).toMatch(/author_id must be the person/);
  });

  it('locks a printed prescription except its print count; favourites and templates are their doctor’s', () => {
    const rx = { id: 'rx1', ...base, visit_id: 'v1', patient_id: 'p1', doctor_id: meera.id, rx_number: 'A/RX/000001', status: 'printed', items: [], advice: null, advice_hi: null, diet: null, investigations: null, follow_up_date: null, printed_at: 3, print_count: 1, content_hash: 'h' };
    expect(check(update('prescriptions', rx, { print_count: 2 }, meera))).toBeNull();
    expect(check(update('prescriptions', rx, { items: [{ genericName: 'x' }] }, meera))).toBe('a printed prescription is locked: its items can no longer change');
    const fav = { id: 'f1', ...base, doctor_id: meera.id, kind: 'drug', key: 'd1', name: 'Paracetamol', items: [] };
    expect(check(insert('prescription_favourites', fav, meera))).toBeNull();
    expect(check(update('prescription_favourites', fav, { name: 'Mine now' }, arjun))).toMatch(/only that doctor/);
    const template = { id: 't1', ...base, doctor_id: meera.id, name: 'Fever', note: {} };
    expect(check({ ...update('consultation_templates', template, { deleted_at: 9 }, arjun), op: 'delete' })).toMatch(/only that doctor/);
  });
});

describe('the rule book: certificates', () => {
  const cert = { id: 'mc1', ...base, number: 'MC/A/000001', kind: 'medical_leave', patient_id: 'p1', visit_id: 'v1', doctor_id: meera.id, diagnosis: 'Acute gastroenteritis', rest_from: '2026-11-21', rest_to: '2026-11-23', fit_from: null, purpose: null, remarks: null, language: 'en', issued_at: 5, issued_by: meera.id, voided_at: null, voided_by: null, void_reason: null };
  it('are issued by their own doctor in their own name, in the desk’s series; not by reception, an administrator or another doctor', () => {
    expect(check({ ...insert('certificates', cert, meera), device: { id: 'dev', seriesPrefix: 'A' } })).toBeNull();
    expect(check(insert('certificates', cert, rita))).toBe('a receptionist may not change certificates');
    expect(check(insert('certificates', cert, admin))).toBe('an admin may not change certificates');
    expect(check(insert('certificates', cert, arjun))).toMatch(/issued_by must be the person making the change/);
    expect(check(insert('certificates', { ...cert, voided_at: 6, voided_by: meera.id, void_reason: 'x' }, meera))).toBe('a new certificate is not void');
    expect(check(insert('certificates', { ...cert, kind: 'sick_note' }, meera))).toMatch(/kind/);
    expect(check({ ...insert('certificates', cert, meera), device: { id: 'dev', seriesPrefix: 'B' } })).toMatch(/^certificates.number "MC\/A\/000001" is not in this workstation's number series \(B\)/);
  });
  it('are locked once issued: only a void with a reason, by their doctor; a void one stays void and none is deleted', () => {
    expect(check(update('certificates', cert, { rest_to: '2026-11-30' }, meera))).toBe('certificate MC/A/000001 has been issued: its rest_to can no longer change (void it and issue a new one)');
    expect(check(update('certificates', cert, { voided_at: 9, voided_by: meera.id, void_reason: 'wrong dates' }, meera))).toBeNull();
    expect(check(update('certificates', cert, { voided_at: 9, voided_by: meera.id, void_reason: ' ' }, meera))).toMatch(/voided only with a reason/);
    expect(check(update('certificates', cert, { voided_at: 9, voided_by: arjun.id, void_reason: 'x' }, arjun))).toMatch(/voided_by must be the person|only that doctor/);
    const voided = { ...cert, voided_at: 9, voided_by: meera.id, void_reason: 'wrong dates' };
    expect(check(update('certificates', voided, { voided_at: null, voided_by: null, void_reason: null }, meera))).toBe('certificate MC/A/000001 is void and stays void');
    expect(check({ ...update('certificates', cert, { deleted_at: 9 }, meera), op: 'delete' })).toBe('a doctor may not delete certificates');
  });
});

describe('the rule book: merging duplicate patients', () => {
  const completed = { id: 'c1', ...base, visit_id: 'v1', patient_id: 'p-merged', doctor_id: meera.id, status: 'completed', note: {}, bmi: null, completed_at: 3 };
  it('lets reception move a row of any merged table to the surviving record, and only its patient_id', () => {
    expect(check(update('consultations', completed, { patient_id: 'p-kept' }, rita))).toBeNull();
    expect(check(update('consultations', completed, { patient_id: 'p-kept', note: { advice: 'x' } }, rita))).toBe('a receptionist may not change consultations');
    expect(check(update('consultations', completed, { patient_id: 'p-kept' }, kiran))).toBe('a cashier may not change consultations');
    expect(check(update('consultations', completed, { patient_id: 'p-kept' }, meera))).toBe('a completed consultation is locked: changes are made as an amendment');
    const payment = { id: 'pay1', ...base, patient_id: 'p-merged' };
    expect(check({ ...update('payments', payment, { patient_id: 'p-kept' }, rita) })).toMatch(/insert-only/);
  });

  it('keeps a merge record as made: only an administrator undoes it, in their own name', () => {
    const merge = { id: 'm1', ...base, survivor_id: 'p-kept', merged_id: 'p-merged', merged_mrn: 'A-000002', moved: {}, field_choices: {}, previous_values: {}, merged_by: rita.id, merged_at: 3, undone_at: null, undone_by: null };
    expect(check(insert('patient_merges', merge, rita))).toBeNull();
    expect(check(insert('patient_merges', { ...merge, merged_by: admin.id }, rita))).toMatch(/merged_by must be the person/);
    expect(check(insert('patient_merges', merge, meera))).toBe('a doctor may not change patient_merges');
    expect(check(update('patient_merges', merge, { undone_at: 5, undone_by: admin.id }, admin))).toBeNull();
    expect(check(update('patient_merges', merge, { undone_at: 5, undone_by: rita.id }, rita))).toBe('a receptionist may not change patient_merges');
    expect(check(update('patient_merges', merge, { moved: { visits: ['v9'] } }, admin))).toBe('a patient merge keeps what it did: its moved can no longer change');
  });
});

describe('the rule book covers exactly the synced tables', () => {
  it('has rules for every synced table and no others, with the same kind', () => {
    expect(Object.keys(SYNC_RULES).sort()).toEqual(Object.keys(SYNCED_TABLES).sort());
    for (const [t, spec] of Object.entries(SYNCED_TABLES)) expect(spec.kind).toBe(SYNC_RULES[t]!.kind);
  });
});

describe('the rule book: columns naming a desk (pushingDevice)', () => {
  const deskA = { id: 'dev', seriesPrefix: 'A' };
  const deskB = { id: 'dev-b', seriesPrefix: 'B' };
  const issue = { id: 'i1', invoice_id: 'inv1', invoice_number: '2627/A/000001', financial_year: '2026-27', series: 'A', issued_device_id: 'dev', issued_on: '2026-12-06', issued_at: 5, issued_by: kiran.id, total_paise: 100, totals: null };
  const draft = { id: 'inv1', ...base, patient_id: 'p1', status: 'draft', lines: [], invoice_number: null, issued_device_id: null };

  it('lets a desk write in its own name and series, and refuses another desk’s', () => {
    expect(check({ ...insert('invoice_issues', issue, kiran), device: deskA })).toBeNull();
    expect(check({ ...insert('invoice_issues', issue, kiran), device: deskB })).toMatch(/^invoice_issues.device_id names another workstation/);
    expect(check({ ...insert('invoice_issues', { ...issue, device_id: 'dev-b', issued_device_id: 'dev-b' }, kiran), device: deskB })).toMatch(/^invoice_issues.series "A" is not in this workstation's number series \(B\)/);
    // Without the device (an old caller), nothing is checked; without a series, only ids are.
    expect(check(insert('invoice_issues', issue, kiran))).toBeNull();
    expect(check({ ...insert('invoice_issues', { ...issue, device_id: 'dev-b', issued_device_id: 'dev-b' }, kiran), device: { id: 'dev-b' } })).toBeNull();
  });

  it('keeps MRNs, Rx numbers, booking references and receipts in the series of the desk that gave them', () => {
    const atB = { device_id: 'dev-b' };
    const patient = { id: 'p9', mrn: 'A-000009', given_name: 'Asha', gender: 'female', dob: '1990-01-01' };
    expect(check({ ...insert('patients', patient, rita), device: deskA })).toBeNull();
    expect(check({ ...insert('patients', { ...patient, ...atB }, rita), device: deskB })).toMatch(/^patients.mrn "A-000009" is not in this workstation's number series \(B\)/);
    expect(check({ ...insert('patients', { ...patient, ...atB, mrn: 'B-000009' }, rita), device: deskB })).toBeNull();
    // Desk B edits desk A's patient: the MRN stays A's, and that is fine; taking a new one of A's is not.
    const edit = update('patients', { ...base, ...patient }, { family_name: 'Rao' }, rita);
    expect(check({ ...edit, columns: { ...edit.columns, ...atB }, device: deskB })).toBeNull();
    const renumber = update('patients', { ...base, ...patient }, { mrn: 'A-000010' }, rita);
    expect(check({ ...renumber, columns: { ...renumber.columns, ...atB }, device: deskB })).toMatch(/^patients.mrn "A-000010" is not in this workstation's number series/);
    const booking = { id: 'ap1', booking_ref: 'A-B000001', patient_id: 'p9', doctor_id: meera.id, date: '2026-12-07', start: '10:00', end: '10:15', status: 'scheduled', mode: 'in-person', priority: 'regular' };
    expect(check({ ...insert('appointments', { ...booking, ...atB }, rita), device: deskB })).toMatch(/^appointments.booking_ref "A-B000001" is not in this workstation's number series \(B\)/);
    expect(check({ ...insert('appointments', { ...booking, ...atB, booking_ref: 'B-B000001' }, rita), device: deskB })).toBeNull();
    const rx = { id: 'rx1', visit_id: 'v1', patient_id: 'p9', doctor_id: meera.id, rx_number: 'A/RX/000001', status: 'draft' };
    expect(check({ ...insert('prescriptions', { ...rx, ...atB }, meera), device: deskB })).toMatch(/^prescriptions.rx_number "A\/RX\/000001" is not in this workstation's number series \(B\)/);
    expect(check({ ...insert('prescriptions', { ...rx, ...atB, rx_number: 'B/RX/000001' }, meera), device: deskB })).toBeNull();
    const payment = { id: 'pay1', invoice_id: null, patient_id: 'p9', mode: 'cash', amount_paise: 10_000, reference: null, received_by: kiran.id, received_on: '2026-12-07', receipt_number: 'R/2627/A/000001' };
    expect(check({ ...insert('payments', { ...payment, ...atB }, kiran), device: deskB })).toMatch(/^payments.receipt_number "R\/2627\/A\/000001" is not in this workstation's number series \(B\)/);
    expect(check({ ...insert('payments', { ...payment, ...atB, receipt_number: 'R/2627/B/000001' }, kiran), device: deskB })).toBeNull();
  });

  it('checks an update only where it changes such a column, but every device_id stamp', () => {
    const issued = { ...draft, status: 'issued', invoice_number: '2627/A/000001', financial_year: '2026-27', totals: {}, issued_by: kiran.id, issued_device_id: 'dev' };
    // Desk B voids desk A's invoice: the number and issuing desk stay A's, and that is fine.
    const voiding = update('invoices', issued, { status: 'void', void_reason: 'wrong patient', voided_at: 9, voided_by: kiran.id }, kiran);
    expect(check({ ...voiding, columns: { ...voiding.columns, device_id: 'dev-b' }, device: deskB })).toBeNull();
    expect(check({ ...update('invoices', issued, { status: 'void', void_reason: 'wrong patient', voided_at: 9, voided_by: kiran.id }, kiran), device: deskB })).toMatch(/device_id names another workstation/);
    expect(check({ ...update('invoices', draft, { issued_device_id: 'dev-b' }, kiran), device: { id: 'dev' } })).toMatch(/^invoices.issued_device_id names another workstation/);
    expect(check({ ...insert('day_ends', { id: 'd1', date: '2026-12-06', workstation_id: 'dev', opening_cash_paise: 0, denominations: {}, counted_cash_paise: 0, expected_cash_paise: 0, difference_paise: 0, summary: {}, closed_by: kiran.id }, kiran), device: deskB })).toMatch(/device_id names another workstation/);
  });
});

describe('the rule book: refund rows agree with themselves (money back, what came off the bill, the lines)', () => {
  const line = (n: number, amountPaise: number) => ({ line: n, description: `Line ${n + 1}`, sacHsn: '999316', supplyKind: 'service', gstRateBp: 0, quantity: 1, amountPaise, taxablePaise: amountPaise, cgstPaise: 0, sgstPaise: 0 });
  const refund = (row: Record<string, unknown>) =>
    insert('refunds', { id: 'r-1', invoice_id: 'inv-1', patient_id: 'p-1', mode: 'cash', amount_paise: 30_000, reason: 'Not taken', refunded_by: kiran.id, refunded_on: '2026-12-06', lines: [line(1, 30_000)], credited_paise: 30_000, ...row }, kiran);

  it('accepts every shape the app writes', () => {
    // Line refund of a paid bill (money back = what came off), and of an unpaid one (no money back, mode advance).
    expect(check(refund({}))).toBeNull();
    expect(check(refund({ amount_paise: 0, mode: 'advance' }))).toBeNull();
    // Part paid: some money back, less than came off; several lines; the last of the bill with its round-off (+50 / −49).
    expect(check(refund({ amount_paise: 10_000, lines: [line(0, 20_000), line(1, 30_000)], credited_paise: 50_000 }))).toBeNull();
    expect(check(refund({ amount_paise: 30_050, credited_paise: 30_050 }))).toBeNull();
    expect(check(refund({ amount_paise: 29_951, credited_paise: 29_951 }))).toBeNull();
    // The last 30 paise of a bill rounded down by 40: 10 paise less due, nothing back.
    expect(check(refund({ amount_paise: 0, mode: 'advance', lines: [line(1, 30)], credited_paise: -10 }))).toBeNull();
    // Money paid beyond the bill, credit kept as advance (lines []), an advance refund and a refund from before refunds by line (lines null, credited 0).
    expect(check(refund({ amount_paise: 5_000, lines: [], credited_paise: 0 }))).toBeNull();
    expect(check(refund({ amount_paise: 5_000, mode: 'advance', lines: [], credited_paise: 0 }))).toBeNull();
    expect(check(refund({ invoice_id: null, lines: null, credited_paise: 0 }))).toBeNull();
    const { credited_paise: _legacyHasNone, ...legacy } = { ...refund({ lines: null }).columns };
    expect(check({ ...refund({}), columns: legacy })).toBeNull();
  });

  it('refuses a row that wipes out a bill’s balance due without a credit note, or gives back money the lines do not explain', () => {
    expect(check(refund({ amount_paise: 0, mode: 'advance', lines: [], credited_paise: 80_000 }))).toBe('a refund that names no lines of the bill cannot take anything off the bill (credited_paise must be 0)');
    expect(check(refund({ lines: null, credited_paise: 80_000 }))).toBe('a refund that names no lines of the bill cannot take anything off the bill (credited_paise must be 0)');
    expect(check(refund({ lines: [], credited_paise: -30_000 }))).toMatch(/credited_paise must be 0/);
    expect(check(refund({ amount_paise: -5_000, lines: [], credited_paise: 0 }))).toBe('a refund cannot give back less than nothing (amount_paise below 0)');
    expect(check(refund({ amount_paise: 0, mode: 'advance', credited_paise: 80_000 }))).toBe(
      'a refund by line takes off the bill what its lines come to (30000 paise, give or take the bill’s rupee round-off), not 80000 paise',
    );
    expect(check(refund({ amount_paise: 0, mode: 'advance', credited_paise: 30_051 }))).toMatch(/what its lines come to/);
    expect(check(refund({ amount_paise: 0, mode: 'advance', credited_paise: 29_950 }))).toMatch(/what its lines come to/);
    expect(check(refund({ amount_paise: 0, mode: 'advance', lines: [line(1, -30_000)], credited_paise: -30_000 }))).toBe('each line a refund takes back gives back a whole number of paise above 0');
    expect(check(refund({ amount_paise: 0, mode: 'advance', lines: [line(1, 0)], credited_paise: 0 }))).toMatch(/whole number of paise above 0/);
    expect(check(refund({ amount_paise: 30_001 }))).toBe('a refund by line cannot give back more money than it takes off the bill');
    expect(check(refund({ amount_paise: 30_000, mode: 'advance' }))).toBe('a refund by line that gives money back says how it was given back (not mode advance)');
    expect(check(refund({ amount_paise: 0, mode: 'cash' }))).toBe('a refund by line that gives no money back has mode advance (no money moved)');
  });
});

describe('the rule book: the lab', () => {
  const lata: Signer = { id: 'u-lata', roles: ['labtech'] };
  const order = { id: 'lo1', ...base, visit_id: 'v1', patient_id: 'p1', test_id: 't1', ordered_by: meera.id, status: 'ordered', sample_id: null, sample_collected_by: null, sample_collected_at: null, resulted_by: null, verified_by: null, verified_at: null, cancelled_by: null, cancelled_at: null, cancel_reason: null, report_printed_at: null, report_print_count: 0 };
  const collected = { ...order, status: 'collected', sample_id: 'S/A/000001', sample_collected_by: lata.id, sample_collected_at: 5 };
  const resulted = { ...collected, status: 'resulted', resulted_by: lata.id };
  const verified = { ...resulted, status: 'verified', verified_by: meera.id, verified_at: 7 };
  it('takes a sample in the collector’s name and desk series before any result', () => {
    expect(check(insert('lab_orders', order, meera))).toBeNull();
    expect(check(insert('lab_orders', order, lata))).toBe('a labtech may not change lab_orders');
    expect(check(insert('lab_orders', { ...order, status: 'resulted' }, meera))).toBe('a new lab order starts as ordered');
    const collect = { status: 'collected', sample_id: 'S/A/000001', sample_collected_by: lata.id, sample_collected_at: 5 };
    expect(check({ ...update('lab_orders', order, collect, lata), device: { id: 'dev', seriesPrefix: 'A' } })).toBeNull();
    expect(check({ ...update('lab_orders', order, collect, lata), device: { id: 'dev', seriesPrefix: 'B' } })).toMatch(/sample_id "S\/A\/000001" is not in this workstation's number series/);
    expect(check(update('lab_orders', order, { ...collect, sample_collected_by: meera.id }, lata))).toMatch(/sample_collected_by must be the person/);
    expect(check(update('lab_orders', order, { status: 'resulted', resulted_by: lata.id }, lata))).toBe('a lab order cannot go from ordered to resulted');
    expect(check(update('lab_orders', collected, { sample_id: 'S/A/000009' }, lata))).toBe('sample S/A/000001 keeps its id');
    expect(check(update('lab_orders', order, { test_id: 't2' }, lata))).toBe("a lab technician may not change a lab order's test_id");
  });
  it('verifies by a doctor or administrator other than the one who entered it; locks it but for prints', () => {
    expect(check(update('lab_orders', resulted, { status: 'verified', verified_by: meera.id, verified_at: 7, verified_result_id: 'lr1' }, meera))).toBeNull();
    expect(check(update('lab_orders', resulted, { status: 'verified', verified_by: meera.id, verified_at: 7 }, meera))).toMatch(/names the result that was verified/);
    // Resulted before the sample step existed (no sample, no resulted_by): still verifiable and printable.
    const legacy = { ...order, status: 'resulted' };
    expect(check(update('lab_orders', legacy, { status: 'verified', verified_by: meera.id, verified_at: 7, verified_result_id: 'lr1' }, meera))).toBeNull();
    expect(check(update('lab_orders', { ...legacy, status: 'verified', verified_by: meera.id, verified_at: 7 }, { report_printed_at: 9, report_print_count: 1 }, lata))).toBeNull();
    expect(check(update('lab_orders', resulted, { status: 'verified', verified_by: lata.id, verified_at: 7 }, lata))).toBe('only a doctor or an administrator verifies a lab result');
    const own = { ...resulted, resulted_by: meera.id };
    expect(check(update('lab_orders', own, { status: 'verified', verified_by: meera.id, verified_at: 7, verified_result_id: 'lr1' }, meera))).toBe('a lab result is verified by someone other than the person who entered it');
    expect(check(update('lab_orders', verified, { report_printed_at: 9, report_print_count: 1 }, lata))).toBeNull();
    expect(check(update('lab_orders', verified, { status: 'cancelled', cancelled_by: lata.id, cancel_reason: 'x', cancelled_at: 9 }, lata))).toBe('a lab order cannot go from verified to cancelled');
    // An amendment: back to resulted, in the amender's name, the verifier cleared.
    expect(check(update('lab_orders', verified, { status: 'resulted', resulted_by: lata.id, verified_by: null, verified_at: null }, lata))).toBeNull();
    expect(check(update('lab_orders', collected, { status: 'cancelled', cancelled_by: lata.id, cancelled_at: 9, cancel_reason: ' ' }, lata))).toMatch(/only with a reason/);
    expect(check(update('lab_orders', { ...collected, status: 'cancelled', cancelled_by: lata.id, cancel_reason: 'x', cancelled_at: 9 }, { status: 'collected' }, admin))).toBe('a cancelled lab order stays cancelled');
  });
  it('keeps results insert-only, in the enterer’s name; an amendment says why', () => {
    const result = { id: 'lr1', ...base, order_id: 'lo1', patient_id: 'p1', value: '18.2', unit: 'g/dL', reference_range: '13.0-17.0', abnormal: true, flag: 'H', critical: false, amends: null, amend_reason: null, resulted_by: lata.id, resulted_at: 6 };
    expect(check(insert('lab_results', result, lata))).toBeNull();
    expect(check(insert('lab_results', result, rita))).toBe('a receptionist may not change lab_results');
    expect(check(insert('lab_results', { ...result, flag: 'HH' }, lata))).toMatch(/flag/);
    expect(check(insert('lab_results', { ...result, amends: 'lr0' }, lata))).toBe('an amended lab result says why it was corrected');
    expect(check(update('lab_results', result, { value: '14' }, lata))).toMatch(/insert-only/);
  });
});
