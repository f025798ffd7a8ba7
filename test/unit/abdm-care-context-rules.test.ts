import { describe, expect, it } from 'vitest';
import { checkSyncedChange } from '../../db/sync-row-schemas';
import type { ChangeFacts, Signer } from '../../shared/sync-rules';

/* The rule book for ABDM care contexts: made by the visit's doctor, records added, never changed. */

const admin: Signer = { id: 'u-admin', roles: ['admin'] };
const rita: Signer = { id: 'u-rita', roles: ['receptionist'] };
const kiran: Signer = { id: 'u-kiran', roles: ['cashier'] };
const meera: Signer = { id: 'u-meera', roles: ['doctor'] };
const arjun: Signer = { id: 'u-arjun', roles: ['doctor'] };

const stamps = { updated_at: 2, hlc: '000001700000000-0001-dev', device_id: 'dev' };
const base = { created_at: 1, deleted_at: null, ...stamps };
const OP = { resourceType: 'Bundle', id: 'b-op', type: 'document' };
const RX = { resourceType: 'Bundle', id: 'b-rx', type: 'document' };
const row = {
  id: 'cc-1',
  ...base,
  patient_id: 'p-1',
  visit_id: 'v-1',
  doctor_id: meera.id,
  reference: 'v-1',
  display: 'OPD 06 Dec 2026, Dr Meera Rao',
  hi_types: ['OPConsultation'],
  bundles: { OPConsultation: OP },
};

type Facts = Omit<ChangeFacts, 'shape' | 'bootstrap'>;
const check = (f: Facts) => checkSyncedChange({ bootstrap: false, ...f });
const insert = (r: Record<string, unknown>, signer: Signer): Facts => ({ table: 'abdm_care_contexts', rowId: 'cc-1', op: 'insert', columns: r, before: null, signer });
const update = (columns: Record<string, unknown>, signer: Signer): Facts => ({ table: 'abdm_care_contexts', rowId: 'cc-1', op: 'update', columns: { ...columns, ...stamps }, before: row, signer });

describe('the rule book: ABDM care contexts', () => {
  it('are made by the doctor who completed the visit, or an administrator, referenced by the visit', () => {
    expect(check(insert(row, meera))).toBeNull();
    expect(check(insert(row, admin))).toBeNull();
    expect(check(insert(row, arjun))).toMatch(/made by the doctor who completed the visit/);
    expect(check(insert(row, rita))).toMatch(/may not change abdm_care_contexts/);
    expect(check(insert({ ...row, reference: 'something-else' }, meera))).toMatch(/referenced by its visit id/);
    expect(check(insert({ ...row, hi_types: ['OPConsultation', 'Prescription'] }, meera))).toMatch(/name exactly the bundles/);
    expect(check(insert({ ...row, deleted_at: 5 }, meera))).toMatch(/not made removed/);
  });

  it('take a later record (the bill) but never change or lose one already written', () => {
    const withRx = { hi_types: ['OPConsultation', 'Prescription'], bundles: { OPConsultation: OP, Prescription: RX } };
    expect(check(update(withRx, meera))).toBeNull();
    expect(check(update(withRx, admin))).toBeNull();
    // Only the bill may come from the counter: a cashier, reception or another doctor cannot add a clinical record.
    expect(check(update(withRx, kiran))).toMatch(/Prescription record .* added only by the visit's doctor/);
    expect(check(update(withRx, rita))).toMatch(/added only by the visit's doctor/);
    expect(check(update(withRx, arjun))).toMatch(/added only by the visit's doctor/);
    const INV = { resourceType: 'Bundle', id: 'b-inv', type: 'document' };
    expect(check(update({ hi_types: ['OPConsultation', 'Invoice'], bundles: { OPConsultation: OP, Invoice: INV } }, kiran))).toBeNull();
    expect(check(update({ hi_types: ['OPConsultation'], bundles: { OPConsultation: { ...OP, id: 'changed' } } }, admin))).toMatch(/OPConsultation record .* never changes/);
    expect(check(update({ hi_types: ['Prescription'], bundles: { Prescription: RX } }, meera))).toMatch(/OPConsultation record .* never changes/);
    expect(check(update({ patient_id: 'p-2' }, admin))).toMatch(/patient_id can no longer change/);
    expect(check(update({ deleted_at: 5 }, admin))).toMatch(/may not delete/);
  });
});
