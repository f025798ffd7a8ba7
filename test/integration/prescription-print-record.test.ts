import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PrescriptionItem } from '../../db/schema';
import type { Input } from '../../electron/api';
import { fahrenheitToCelsius } from '../../shared/vitals';
import { tempDir } from '../helpers/temp';
import { auditRows, checkIn, failure, openDoctorDesk, type DoctorDesk } from './doctor-fixtures';

/**
 * The printed prescription carries what the pharmacist and the patient need beyond the drugs: the
 * visit's vitals (in the clinic's unit), the allergies (or "No known allergies" when asked), the
 * tests ordered, the follow-up date and the patient's address (D&C Rules r.65). And a PREVIEW:
 * the same PDF watermarked, which locks nothing. Through the real router and poppler's pdftotext.
 *
 * The clinic clock starts on Saturday 2026-11-21 at 10:00 IST.
 */

const PNG_DIR = path.resolve(import.meta.dirname, '..', '..', 'test-results', 'pdf');
const ADDRESS = {
  addressLine1: 'Flat 14, Shree Ganesh Apartments, Lane 7, Prabhat Road',
  addressLine2: 'Behind Kamla Nehru Park, Near Hanuman Mandir',
  city: 'Erandwane',
  district: 'Pune',
  state: 'Maharashtra',
  pincode: '411004',
};
const ADDRESS_WORDS = ['Flat 14, Shree Ganesh Apartments', 'Near Hanuman Mandir', 'Erandwane, Pune, Maharashtra 411004'];
const VITALS_SHOWN = ['BP 150/94 mmHg', 'Pulse 96/min', 'Temp 101.2 °F', 'SpO2 97%', 'RR 20/min'];
const TESTS = ['CBC', 'ESR', 'RBS'];
const INVESTIGATIONS = 'Investigations: Complete blood count (CBC), Erythrocyte sedimentation rate (ESR), Blood sugar, random';

function item(genericName: string, extra: Partial<PrescriptionItem>): PrescriptionItem {
  return {
    drugId: null,
    genericName,
    brand: null,
    form: 'tablet',
    strength: null,
    route: 'oral',
    dose: '1 tab',
    frequency: '1-0-1',
    timing: 'after-food',
    durationDays: 5,
    quantity: null,
    instructions: null,
    instructionsHi: null,
    acknowledged: [],
    ...extra,
  };
}

const ITEMS: PrescriptionItem[] = [
  item('Prednisolone', { strength: '10 mg', frequency: '4-0-0 x3, 2-0-0 x3, 1-0-0 x3', durationDays: 9, instructions: 'Do not stop suddenly.', instructionsHi: 'अचानक बंद न करें।' }),
  item('Azithromycin', { strength: '500 mg', frequency: '1-0-0', durationDays: 3, timing: 'empty-stomach' }),
  item('Paracetamol', { strength: '650 mg', frequency: 'SOS', durationDays: 3, maxPerDay: 3, instructions: 'Only if the fever is above 100 °F.' }),
];

/** A busy visit with Dr Rao: long address, two allergies, five vitals, three tests, three drugs (one a taper), a follow-up. */
function busyVisit(d: DoctorDesk): string {
  d.c.ok(
    'patients.update',
    {
      id: d.anil,
      patch: {
        ...ADDRESS,
        allergies: [
          { type: 'medication', substance: 'Penicillin', severity: 'severe' },
          { type: 'medication', substance: 'Sulfonamides', severity: 'moderate' },
        ],
      },
    },
    d.reception,
  );
  const visitId = see(d, d.anil);
  d.c.ok(
    'consultations.save',
    {
      visitId,
      note: {
        vitals: { bpSystolic: 150, bpDiastolic: 94, pulse: 96, temperatureC: fahrenheitToCelsius(101.2), spo2: 97, respiratoryRate: 20 },
        diagnoses: [{ code: 'J18.9', title: 'Pneumonia, unspecified organism' }],
        followUpDate: '2026-11-28',
      },
    },
    d.rao,
  );
  const tests = d.c.ok('labs.tests', {}, d.rao);
  d.c.ok('labs.order', { visitId, testIds: TESTS.map((code) => tests.find((t) => t.code === code)!.id) }, d.rao);
  d.c.ok('prescriptions.save', { visitId, items: ITEMS, advice: 'Steam inhalation twice a day.', adviceHi: 'दिन में दो बार भाप लें।' }, d.rao);
  return visitId;
}

function see(d: DoctorDesk, patientId: string): string {
  const v = checkIn(d, patientId, d.drRao);
  expect(d.c.ok('queue.callNext', {}, d.rao).visitId).toBe(v.visitId);
  return v.visitId;
}

