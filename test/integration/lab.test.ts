import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { labOrders, labResults } from '../../db/schema';
import { Writer } from '../../db/write';
import { HybridClock } from '../../shared/hlc';
import { NO_AMENDMENT } from '../../shared/lab-amendment';
import { SyncRuleError } from '../../shared/sync-rules';
import { auditRows, checkIn, DAY, failure, openDoctorDesk, type DoctorDesk } from './doctor-fixtures';
import { tempDir } from '../helpers/temp';

/** The lab from order to printed report (docs/LAB.md), through the router on a real SQLite file. */

interface Lab extends DoctorDesk {
  tech: string;
  techId: string;
}

function openLab(): Lab {
  const d = openDoctorDesk();
  const made = d.c.ok('staff.create', { username: 'lata', fullName: 'Lata Pawar', password: 'lata-password', roles: ['labtech'] }, d.admin);
  return { ...d, tech: d.c.login('lata', 'lata-password'), techId: made.id };
}

/** Dr Rao sees the patient and orders the tests (by code); returns the visit and order ids by code. */
function ordered(d: Lab, patientId: string, codes: string[]) {
  const v = checkIn(d, patientId, d.drRao);
  d.c.ok('queue.callNext', {}, d.rao);
  // Done with the doctor, so the next patient can be called in.
  d.c.ok('queue.setStatus', { visitId: v.visitId, status: 'done' }, d.rao);
  const tests = d.c.ok('labs.tests', {}, d.rao);
  d.c.ok('labs.order', { visitId: v.visitId, testIds: codes.map((c) => tests.find((t) => t.code === c)!.id) }, d.rao);
  const day = d.c.ok('labs.pending', {}, d.tech).filter((o) => o.visitId === v.visitId);
  return { visitId: v.visitId, order: Object.fromEntries(day.map((o) => [o.testCode, o.orderId])) as Record<string, string> };
}

const row = (d: Lab, orderId: string) => d.c.ok('labs.pending', {}, d.tech).find((o) => o.orderId === orderId)!;

async function pdfOf(d: Lab, method: 'labs.report' | 'labs.label', input: Record<string, unknown>, token: string): Promise<Buffer> {
  const job = await d.c.app.jobs.wait(d.c.ok(method, input, token).id);
  expect(job.status).toBe('done');
  return Buffer.from(d.c.ok('jobs.document', { jobId: job.id }, token).pdfBase64, 'base64');
}

