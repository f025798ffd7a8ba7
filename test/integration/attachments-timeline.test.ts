import { describe, expect, it } from 'vitest';
import { makeJpeg, makePdf } from '../helpers/attachment-files';
import { auditRows, checkIn, failure, openDoctorDesk, TODAY } from './doctor-fixtures';

/**
 * The doctor's timeline lists the patient's attachments (issue #19) through the real router on a
 * real encrypted SQLite file: newest document first, who added them, the visit, withdrawn ones
 * marked with the reason; a thumbnail's read is audited as such, and gated like any clinical read.
 */

describe('attachments in the timeline', () => {
  it('lists them by document date with kind, title, who added them and the visit; withdrawn ones keep their reason', () => {
    const d = openDoctorDesk();
    const visit = checkIn(d, d.anil, d.drRao);
    const b64 = (b: Buffer) => b.toString('base64');
    const old = d.c.ok('attachments.add', { patientId: d.anil, kind: 'discharge', title: 'Discharge summary 2024', documentDate: '2024-02-10', base64: b64(makePdf('DISCHARGE', 3000)) }, d.reception);
    const ecg = d.c.ok('attachments.add', { patientId: d.anil, visitId: visit.visitId, kind: 'ecg', title: 'ECG today', documentDate: TODAY, base64: b64(makeJpeg()) }, d.reception);
    const wrong = d.c.ok('attachments.add', { patientId: d.anil, kind: 'lab_report', title: 'CBC of someone else', documentDate: '2026-10-01', base64: b64(makePdf('CBC', 2500)) }, d.reception);
    d.c.ok('attachments.withdraw', { id: wrong.id, reason: 'Wrong patient' }, d.reception);
    // Another patient's file is not in Anil's timeline.
    d.c.ok('attachments.add', { patientId: d.bhavna, kind: 'other', title: 'Bhavna referral', documentDate: TODAY, base64: b64(makePdf('REF', 2000)) }, d.reception);

    const t = d.c.ok('patients.timeline', { patientId: d.anil }, d.rao);
    expect(t.attachments.map((a) => [a.title, a.kind, a.documentDate, a.madeByName, a.visitDate, a.withdrawReason, a.downloaded])).toEqual([
      ['ECG today', 'ecg', TODAY, 'Rita Dsouza', t.visits[0]!.date, null, true],
      ['CBC of someone else', 'lab_report', '2026-10-01', 'Rita Dsouza', null, 'Wrong patient', true],
      ['Discharge summary 2024', 'discharge', '2024-02-10', 'Rita Dsouza', null, null, true],
    ]);
    expect(t.attachments.map((a) => a.id)).toEqual([ecg.id, wrong.id, old.id]);
    // Reception may attach but the timeline is the clinical record: not theirs.
    expect(failure(d.c.call('patients.timeline', { patientId: d.anil }, d.reception)).code).toBe('forbidden');
  }, 120_000);

  it('a thumbnail is a clinical read: audited, saying it was a thumbnail, and refused to a doctor without a visit', () => {
    const d = openDoctorDesk();
    checkIn(d, d.anil, d.drRao);
    const a = d.c.ok('attachments.add', { patientId: d.anil, kind: 'lab_report', title: 'Lipid profile', documentDate: TODAY, base64: makePdf('LDL 130').toString('base64') }, d.reception);
    expect(d.c.ok('attachments.read', { id: a.id, purpose: 'thumbnail' }, d.rao).mime).toBe('application/pdf');
    d.c.ok('attachments.read', { id: a.id }, d.rao);
    expect(failure(d.c.call('attachments.read', { id: a.id, purpose: 'thumbnail' }, d.iyer)).code).toBe('forbidden');
    expect(failure(d.c.call('attachments.read', { id: a.id, purpose: 'print' }, d.rao))).toMatchObject({ code: 'invalid_input' });
    const rows = auditRows(d, 'attachments.read', a.id);
    expect(rows.map((r) => [r.outcome, r.detail?.split(' "')[0]])).toEqual([
      ['ok', 'thumbnail of'],
      ['ok', 'read'],
    ]);
    expect(auditRows(d, 'attachments.read').filter((r) => r.outcome === 'forbidden')).toHaveLength(1);
  }, 120_000);
});
