import { describe, expect, it } from 'vitest';
import { checkSyncedChange } from '../../db/sync-row-schemas';
import type { ChangeFacts, Signer } from '../../shared/sync-rules';
import { heldInvoiceProblem, invoiceRecordProblem } from '../../shared/abdm-invoice-record';

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

  it("let whoever may bill (or the visit's doctor, at completion) add, replace or remove the Invoice record, and nobody else", () => {
    const INV = { resourceType: 'Bundle', id: 'b-inv', type: 'document' };
    const billed = { ...row, hi_types: ['OPConsultation', 'Invoice'], bundles: { OPConsultation: OP, Invoice: INV } };
    const on = (columns: Record<string, unknown>, signer: Signer): Facts => ({ ...update(columns, signer), before: billed });
    const replaced = { hi_types: ['OPConsultation', 'Invoice'], bundles: { OPConsultation: OP, Invoice: { ...INV, id: 'b-inv-2' } } };
    const removed = { hi_types: ['OPConsultation'], bundles: { OPConsultation: OP } };
    for (const who of [kiran, rita, admin]) {
      expect(check(on(replaced, who))).toBeNull();
      expect(check(on(removed, who))).toBeNull();
    }
    // The visit's doctor adds the bill already issued when completing the visit, to a record holding
    // none; replacing or removing a bill is the counter's, and another doctor does neither.
    const unbilled = { ...row, hi_types: ['OPConsultation'], bundles: { OPConsultation: OP } };
    expect(check({ ...update({ hi_types: ['OPConsultation', 'Invoice'], bundles: { OPConsultation: OP, Invoice: INV } }, meera), before: unbilled })).toBeNull();
    expect(check({ ...update({ hi_types: ['OPConsultation', 'Invoice'], bundles: { OPConsultation: OP, Invoice: INV } }, arjun), before: unbilled })).toMatch(/Invoice record .* only by someone who may bill/);
    expect(check(on(replaced, meera))).toMatch(/Invoice record .* only by someone who may bill/);
    expect(check(on(removed, meera))).toMatch(/Invoice record .* only by someone who may bill/);
    expect(check(on(replaced, arjun))).toMatch(/Invoice record .* only by someone who may bill/);
    // Removing the bill never takes a clinical record with it.
    expect(check(on({ hi_types: ['Invoice'], bundles: { Invoice: INV } }, kiran))).toMatch(/OPConsultation record .* never changes/);
    // At completion the doctor's row may hold the bill already issued.
    expect(check(insert(billed, meera))).toBeNull();
  });
});

describe('an Invoice record against its bill', () => {
  const bundle = (over: Record<string, unknown> = {}) => ({
    resourceType: 'Bundle',
    entry: [
      { resource: { resourceType: 'Composition' } },
      {
        resource: {
          resourceType: 'Invoice',
          identifier: [{ type: { text: 'Tax Invoice' }, value: '2627/A/000007' }, { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:0193-bill' }],
          status: 'issued',
          totalNet: { value: 500, currency: 'INR' },
          totalGross: { value: 590, currency: 'INR' },
          ...over,
        },
      },
    ],
  });
  const bill = { visit_id: 'v-1', status: 'issued', invoice_number: '2627/A/000007', totals: { taxablePaise: 50_000, totalPaise: 59_000 }, deleted_at: null };
  it('matches an issued bill of the visit and patient: number, totals, status', () => {
    expect(invoiceRecordProblem('v-1', bundle(), bill, true)).toBeNull();
    expect(invoiceRecordProblem('v-1', bundle({ status: 'balanced' }), bill, true)).toBeNull();
    expect(invoiceRecordProblem('v-1', bundle({ totalGross: { value: 59, currency: 'INR' } }), bill, true)).toBe('the Invoice record of an ABDM care context matches its bill: it says ₹59.00, bill 2627/A/000007 comes to ₹590.00');
    expect(invoiceRecordProblem('v-1', bundle({ totalNet: { value: 5, currency: 'INR' } }), bill, true)).toMatch(/its taxable value is not bill 2627\/A\/000007's/);
    expect(invoiceRecordProblem('v-1', bundle({ status: 'cancelled' }), bill, true)).toMatch(/it says cancelled, bill 2627\/A\/000007 is issued/);
    expect(invoiceRecordProblem('v-1', bundle({ identifier: [{ value: '2627/A/000008' }, { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:0193-bill' }] }), bill, true)).toMatch(/it says number 2627\/A\/000008/);
    expect(invoiceRecordProblem('v-1', bundle({ identifier: [{ value: '2627/A/000007' }] }), bill, true)).toMatch(/names the bill it describes/);
    expect(invoiceRecordProblem('v-2', bundle(), bill, true)).toMatch(/bill 2627\/A\/000007 is of another visit/);
    expect(invoiceRecordProblem('v-1', bundle(), bill, false)).toMatch(/bill 2627\/A\/000007 is another patient's/);
    expect(invoiceRecordProblem('v-1', bundle(), { ...bill, status: 'void' }, true)).toMatch(/is an issued bill: bill 2627\/A\/000007 is void/);
    expect(invoiceRecordProblem('v-1', bundle(), null, true)).toMatch(/bill 0193-bill is not/);
    expect(invoiceRecordProblem('v-1', { resourceType: 'Bundle', entry: [] }, bill, true)).toMatch(/holds an InvoiceRecord bundle/);
  });
  it('is replaced or removed only once its bill is void', () => {
    expect(heldInvoiceProblem(bundle(), bill)).toMatch(/holds bill 2627\/A\/000007, still issued/);
    expect(heldInvoiceProblem(bundle(), { ...bill, status: 'void' })).toBeNull();
  });
});
