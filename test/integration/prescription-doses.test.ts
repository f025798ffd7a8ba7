import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PrescriptionItem } from '../../db/schema';
import type { Output } from '../../electron/api';
import { fhirProblems } from '../helpers/fhir-schema';
import { tempDir } from '../helpers/temp';
import { checkIn, failure, openDoctorDesk, type DoctorDesk } from './doctor-fixtures';

/**
 * Doses a pharmacist can trust, through the real router on a real SQLite file with the shipped
 * starter formulary: a prednisolone taper typed as steps, liquids in bottles, insulin in pens, SOS
 * with a maximum a day; what the service keeps, the printed PDF's text and the FHIR dosage. And
 * the drug search ranking forms for the patient's age and weight.
 *
 * The clinic clock starts on Saturday 2026-11-21 at 10:00 IST (doctor-fixtures).
 */

type Drug = Output<'formulary.search'>[number];

/** A new patient of some age, checked in with Dr Rao and called in; returns the visit id. */
function visitFor(d: DoctorDesk, givenName: string, ageYears: number): string {
  const r = d.c.ok('patients.register', { patient: { givenName, familyName: 'Kulkarni', gender: 'female', ageYears, mobile: `98220${String(ageYears).padStart(5, '0')}` }, acknowledgeDuplicates: [] }, d.reception);
  if (r.status !== 'registered') throw new Error(`could not register ${givenName}`);
  const v = checkIn(d, r.patient.id, d.drRao);
  expect(d.c.ok('queue.callNext', {}, d.rao).visitId).toBe(v.visitId);
  return v.visitId;
}

/** The item the screen makes from a search hit, as the doctor then types it. */
function itemOf(drug: Drug, extra: Partial<PrescriptionItem>): PrescriptionItem {
  return {
    drugId: drug.id,
    genericName: drug.genericName,
    brand: drug.brandNames[0] ?? null,
    form: drug.form,
    strength: drug.strength,
    route: drug.route,
    dose: drug.defaults.dose ?? '1',
    frequency: drug.defaults.frequency ?? '1-0-1',
    timing: 'after-food',
    durationDays: drug.defaults.durationDays,
    quantity: null,
    instructions: null,
    instructionsHi: null,
    acknowledged: [],
    ...extra,
  };
}

const first = (d: DoctorDesk, query: string, visitId?: string) => {
  const hit = d.c.ok('formulary.search', { query, limit: 10, ...(visitId ? { visitId } : {}) }, d.rao)[0];
  if (!hit) throw new Error(`nothing found for "${query}"`);
  return hit;
};

function pdfText(d: DoctorDesk, jobId: string): string {
  const pdf = Buffer.from(d.c.ok('jobs.document', { jobId }, d.rao).pdfBase64, 'base64');
  const file = path.join(tempDir('rx-'), 'rx.pdf');
  fs.writeFileSync(file, pdf);
  const r = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`pdftotext failed: ${r.stderr}`);
  // Words as read, whatever the line breaks.
  return r.stdout.replace(/\s+/g, ' ');
}

// The clinic is built once (scrypt logins) for every test's copy; slow on a busy machine.
beforeAll(() => void openDoctorDesk(), 120_000);