function pdfText(pdf: Buffer, name: string): string {
  const dir = tempDir();
  const file = path.join(dir, name);
  fs.writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

describe('the lab workflow', () => {
  it('takes a sample before a result, flags by the patient’s range, and verifies only someone else’s entry', () => {
    const d = openLab();
    const { order } = ordered(d, d.anil, ['HB', 'CREAT']);
    expect(row(d, order.HB!)).toMatchObject({ status: 'ordered', sampleId: null, referenceRange: '13.0-17.0', sex: 'male' });

    const early = failure(d.c.call('labs.recordResult', { orderId: order.HB!, value: '18.2' }, d.tech));
    expect(early).toMatchObject({ code: 'conflict', fields: { orderId: 'No sample yet' } });

    expect(d.c.ok('labs.collect', { orderId: order.HB! }, d.tech)).toEqual({ orderId: order.HB, sampleId: 'S/A/000001' });
    expect(failure(d.c.call('labs.collect', { orderId: order.HB! }, d.tech)).code).toBe('conflict');
    expect(row(d, order.HB!)).toMatchObject({ status: 'collected', sampleId: 'S/A/000001', sampleCollectedAt: d.c.clock.now });

    // A numeric test takes a number.
    expect(failure(d.c.call('labs.recordResult', { orderId: order.HB!, value: 'high' }, d.tech)).fields).toEqual({ value: 'Result must be a number in g/dL' });
    // Anil is a man of 56: 13.0-17.0, so 18.2 is high.
    expect(d.c.ok('labs.recordResult', { orderId: order.HB!, value: '18.2' }, d.tech)).toMatchObject({ flag: 'H', critical: false, abnormal: true, referenceRange: '13.0-17.0' });

    // The one who entered it, and a lab technician at all, cannot verify; the doctor can.
    expect(failure(d.c.call('labs.verify', { orderId: order.HB! }, d.tech)).code).toBe('forbidden');
    d.c.ok('labs.collect', { orderId: order.CREAT! }, d.tech);
    d.c.ok('labs.recordResult', { orderId: order.CREAT!, value: '1.1' }, d.rao);
    expect(failure(d.c.call('labs.verify', { orderId: order.CREAT! }, d.rao))).toMatchObject({ code: 'forbidden', fields: { orderId: 'Entered by you' } });
    d.c.ok('labs.verify', { orderId: order.CREAT! }, d.admin);
    d.c.ok('labs.verify', { orderId: order.HB! }, d.rao);
    expect(row(d, order.HB!)).toMatchObject({ status: 'verified', verifiedBy: 'Dr Meera Rao', result: { value: '18.2', flag: 'H', enteredBy: 'Lata Pawar' } });
    expect(failure(d.c.call('labs.verify', { orderId: order.HB! }, d.admin)).code).toBe('conflict');
    expect(failure(d.c.call('labs.cancel', { orderId: order.HB!, reason: 'x' }, d.tech)).code).toBe('conflict');
  });

  it('amends a verified result only with a reason, keeping the old value, and verifies it again', () => {
    const d = openLab();
    const { order } = ordered(d, d.anil, ['HB']);
    const hb = order.HB!;
    d.c.ok('labs.collect', { orderId: hb }, d.tech);
    d.c.ok('labs.recordResult', { orderId: hb, value: '18.2' }, d.tech);
    d.c.ok('labs.verify', { orderId: hb }, d.rao);

    // The desk's Writer, like the server, refuses to unlock a verified result without an amendment.
    const { db, sqlite } = d.c.app.database;
    const clock = new HybridClock('device-test', () => Date.now());
    const writer = new Writer({ db, deviceId: 'device-test', now: () => Date.now(), tick: () => clock.tick(), userId: d.techId, roles: ['labtech'], record: () => undefined });
    const unlock = () => sqlite.transaction(() => writer.update(labOrders, hb, { status: 'resulted', resultedBy: d.techId, verifiedBy: null, verifiedAt: null, verifiedResultId: null }))();
    expect(unlock).toThrow(new SyncRuleError(NO_AMENDMENT));
    expect(row(d, hb).status).toBe('verified');

    expect(failure(d.c.call('labs.recordResult', { orderId: hb, value: '14.2' }, d.tech)).fields).toEqual({ reason: 'Reason is required to amend a verified result' });
    d.c.clock.now += 60_000;
    expect(d.c.ok('labs.recordResult', { orderId: hb, value: '14.2', reason: 'Transcription error: 14.2 on the analyser' }, d.tech)).toMatchObject({ flag: null, amended: true });
    const kept = d.c.app.database.db.select().from(labResults).where(eq(labResults.orderId, hb)).all();
    expect(kept.map((r) => `${r.value} ${r.amendReason ?? ''}`).sort()).toEqual(['14.2 Transcription error: 14.2 on the analyser', '18.2 ']);
    expect(kept.find((r) => r.value === '14.2')!.amends).toBe(kept.find((r) => r.value === '18.2')!.id);
    // Waits for verification again.
    expect(row(d, hb)).toMatchObject({ status: 'resulted', verifiedBy: null, result: { value: '14.2', amended: true } });
    d.c.ok('labs.verify', { orderId: hb }, d.rao);
    expect(row(d, hb).status).toBe('verified');
  });

  it('chooses ranges by sex and age band, and flags critical values', () => {
    const d = openLab();
    const child = d.c.ok('patients.register', { patient: { givenName: 'Ira', familyName: 'Kulkarni', gender: 'female', dob: '2019-05-01', mobile: '9822000019' }, acknowledgeDuplicates: [] }, d.reception);
    if (child.status !== 'registered') throw new Error('not registered');
    const a = ordered(d, d.bhavna, ['HB', 'HDL', 'CREAT']);
    const b = ordered(d, child.patient.id, ['HB']);
    expect(row(d, a.order.HB!).referenceRange).toBe('12.0-15.0');
    expect(row(d, a.order.HDL!).referenceRange).toBe('> 50');
    expect(row(d, a.order.CREAT!).referenceRange).toBe('0.6-1.1');
    expect(row(d, b.order.HB!)).toMatchObject({ age: 7, referenceRange: '11.5-15.5' });
    for (const id of [a.order.HB!, a.order.HDL!, a.order.CREAT!, b.order.HB!]) d.c.ok('labs.collect', { orderId: id }, d.tech);
    expect(d.c.ok('labs.recordResult', { orderId: a.order.HB!, value: '12.5' }, d.tech)).toMatchObject({ flag: null, critical: false });
    expect(d.c.ok('labs.recordResult', { orderId: a.order.HDL!, value: '45' }, d.tech)).toMatchObject({ flag: 'L' });
    expect(d.c.ok('labs.recordResult', { orderId: a.order.CREAT!, value: '8.1' }, d.tech)).toMatchObject({ flag: 'H', critical: true });
    expect(d.c.ok('labs.recordResult', { orderId: b.order.HB!, value: '5.9' }, d.tech)).toMatchObject({ flag: 'L', critical: true, referenceRange: '11.5-15.5' });
  });

  it('numbers samples from a series that never reuses a number, and keeps cancelled orders visible', () => {
    const d = openLab();
    const { order } = ordered(d, d.anil, ['HB', 'TC', 'TSH']);
    expect(d.c.ok('labs.collect', { orderId: order.HB! }, d.tech).sampleId).toBe('S/A/000001');
    expect(d.c.ok('labs.collect', { orderId: order.TC! }, d.tech).sampleId).toBe('S/A/000002');
    // The TC tube breaks: cancelled with a reason; its number is not handed out again.
    expect(failure(d.c.call('labs.cancel', { orderId: order.TC!, reason: '' }, d.tech)).fields).toHaveProperty('reason');
    d.c.ok('labs.cancel', { orderId: order.TC!, reason: 'Sample haemolysed' }, d.tech);
    expect(d.c.ok('labs.collect', { orderId: order.TSH! }, d.tech).sampleId).toBe('S/A/000003');
    expect(row(d, order.TC!)).toMatchObject({ status: 'cancelled', cancelReason: 'Sample haemolysed', sampleId: 'S/A/000002' });
    expect(failure(d.c.call('labs.recordResult', { orderId: order.TC!, value: '180' }, d.tech)).code).toBe('conflict');
    // Reception has no part in the lab.
    for (const m of ['labs.pending', 'labs.collect', 'labs.recordResult'] as const) {
      expect(d.c.app.router.call(m, { orderId: order.HB!, value: '1' }, d.reception), m).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });

  it('prints the label and the report (values, units, ranges, flags, who entered and verified), audited', async () => {
    const d = openLab();
    const { visitId, order } = ordered(d, d.anil, ['HB', 'TC', 'WIDAL']);
    for (const id of Object.values(order)) d.c.ok('labs.collect', { orderId: id }, d.tech);
    const label = pdfText(await pdfOf(d, 'labs.label', { orderId: order.HB! }, d.tech), 'label.pdf');
    expect(label).toMatch(/Anil Joshi/);
    expect(label).toMatch(/S\/A\/000001/);
    expect(label).toMatch(/Haemoglobin/);

    expect(failure(d.c.call('labs.report', { visitId }, d.tech)).fields).toEqual({ visitId: 'Nothing verified' });
    d.c.ok('labs.recordResult', { orderId: order.HB!, value: '18.2' }, d.tech);
    d.c.ok('labs.recordResult', { orderId: order.TC!, value: '185' }, d.tech);
    d.c.ok('labs.recordResult', { orderId: order.WIDAL!, value: 'Positive (1:160)', abnormal: true }, d.tech);
    d.c.ok('labs.verify', { orderId: order.HB! }, d.rao);
    d.c.ok('labs.verify', { orderId: order.TC! }, d.rao);
    const pdf = await pdfOf(d, 'labs.report', { visitId }, d.tech);
    const text = pdfText(pdf, 'report.pdf');
    fs.mkdirSync('/tmp/shots-lab', { recursive: true });
    fs.writeFileSync('/tmp/shots-lab/report.pdf', pdf);
    expect(text).toMatch(/LABORATORY REPORT/);
    expect(text).toMatch(/Anil Joshi \(56 y \/ Male\)/);
    expect(text).toMatch(/Haemoglobin.*18\.2\s+H\s+g\/dL\s+13\.0-17\.0/);
    expect(text).toMatch(/Total cholesterol.*185\s+mg\/dL\s+< 200/);
    // Not verified: no value printed.
    expect(text).toMatch(/Widal test.*Result awaited/);
    expect(text).not.toMatch(/1:160/);
    expect(text).toMatch(/Entered by: Lata Pawar \(Lab technician\)/);
    expect(text).toMatch(/Verified by: Dr Meera Rao\s+MBBS, MD, Reg\. No\. MMC-2011-04567/);
    expect(text).toMatch(/Page 1 of 1/);
    // The H is bold: the word sits in the bold font.
    const fonts = execFileSync('pdffonts', ['/tmp/shots-lab/report.pdf'], { encoding: 'utf8' });
    expect(fonts).toMatch(/NotoSans-Bold/);
    expect(row(d, order.HB!).reportPrintCount).toBe(1);
    const audited = auditRows(d, 'labs.report');
    expect(new Set(audited.filter((a) => a.outcome === 'ok').map((a) => a.detail))).toEqual(new Set(['PDF of lab report (2 verified results)']));
    expect(auditRows(d, 'labs.label').map((a) => a.detail)).toEqual(['label of sample S/A/000001']);
    execFileSync('pdftoppm', ['-r', '60', '-png', '/tmp/shots-lab/report.pdf', '/tmp/shots-lab/report']);
  });

  it('shows the doctor each repeated test’s trend over visits', () => {
    const d = openLab();
    const values = ['7.9', '7.1', '6.4'];
    for (const v of values) {
      const { order } = ordered(d, d.anil, ['HBA1C']);
      d.c.ok('labs.collect', { orderId: order.HBA1C! }, d.tech);
      d.c.ok('labs.recordResult', { orderId: order.HBA1C!, value: v }, d.tech);
      d.c.ok('labs.verify', { orderId: order.HBA1C! }, d.rao);
      d.c.clock.now += 30 * DAY;
    }
    const trends = d.c.ok('patients.timeline', { patientId: d.anil }, d.rao).labTrends;
    expect(trends.map((t) => `${t.testName}: ${t.points.map((p) => `${p.value}${p.flag ?? ''}`).join(' → ')}`)).toEqual(['Glycated haemoglobin (HbA1c): 7.9H → 7.1H → 6.4H']);
  });
});

describe('the lab after review', () => {
  it('prints exactly the verified result: a newer row that arrived later waits, a missing one is awaited', async () => {
    const d = openLab();
    const { visitId, order } = ordered(d, d.anil, ['HB', 'CREAT', 'TC']);
    for (const id of [order.HB!, order.CREAT!, order.TC!]) {
      d.c.ok('labs.collect', { orderId: id }, d.tech);
      d.c.ok('labs.recordResult', { orderId: id, value: id === order.HB ? '14.1' : id === order.TC ? '180' : '1.0' }, d.tech);
      d.c.ok('labs.verify', { orderId: id }, d.rao);
    }
    const db = d.c.app.database.db;
    // As sync could leave it: a new unverified row for the verified Hb, and the Creatinine's verified row gone.
    const hb = db.select().from(labResults).where(eq(labResults.orderId, order.HB!)).get()!;
    db.insert(labResults).values({ ...hb, id: 'late-row', value: '6.2', resultedAt: hb.resultedAt + 1000, hlc: `${hb.hlc}z` }).run();
    db.delete(labResults).where(eq(labResults.orderId, order.CREAT!)).run();
    const text = pdfText(await pdfOf(d, 'labs.report', { visitId }, d.tech), 'r.pdf');
    expect(text).not.toContain('6.2');
    expect(text).toContain('Result awaited (amended, to be verified)');
    expect(text.match(/Result awaited/g)).toHaveLength(2);
    expect(text).toContain('180');
  });

  it('sample ids are unique', () => {
    const d = openLab();
    const { order } = ordered(d, d.anil, ['HB', 'CREAT']);
    const { sampleId } = d.c.ok('labs.collect', { orderId: order.HB! }, d.tech);
    const sqlite = d.c.app.database.sqlite;
    expect(() => sqlite.prepare('UPDATE lab_orders SET sample_id = ? WHERE id = ?').run(sampleId, order.CREAT!)).toThrow(/UNIQUE/);
  });
});
