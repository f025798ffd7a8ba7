import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PrescriptionItem } from '../../db/schema';
import { slipWords } from '../../shared/token-slip';
import { tempDir } from '../helpers/temp';
import { checkIn, failure, openDoctorDesk, type DoctorDesk } from './doctor-fixtures';

/**
 * The patient's preferred language (English or Hindi), through the real router on a real SQLite
 * file: kept at registration and on edit, refused by name when it is not on the list, and used
 * by default for the printed prescription and the token slip.
 */

const DEVANAGARI = /[\u0900-\u097F]/;

const PARACETAMOL: PrescriptionItem = {
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
  quantity: null,
  instructions: null,
  instructionsHi: null,
  acknowledged: [],
};

function register(d: DoctorDesk, givenName: string, mobile: string, preferredLanguage?: unknown) {
  const patient = { givenName, familyName: 'Yadav', gender: 'female', ageYears: 40, mobile, ...(preferredLanguage === undefined ? {} : { preferredLanguage }) };
  const r = d.c.ok('patients.register', { patient, acknowledgeDuplicates: [] }, d.reception);
  if (r.status !== 'registered') throw new Error(`could not register ${givenName}`);
  return r.patient;
}

/** Checked in with Dr Rao, called in, one drug prescribed; returns the visit. */
function prescribedVisit(d: DoctorDesk, patientId: string): string {
  const { visitId } = checkIn(d, patientId, d.drRao);
  expect(d.c.ok('queue.callNext', {}, d.rao).visitId).toBe(visitId);
  d.c.ok('prescriptions.save', { visitId, items: [PARACETAMOL] }, d.rao);
  return visitId;
}

async function pdfText(d: DoctorDesk, input: { visitId: string; options?: { language: 'en' | 'en+hi' } }): Promise<string> {
  const job = await d.c.app.jobs.wait(d.c.ok('prescriptions.pdf', input, d.rao).id);
  expect(job.status).toBe('done');
  const pdf = Buffer.from(d.c.ok('jobs.document', { jobId: job.id }, d.rao).pdfBase64, 'base64');
  const file = path.join(tempDir('rx-lang-'), 'rx.pdf');
  fs.writeFileSync(file, pdf);
  const r = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`pdftotext failed: ${r.stderr}`);
  return r.stdout.replace(/\s+/g, ' ');
}

beforeAll(() => void openDoctorDesk(), 120_000);

describe('the preferred language on the patient', () => {
  it('is kept at registration, changed on edit, cleared back to "not asked", and a value off the list names the field', () => {
    const d = openDoctorDesk();
    const savitri = register(d, 'Savitri', '9822100001', 'hi');
    expect(savitri.preferredLanguage).toBe('hi');
    expect(d.c.ok('patients.get', { id: savitri.id }, d.reception).patient.preferredLanguage).toBe('hi');
    expect(register(d, 'Neha', '9822100002').preferredLanguage).toBeNull();

    expect(d.c.ok('patients.update', { id: savitri.id, patch: { preferredLanguage: 'en' } }, d.reception).patient.preferredLanguage).toBe('en');
    expect(d.c.ok('patients.update', { id: savitri.id, patch: { preferredLanguage: null } }, d.reception).patient.preferredLanguage).toBeNull();

    const bad = failure(d.c.call('patients.register', { patient: { givenName: 'Kamla', gender: 'female', ageYears: 50, preferredLanguage: 'hindi' }, acknowledgeDuplicates: [] }, d.reception));
    expect(bad.code).toBe('invalid_input');
    expect(Object.keys(bad.fields ?? {})).toEqual(['patient.preferredLanguage']);
    expect(bad.fields?.['patient.preferredLanguage']).toBe('Preferred language must be one of en (English), hi (Hindi)');
    const badEdit = failure(d.c.call('patients.update', { id: savitri.id, patch: { preferredLanguage: 'fr' } }, d.reception));
    expect(Object.keys(badEdit.fields ?? {})).toEqual(['patch.preferredLanguage']);
    expect(d.c.ok('patients.get', { id: savitri.id }, d.reception).patient.preferredLanguage).toBeNull();
  });
});

describe('the prescription prints in the patient language unless the print names one', () => {
  it('Hindi patient: English + Hindi with no language named; English patient: English only, even on a desk set to Hindi', { timeout: 90_000 }, async () => {
    const d = openDoctorDesk();
    const hindiVisit = prescribedVisit(d, register(d, 'Savitri', '9822100001', 'hi').id);
    const hindi = await pdfText(d, { visitId: hindiVisit });
    expect(hindi).toContain('PARACETAMOL');
    expect(hindi).toContain('खाने के बाद');
    expect(d.c.ok('prescriptions.printLanguage', { visitId: hindiVisit }, d.rao)).toEqual({ language: 'en+hi', from: 'patient', patientLanguage: 'hi' });
    expect(failure(d.c.call('prescriptions.printLanguage', { visitId: hindiVisit }, d.iyer)).code).toBe('forbidden');
    // The doctor may still name English for this print.
    expect(await pdfText(d, { visitId: hindiVisit, options: { language: 'en' } })).not.toMatch(DEVANAGARI);

    d.c.ok('queue.setStatus', { visitId: hindiVisit, status: 'done' }, d.rao);
    d.c.ok('settings.setPrint', { language: 'en+hi' }, d.rao);
    const englishVisit = prescribedVisit(d, register(d, 'Neha', '9822100002', 'en').id);
    expect(d.c.ok('prescriptions.printLanguage', { visitId: englishVisit }, d.rao)).toEqual({ language: 'en', from: 'patient', patientLanguage: 'en' });
    const english = await pdfText(d, { visitId: englishVisit });
    expect(english).toContain('PARACETAMOL');
    expect(english).not.toMatch(DEVANAGARI);
  });

  it('a patient nobody asked follows the desk setting', { timeout: 90_000 }, async () => {
    const d = openDoctorDesk();
    const visitId = prescribedVisit(d, d.anil);
    expect(await pdfText(d, { visitId })).not.toMatch(DEVANAGARI);
    d.c.ok('settings.setPrint', { language: 'en+hi' }, d.rao);
    expect(await pdfText(d, { visitId })).toContain('खाने के बाद');
    expect(d.c.ok('prescriptions.printLanguage', { visitId }, d.rao)).toEqual({ language: 'en+hi', from: 'workstation', patientLanguage: null });
  });
});

describe('the token slip', () => {
  it('speaks Hindi beside English for a Hindi patient, English alone otherwise', () => {
    const d = openDoctorDesk();
    const hindi = checkIn(d, register(d, 'Savitri', '9822100001', 'hi').id, d.drRao, { priority: 'urgent' });
    expect(hindi.language).toBe('hi');
    const words = slipWords(hindi.language, hindi.priority);
    expect(words).toMatchObject({ token: 'Token / टोकन', doctor: 'Doctor / डॉक्टर', priority: 'URGENT / तत्काल' });
    expect(words.wait).toMatch(DEVANAGARI);

    const english = checkIn(d, d.anil, d.drRao);
    expect(english.language).toBeNull();
    expect(Object.values(slipWords(english.language, english.priority)).join(' ')).not.toMatch(DEVANAGARI);
    expect(slipWords(english.language, english.priority)).toMatchObject({ token: 'Token', priority: null });
  });
});