describe('stepped doses, liquids, insulin and SOS', () => {
  it('a prednisolone taper typed as steps keeps 21 tablets, prints step by step (English and Hindi) and exports one FHIR Dosage per step', { timeout: 90_000 }, async () => {
    const d = openDoctorDesk();
    const visitId = visitFor(d, 'Asha', 54);
    const pred = first(d, 'prednisolone 10', visitId);
    expect(pred).toMatchObject({ genericName: 'Prednisolone', form: 'tablet', strength: '10 mg' });
    // As the doctor types it into the frequency box; the screen used to send 4 × 9 = 36.
    const taper = itemOf(pred, { dose: '1 tab', frequency: '4-0-0 x3, 2-0-0 x3, 1-0-0 x3', durationDays: 9, quantity: 36 });
    const sos = itemOf(first(d, 'paracetamol 500', visitId), { frequency: 'SOS', durationDays: 3, maxPerDay: 3 });
    d.c.ok('prescriptions.save', { visitId, items: [taper, sos] }, d.rao);

    const saved = d.c.ok('prescriptions.get', { visitId }, d.rao).prescription!.items;
    expect(saved[0]).toMatchObject({
      quantity: 21,
      durationDays: 9,
      frequency: '4-0-0 x3, 2-0-0 x3, 1-0-0 x3',
      steps: [
        { frequency: '4-0-0', days: 3 },
        { frequency: '2-0-0', days: 3 },
        { frequency: '1-0-0', days: 3 },
      ],
    });
    expect(saved[1]).toMatchObject({ frequency: 'SOS', maxPerDay: 3, quantity: 9 });

    const job = await d.c.app.jobs.wait(d.c.ok('prescriptions.pdf', { visitId, options: { language: 'en+hi', paper: 'A4' } }, d.rao).id);
    expect(job.status).toBe('done');
    const text = pdfText(d, job.id);
    expect(text).toContain('4 tab morning for 3 days, then 2 tab morning for 3 days, then 1 tab morning for 3 days');
    expect(text).toContain('Qty: 21');
    expect(text).not.toContain('Qty: 36');
    expect(text).toContain('सुबह 4 गोली, 3 दिन तक; फिर सुबह 2 गोली, 3 दिन तक; फिर सुबह 1 गोली, 3 दिन तक');
    expect(text).toContain('at most 3 a day');
    expect(text).toContain('Qty: 9');
    expect(text).toContain('दिन में अधिकतम 3 बार');

    const bundle = d.c.ok('prescriptions.fhir', { visitId }, d.rao);
    const requests = bundle.entry.map((e) => e.resource as Record<string, unknown>).filter((r) => r.resourceType === 'MedicationRequest');
    // The medication requests are valid FHIR R4 (the rest of the bundle is another piece of work's).
    for (const r of requests) expect(fhirProblems(r)).toEqual([]);
    expect(requests[0]).toMatchObject({
      dosageInstruction: [1, 2, 3].map((sequence, k) => ({
        sequence,
        text: `${[4, 2, 1][k]} tab, 1-0-0 (in the morning), after food, for 3 days`,
        timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd', when: ['MORN'], boundsDuration: { value: 3, code: 'd' } } },
        doseAndRate: [{ doseQuantity: { value: [4, 2, 1][k], unit: 'tab' } }],
      })),
      dispenseRequest: { quantity: { value: 21 }, expectedSupplyDuration: { value: 9, code: 'd' } },
    });
    expect(requests[1]).toMatchObject({
      dosageInstruction: [{ asNeededBoolean: true, text: '1 tab, SOS (when needed), after food, at most 3 a day, for 3 days', maxDosePerPeriod: { numerator: { value: 3, unit: 'tab' }, denominator: { value: 1, code: 'd' } } }],
      dispenseRequest: { quantity: { value: 9 } },
    });
  });

  it('refuses a taper it cannot read, naming the item and the step', () => {
    const d = openDoctorDesk();
    const visitId = visitFor(d, 'Asha', 54);
    const pred = first(d, 'prednisolone 10', visitId);
    const error = failure(d.c.call('prescriptions.save', { visitId, items: [itemOf(pred, { frequency: '4-0-0 x3, 2-0-0 x' })] }, d.rao));
    expect(error).toMatchObject({ code: 'invalid_input', message: 'items.0: Steps: step 2 ("2-0-0 x") needs its days, e.g. 2-0-0 x3' });
    expect(error.fields).toEqual({ 'items.0': 'Steps: step 2 ("2-0-0 x") needs its days, e.g. 2-0-0 x3' });
    expect(d.c.ok('prescriptions.get', { visitId }, d.rao).prescription).toBeNull();
  });

  it('liquids in bottles of the pack size (the ml total when it is not known), insulin in pens', async () => {
    const d = openDoctorDesk();
    const visitId = visitFor(d, 'Bina', 4);
    const clinicDrug = (genericName: string, form: string, strength: string, route: 'oral' | 'SC', packSize: string) =>
      d.c.ok('formulary.upsert', { genericName, brandNames: [], form, strength, route, classes: [], packSize }, d.admin);
    const syrup = clinicDrug('Cetirizine', 'syrup', '5 mg/5 ml', 'oral', '100 ml');
    const pen = clinicDrug('Insulin Glargine', 'injection', '100 IU/ml', 'SC', '3 ml pen');
    expect(syrup.packSize).toBe('100 ml');
    const starterSyrup = first(d, 'salbutamol syrup', visitId);
    expect(starterSyrup).toMatchObject({ genericName: 'Salbutamol', form: 'syrup', packSize: null });
    const items = [
      itemOf(syrup, { dose: '5 ml', frequency: '1-1-1', durationDays: 5 }),
      itemOf(starterSyrup, { dose: '5 ml', frequency: '1-1-1', durationDays: 5 }),
      itemOf(pen, { dose: '20 units', frequency: '0-0-1', durationDays: 30 }),
    ];
    d.c.ok('prescriptions.save', { visitId, items }, d.rao);
    const saved = d.c.ok('prescriptions.get', { visitId }, d.rao).prescription!.items;
    expect(saved.map((i) => [i.quantity, i.quantityUnit])).toEqual([
      [1, 'bottle of 100 ml'],
      [75, 'ml'],
      [2, 'pen of 300 IU'],
    ]);

    // The bill suggests packs: one bottle, two pens; an ml total is not a number of bottles.
    const bill = d.c.ok('billing.suggest', { visitId }, d.reception);
    expect(bill.lines.filter((l) => l.kind === 'medicine').map((l) => l.quantity)).toEqual([1, 1, 2]);
    expect(bill.notes).toContain('SALBUTAMOL 2 mg/5 ml syrup (Asthalin): 75 ml prescribed and the pack size is not known; 1 assumed.');

    const job = await d.c.app.jobs.wait(d.c.ok('prescriptions.pdf', { visitId }, d.rao).id);
    const text = pdfText(d, job.id);
    expect(text).toContain('Qty: 1 bottle of 100 ml');
    expect(text).toContain('Qty: 75 ml');
    expect(text).toContain('Qty: 2 pens of 300 IU');
    const requests = d.c.ok('prescriptions.fhir', { visitId }, d.rao).entry.map((e) => e.resource as Record<string, unknown>).filter((r) => r.resourceType === 'MedicationRequest');
    expect(requests.map((r) => (r.dispenseRequest as { quantity: unknown }).quantity)).toEqual([
      { value: 1, unit: 'bottle of 100 ml' },
      { value: 75, unit: 'ml', system: 'http://unitsofmeasure.org', code: 'mL' },
      { value: 2, unit: 'pen of 300 IU' },
    ]);
  });

  it('a tablet dosed in mg, ml or as a range is not counted: the quantity the doctor typed is kept and billed, none is left to the pharmacist', () => {
    const d = openDoctorDesk();
    const visitId = visitFor(d, 'Asha', 54);
    const tablet = (query: string) => {
      const drug = first(d, query, visitId);
      expect(drug.form).toBe('tablet');
      return drug;
    };
    const tds = { frequency: 'TDS', durationDays: 5 };
    const items = [
      itemOf(tablet('paracetamol 500'), { ...tds, dose: '500 mg', quantity: 20 }),
      itemOf(tablet('cetirizine'), { ...tds, dose: '10 ml' }),
      itemOf(tablet('prednisolone 10'), { ...tds, dose: '1-2 tab' }),
      itemOf(tablet('azithro'), { ...tds, dose: '1 tab', quantity: 99 }),
      itemOf(tablet('amlodipine'), { frequency: 'BD', durationDays: 10, dose: '½ tab' }),
    ];
    d.c.ok('prescriptions.save', { visitId, items }, d.rao);
    const saved = d.c.ok('prescriptions.get', { visitId }, d.rao).prescription!.items;
    // Before: 7500, 150 and 15 (the lower bound of the range).
    expect(saved.map((i) => i.quantity)).toEqual([20, null, null, 15, 10]);
    const bill = d.c.ok('billing.suggest', { visitId }, d.reception);
    expect(bill.lines.filter((l) => l.kind === 'medicine').map((l) => l.quantity)).toEqual([20, 1, 1, 15, 10]);
    expect(bill.notes.filter((n) => n.includes('the prescription gives no quantity'))).toHaveLength(2);
  });

  it('an older item (no steps, no pack) is kept and printed exactly as before', () => {
    const d = openDoctorDesk();
    const visitId = visitFor(d, 'Asha', 54);
    const item = itemOf(first(d, 'paracetamol 500', visitId), { quantity: 9 });
    d.c.ok('prescriptions.save', { visitId, items: [item] }, d.rao);
    expect(d.c.ok('prescriptions.get', { visitId }, d.rao).prescription!.items).toEqual([item]);
  });
});

