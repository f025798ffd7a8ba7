import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Input } from '../../electron/api';
import { certificates } from '../../db/schema';
import { Writer } from '../../db/write';
import { HybridClock } from '../../shared/hlc';
import { SyncRuleError } from '../../shared/sync-rules';
import { tempDir } from '../helpers/temp';
import { auditRows, checkIn, failure, openDoctorDesk, TODAY, type DoctorDesk } from './doctor-fixtures';

/**
 * Medical and fitness certificates through the real router: issued by the visit's doctor only,
 * numbered from the desk's series per kind, locked, voided with a reason and replaced (both numbers
 * kept), shown in the timeline, printed as PDFs read back with poppler, every print audited.
 * The clinic clock starts on Saturday 2026-11-21 at 10:00 IST.
 */

const PNG_DIR = path.resolve(import.meta.dirname, '..', '..', 'test-results', 'pdf');

function poppler(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${command} failed: ${r.stderr}`);
  return r.stdout;
}

function pdfFile(pdf: Buffer): string {
  const file = path.join(tempDir('cert-'), 'cert.pdf');
  fs.writeFileSync(file, pdf);
  return file;
}

const textOf = (pdf: Buffer) => poppler('pdftotext', [pdfFile(pdf), '-']).replace(/\s+/g, ' ');

function png(pdf: Buffer, name: string): void {
  fs.mkdirSync(PNG_DIR, { recursive: true });
  poppler('pdftoppm', ['-png', '-r', '60', pdfFile(pdf), path.join(PNG_DIR, name)]);
}

async function pdfOf(d: DoctorDesk, input: Input<'certificates.pdf'>, token: string) {
  const job = await d.c.app.jobs.wait(d.c.ok('certificates.pdf', input, token).id);
  expect(job.status, job.message).toBe('done');
  return Buffer.from(d.c.ok('jobs.document', { jobId: job.id }, token).pdfBase64, 'base64');
}

/** Anil checked in with Dr Rao, called in, a diagnosis recorded. */
function seenByRao(d: DoctorDesk): string {
  const v = checkIn(d, d.anil, d.drRao);
  expect(d.c.ok('queue.callNext', {}, d.rao).visitId).toBe(v.visitId);
  d.c.ok('consultations.save', { visitId: v.visitId, note: { diagnoses: [{ code: 'A09', title: 'Acute gastroenteritis' }] } }, d.rao);
  return v.visitId;
}

const medical = (visitId: string, extra: Partial<Input<'certificates.issue'>> = {}): Input<'certificates.issue'> => ({
  visitId,
  kind: 'medical_leave',
  diagnosis: 'Acute gastroenteritis',
  restFrom: TODAY,
  restTo: '2026-11-23',
  language: 'en',
  ...extra,
});

beforeAll(() => void openDoctorDesk(), 120_000);

describe('certificates', () => {
  it('a medical certificate: numbered, its PDF names the patient, the diagnosis, the dates, the days and the doctor’s registration, in English and Hindi; printing is audited', { timeout: 60_000 }, async () => {
    const d = openDoctorDesk();
    const visitId = seenByRao(d);
    const draft = d.c.ok('certificates.draft', { visitId }, d.rao);
    expect(draft.diagnosis).toBe('Acute gastroenteritis');
    const cert = d.c.ok('certificates.issue', medical(visitId, { remarks: 'Oral rehydration; review if the fever persists.' }), d.rao);
    expect(cert.number).toBe('MC/A/000001');
    expect(cert.days).toBe(3);

    const en = textOf(await pdfOf(d, { id: cert.id }, d.rao));
    expect(en).toContain('MEDICAL CERTIFICATE');
    expect(en).toContain('MC/A/000001');
    expect(en).toContain('Anil Joshi');
    expect(en).toContain('is suffering from Acute gastroenteritis');
    expect(en).toContain('3 days, from 21-11-2026 to 23-11-2026');
    expect(en).toContain('Reg. No. MMC-2011-04567');
    expect(en).toContain('Maharashtra Medical Council');
    expect(en).toContain('Remarks: Oral rehydration');
    expect(en).not.toContain('आराम');

    const hiPdf = await pdfOf(d, { id: cert.id, options: { language: 'en+hi', paper: 'A5' } }, d.rao);
    const hi = textOf(hiPdf);
    expect(hi).toContain('is suffering from Acute gastroenteritis');
    expect(hi).toContain('चिकित्सा प्रमाण-पत्र');
    expect(hi).toContain('से पीड़ित हैं');
    expect(hi).toContain('(3 दिन) आराम आवश्यक है');
    png(hiPdf, 'certificate-medical-A5-en-hi');

    // Reception hands the patient a copy: audited against the certificate, as the doctor's print was.
    const copy = textOf(await pdfOf(d, { id: cert.id }, d.reception));
    expect(copy).toContain('MC/A/000001');
    const prints = auditRows(d, 'certificates.pdf', cert.id);
    expect(prints.map((r) => r.detail)).toEqual(['PDF of MC/A/000001 (by its doctor)', 'PDF of MC/A/000001 (by its doctor)', 'PDF of MC/A/000001 (copy)']);
    expect(auditRows(d, 'jobs.document', cert.id)).toHaveLength(3);
    expect(auditRows(d, 'certificates.issue', cert.id)).toHaveLength(1);
  });

  it('a fitness certificate says fit for the purpose from the date, in its own series', { timeout: 60_000 }, async () => {
    const d = openDoctorDesk();
    const visitId = seenByRao(d);
    d.c.ok('certificates.issue', medical(visitId), d.rao);
    const fit = d.c.ok('certificates.issue', { visitId, kind: 'fitness', diagnosis: 'Acute gastroenteritis', fitFrom: '2026-11-24', purpose: 'resume duty', language: 'en+hi' }, d.rao);
    expect(fit.number).toBe('FC/A/000001');
    const pdf = await pdfOf(d, { id: fit.id }, d.rao);
    const text = textOf(pdf);
    expect(text).toContain('CERTIFICATE OF FITNESS');
    expect(text).toContain('was under my treatment for Acute gastroenteritis');
    expect(text).toContain('now fit for resume duty with effect from 24-11-2026');
    expect(text).toContain('स्वस्थ (फ़िट) हैं');
    png(pdf, 'certificate-fitness-A4-en-hi');
  });

  it('only the visit’s own doctor issues: not another doctor, not reception, not the administrator', () => {
    const d = openDoctorDesk();
    const visitId = seenByRao(d);
    expect(failure(d.c.call('certificates.issue', medical(visitId), d.iyer)).code).toBe('forbidden');
    expect(failure(d.c.call('certificates.issue', medical(visitId), d.reception)).code).toBe('forbidden');
    expect(failure(d.c.call('certificates.issue', medical(visitId), d.admin)).code).toBe('forbidden');
    expect(d.c.ok('certificates.list', { patientId: d.anil }, d.reception)).toEqual([]);
  });

  it('refuses bad dates and a fitness certificate without its purpose, naming the field', () => {
    const d = openDoctorDesk();
    const visitId = seenByRao(d);
    const refused = (input: Input<'certificates.issue'>) => failure(d.c.call('certificates.issue', input, d.rao));
    expect(refused(medical(visitId, { restFrom: '2026-11-23', restTo: '2026-11-21' })).fields).toEqual({ restTo: 'Rest to is before rest from' });
    expect(refused(medical(visitId, { restTo: '2027-03-01' })).fields?.restTo).toMatch(/^Rest of 101 days is more than 90/);
    expect(refused(medical(visitId, { restFrom: '2026-10-01' })).fields?.restFrom).toMatch(/more than 7 days before the visit/);
    expect(refused({ visitId, kind: 'fitness', diagnosis: 'Recovered', fitFrom: '2026-11-24' }).fields).toEqual({ purpose: expect.stringMatching(/^Fit for is required/) });
    expect(refused(medical(visitId, { restTo: null })).fields).toEqual({ restTo: 'Rest to is required' });
    expect(d.c.ok('certificates.list', { patientId: d.anil }, d.rao)).toEqual([]);
  });

  it('an issued certificate is locked; a void with a reason and a new one keep both numbers, never reused; the timeline shows them', { timeout: 60_000 }, async () => {
    const d = openDoctorDesk();
    const visitId = seenByRao(d);
    const first = d.c.ok('certificates.issue', medical(visitId), d.rao);

    // No method edits a certificate, and the Writer (the rule book) refuses any change but a void.
    const { db, sqlite } = d.c.app.database;
    const clock = new HybridClock('device-test', () => Date.now());
    const writer = new Writer({ db, deviceId: 'device-test', now: () => Date.now(), tick: () => clock.tick(), userId: d.drRao, roles: ['doctor'], record: () => undefined });
    const edit = () => sqlite.transaction(() => writer.update(certificates, first.id, { restTo: '2026-11-30' }))();
    expect(edit).toThrow(SyncRuleError);
    expect(edit).toThrow('certificate MC/A/000001 has been issued: its rest_to can no longer change (void it and issue a new one)');

    expect(failure(d.c.call('certificates.void', { id: first.id, reason: 'Wrong dates' }, d.iyer)).code).toBe('forbidden');
    expect(failure(d.c.call('certificates.void', { id: first.id, reason: ' ' }, d.rao)).fields?.reason).toBeDefined();
    const voided = d.c.ok('certificates.void', { id: first.id, reason: 'Wrong dates: rest until 25-11' }, d.rao);
    expect(voided.voidReason).toBe('Wrong dates: rest until 25-11');
    expect(failure(d.c.call('certificates.void', { id: first.id, reason: 'again' }, d.rao)).code).toBe('conflict');
    expect(failure(d.c.call('certificates.pdf', { id: first.id }, d.reception)).message).toMatch(/MC\/A\/000001 was voided/);
    const second = d.c.ok('certificates.issue', medical(visitId, { restTo: '2026-11-25' }), d.rao);
    expect(second.number).toBe('MC/A/000002');

    const list = d.c.ok('certificates.list', { patientId: d.anil }, d.reception);
    expect(list.map((c) => [c.number, c.voidedAt !== null])).toEqual([
      ['MC/A/000002', false],
      ['MC/A/000001', true],
    ]);
    const timeline = d.c.ok('patients.timeline', { patientId: d.anil }, d.rao);
    const entry = timeline.visits.find((v) => v.visitId === visitId)!;
    expect(entry.certificates.map((c) => `${c.number} ${c.days} days${c.voidReason ? ` void: ${c.voidReason}` : ''}`)).toEqual([
      'MC/A/000002 5 days',
      'MC/A/000001 3 days void: Wrong dates: rest until 25-11',
    ]);
    const pdf = textOf(await pdfOf(d, { id: second.id }, d.reception));
    expect(pdf).toContain('5 days, from 21-11-2026 to 25-11-2026');
  });
});