function poppler(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${command} failed: ${r.stderr}`);
  return r.stdout;
}

function pdfFile(pdf: Buffer): string {
  const file = path.join(tempDir('rx-record-'), 'rx.pdf');
  fs.writeFileSync(file, pdf);
  return file;
}

/** The words as read, whatever the line breaks. */
const textOf = (pdf: Buffer) => poppler('pdftotext', [pdfFile(pdf), '-']).replace(/\s+/g, ' ');

/** Every word's box on every page: none may leave the page or lie on another. */
function layoutProblems(pdf: Buffer): string[] {
  const html = poppler('pdftotext', ['-bbox', pdfFile(pdf), '-']);
  const problems: string[] = [];
  for (const page of html.split('<page ').slice(1)) {
    const size = /width="([\d.]+)" height="([\d.]+)"/.exec(page)!;
    const [width, height] = [Number(size[1]), Number(size[2])];
    const words = [...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
      x0: Number(m[1]), y0: Number(m[2]), x1: Number(m[3]), y1: Number(m[4]), text: m[5] ?? '',
    }));
    for (const w of words) if (w.x0 < 0 || w.y0 < 0 || w.x1 > width || w.y1 > height) problems.push(`"${w.text}" runs off the page`);
    words.forEach((a, i) => {
      for (const b of words.slice(i + 1)) {
        // A little slack: boxes of neighbouring lines touch at the font's ascent and descent.
        const overlapX = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
        const overlapY = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
        if (overlapX > 1 && overlapY > 2) problems.push(`"${a.text}" overlaps "${b.text}"`);
      }
    });
  }
  return problems;
}

function pageCount(pdf: Buffer): number {
  return Number(/Pages:\s+(\d+)/.exec(poppler('pdfinfo', [pdfFile(pdf)]))?.[1]);
}

/** Page 1 at 60 dpi under test-results/pdf, for a person to look at. */
function png(pdf: Buffer, name: string): void {
  fs.mkdirSync(PNG_DIR, { recursive: true });
  poppler('pdftoppm', ['-png', '-r', '60', pdfFile(pdf), path.join(PNG_DIR, name)]);
}

async function document(d: DoctorDesk, method: 'prescriptions.preview' | 'prescriptions.pdf', input: Input<'prescriptions.pdf'>, token = d.rao) {
  const job = await d.c.app.jobs.wait(d.c.ok(method, input, token).id);
  expect(job.status, job.message).toBe('done');
  return { job, pdf: Buffer.from(d.c.ok('jobs.document', { jobId: job.id }, token).pdfBase64, 'base64') };
}

const rxOf = (d: DoctorDesk, visitId: string) => d.c.ok('prescriptions.get', { visitId }, d.rao).prescription!;

beforeAll(() => void openDoctorDesk(), 120_000);

describe('what the printed prescription carries', () => {
  const variants = [
    { paper: 'A5', letterhead: true, language: 'en' },
    { paper: 'A5', letterhead: false, language: 'en+hi', marginTopMm: 40, marginLeftMm: 15 },
    { paper: 'A4', letterhead: true, language: 'en+hi' },
    { paper: 'A4', letterhead: false, language: 'en', marginTopMm: 50, marginLeftMm: 20 },
  ] as const;

  it('vitals in °F, both allergies, the three tests ordered, the follow-up and the long address: A4 and A5, letterhead and pad, nothing overlapping or off the page', { timeout: 120_000 }, async () => {
    const d = openDoctorDesk();
    const visitId = busyVisit(d);
    for (const options of variants) {
      const name = `${options.paper} ${options.letterhead ? 'letterhead' : 'pad'} ${options.language}`;
      const { pdf } = await document(d, 'prescriptions.pdf', { visitId, options });
      const text = textOf(pdf);
      for (const v of VITALS_SHOWN) expect(text, name).toContain(v);
      expect(text, name).toContain('Allergies: Penicillin (severe), Sulfonamides (moderate)');
      expect(text, name).toContain(INVESTIGATIONS);
      expect(text, name).toContain('Follow-up: 28-11-2026');
      expect(text, name).toContain('Advice: Steam inhalation twice a day.');
      for (const part of ADDRESS_WORDS) expect(text, name).toContain(part);
      expect(text, name).toContain('PREDNISOLONE 10 mg');
      expect(layoutProblems(pdf), name).toEqual([]);
      png(pdf, `rx-record-${name.replace(/\W+/g, '-')}`);
    }
  });

  it('in a °C clinic the temperature prints in °C; "No known allergies" only when asked; nothing for what was never recorded', { timeout: 60_000 }, async () => {
    const d = openDoctorDesk();
    d.c.ok('facility.save', { letterhead: { temperatureUnit: 'C' } }, d.admin);
    d.c.ok('patients.update', { id: d.bhavna, patch: { noKnownAllergies: true } }, d.reception);
    const asked = see(d, d.bhavna);
    d.c.ok('consultations.save', { visitId: asked, note: { vitals: { temperatureC: 38.4, pulse: 88 } } }, d.rao);
    d.c.ok('prescriptions.save', { visitId: asked, items: ITEMS.slice(1, 2) }, d.rao);
    const askedText = textOf((await document(d, 'prescriptions.pdf', { visitId: asked })).pdf);
    expect(askedText).toContain('Allergies: No known allergies');
    expect(askedText).toContain('Vitals: Pulse 88/min · Temp 38.4 °C');
    expect(askedText).not.toContain('°F');
    d.c.ok('queue.setStatus', { visitId: asked, status: 'done' }, d.rao);

    // Chetan: never asked about allergies, no vitals, no address, no tests, no follow-up.
    const bare = see(d, d.chetan);
    d.c.ok('prescriptions.save', { visitId: bare, items: ITEMS.slice(1, 2) }, d.rao);
    const bareText = textOf((await document(d, 'prescriptions.pdf', { visitId: bare })).pdf);
    expect(bareText).toContain('AZITHROMYCIN 500 mg');
    for (const absent of ['Allergies', 'Vitals', 'Address', 'Investigations', 'Follow-up']) expect(bareText).not.toContain(absent);

    // Recording an allergy ends "no known allergies".
    const after = d.c.ok('patients.update', { id: d.bhavna, patch: { allergies: [{ type: 'food', substance: 'Peanuts', severity: 'mild' }] } }, d.reception);
    expect(after.patient).toMatchObject({ noKnownAllergies: false });
  });
});

describe('preview', () => {
  it('is watermarked PREVIEW on every page, locks nothing and is audited as a read; the print after it has no watermark and is no DUPLICATE', { timeout: 90_000 }, async () => {
    const d = openDoctorDesk();
    const visitId = busyVisit(d);
    const before = rxOf(d, visitId);
    const { job, pdf } = await document(d, 'prescriptions.preview', { visitId, options: { paper: 'A5' } });
    expect(job).toMatchObject({ kind: 'prescriptions.preview', result: { rxNumber: before.rxNumber } });
    const text = textOf(pdf);
    expect(text).toContain('PREVIEW — not valid for dispensing');
    for (const v of VITALS_SHOWN) expect(text).toContain(v);
    expect(text).toContain(INVESTIGATIONS);
    expect(text).not.toContain('DUPLICATE');
    png(pdf, 'rx-preview-A5');

    // Nothing locked, nothing counted: the doctor edits on, and the number stays.
    expect(rxOf(d, visitId)).toMatchObject({ status: 'draft', printCount: 0, printedAt: null, rxNumber: before.rxNumber });
    d.c.ok('prescriptions.save', { visitId, items: ITEMS.slice(0, 2), advice: 'Steam inhalation twice a day.' }, d.rao);
    const again = await document(d, 'prescriptions.preview', { visitId });
    expect(textOf(again.pdf)).not.toContain('PARACETAMOL');
    expect(auditRows(d, 'prescriptions.preview', before.id).map((a) => a.detail)).toEqual([`preview of ${before.rxNumber}`, `preview of ${before.rxNumber}`]);
    expect(auditRows(d, 'prescriptions.printed', before.id)).toEqual([]);
    expect(auditRows(d, 'prescriptions.exported', before.id)).toEqual([]);

    // The preview is its doctor's alone; the receptionist may not ask for one.
    expect(failure(d.c.call('jobs.document', { jobId: job.id }, d.iyer)).code).toBe('not_found');
    expect(failure(d.c.call('prescriptions.preview', { visitId }, d.reception)).code).toBe('forbidden');
    expect(failure(d.c.call('prescriptions.preview', { visitId }, d.iyer)).code).toBe('forbidden');

    // The real one: no watermark, not DUPLICATE, and now it locks.
    const saved = await document(d, 'prescriptions.pdf', { visitId, options: { paper: 'A5' } });
    expect(saved.job.result).toMatchObject({ duplicate: false });
    const savedText = textOf(saved.pdf);
    expect(savedText).not.toContain('PREVIEW');
    expect(savedText).not.toContain('DUPLICATE');
    expect(rxOf(d, visitId)).toMatchObject({ status: 'printed', printCount: 1 });
  });

  it('a preview that runs onto a second page is watermarked there too, under the repeated header', { timeout: 60_000 }, async () => {
    const d = openDoctorDesk();
    const visitId = busyVisit(d);
    const many = Array.from({ length: 12 }, (_, i) => item(`Drug number ${i + 1}`, { strength: `${(i + 1) * 5} mg`, instructions: 'Take after a meal with a full glass of water.' }));
    d.c.ok('prescriptions.save', { visitId, items: [...ITEMS, ...many] }, d.rao);
    const { pdf } = await document(d, 'prescriptions.preview', { visitId, options: { paper: 'A5', letterhead: true } });
    expect(pageCount(pdf)).toBeGreaterThan(1);
    const page2 = poppler('pdftotext', ['-f', '2', '-l', '2', pdfFile(pdf), '-']).replace(/\s+/g, ' ');
    expect(page2).toContain('PREVIEW — not valid for dispensing');
    expect(page2).toContain('(continued)');
    expect(page2).toContain('Anil Joshi');
    expect(page2).toContain('Erandwane, Pune, Maharashtra 411004');
    expect(layoutProblems(pdf)).toEqual([]);
    png(pdf, 'rx-preview-A5-two-pages');
  });
});