describe('age-aware drug search', () => {
  it('puts an adult’s tablets first and a child’s suspensions and syrups first', () => {
    const d = openDoctorDesk();
    const adult = visitFor(d, 'Asha', 54);
    expect(first(d, 'azithro', adult)).toMatchObject({ genericName: 'Azithromycin', form: 'tablet' });
    expect(['250 mg', '500 mg']).toContain(first(d, 'azithro', adult).strength);
    expect(first(d, 'cetiri', adult)).toMatchObject({ genericName: 'Cetirizine', form: 'tablet' });
    expect(first(d, 'amox', adult)).toMatchObject({ genericName: 'Amoxicillin', form: 'capsule' });
    d.c.ok('queue.setStatus', { visitId: adult, status: 'done' }, d.rao);

    const child = visitFor(d, 'Bina', 4);
    expect(first(d, 'azithro', child)).toMatchObject({ genericName: 'Azithromycin', form: 'suspension' });
    expect(first(d, 'cetiri', child)).toMatchObject({ genericName: 'Cetirizine', form: 'syrup' });
    expect(first(d, 'amox', child)).toMatchObject({ genericName: 'Amoxicillin', form: 'dry syrup' });
    d.c.ok('queue.setStatus', { visitId: child, status: 'done' }, d.rao);

    // A 10-year-old weighed at 45 kg is dosed as an adult.
    const heavy = visitFor(d, 'Chaya', 10);
    expect(first(d, 'azithro', heavy).form).toBe('suspension');
    d.c.ok('consultations.save', { visitId: heavy, note: { vitals: { weightKg: 45 } } }, d.rao);
    expect(first(d, 'azithro', heavy).form).toBe('tablet');
  });

  it('still flags an allergy when the child’s drug is added, and a visit whose record is closed to the caller is refused', () => {
    const d = openDoctorDesk();
    const child = visitFor(d, 'Bina', 4);
    const patientId = d.c.ok('queue.list', {}, d.reception).find((e) => e.visitId === child)!.patientId;
    d.c.ok('patients.update', { id: patientId, patch: { allergies: [{ type: 'medication', substance: 'Penicillin', severity: 'severe' }] } }, d.reception);
    const amox = first(d, 'amox', child);
    expect(amox.form).toBe('dry syrup');
    const warnings = d.c.ok('prescriptions.check', { visitId: child, item: { drugId: amox.id, genericName: amox.genericName }, others: [] }, d.rao);
    expect(warnings.map((w) => w.code)).toContain('allergy:penicillin');
    expect(failure(d.c.call('formulary.search', { query: 'amox', visitId: child }, d.iyer)).code).toBe('forbidden');
  });
});
