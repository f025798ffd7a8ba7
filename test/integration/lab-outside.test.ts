import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePdf } from '../helpers/attachment-files';
import { tempDir } from '../helpers/temp';
import { checkIn, failure, openDoctorDesk, TODAY } from './doctor-fixtures';

/**
 * An order resulted by an outside lab's report (docs/LAB.md "Outside lab reports"): the lab
 * technician attaches the PDF (kind lab_report, the patient's, the visit's) and gives it as the
 * result; the report and the doctor's timeline name the file; another patient's file is refused.
 */
describe('outside lab reports', () => {
  it('results an order with an attached outside report, verified as usual, listed on the report and the timeline', async () => {
    const d = openDoctorDesk();
    const made = d.c.ok('staff.create', { username: 'lata', fullName: 'Lata Pawar', password: 'lata-password', roles: ['labtech'] }, d.admin);
    const tech = d.c.login('lata', 'lata-password');
    const v = checkIn(d, d.anil, d.drRao);
    d.c.ok('queue.callNext', {}, d.rao);
    const tests = d.c.ok('labs.tests', {}, d.rao);
    const [order] = d.c.ok('labs.order', { visitId: v.visitId, testIds: [tests.find((t) => t.code === 'TSH')!.id] }, d.rao);
    const orderId = order!.orderId;
    d.c.ok('labs.collect', { orderId }, tech);

    const attach = (patientId: string, extra: Record<string, unknown> = {}) =>
      d.c.ok('attachments.add', { patientId, visitId: v.visitId, kind: 'lab_report', title: 'Thyroid profile, Metro Labs', documentDate: TODAY, fileName: 'metro.pdf', base64: makePdf('METRO-TSH').toString('base64'), ...extra }, tech).id;
    // Another patient's file (filed without a visit) cannot stand for Anil's result.
    const bhavnas = d.c.ok('attachments.add', { patientId: d.bhavna, kind: 'lab_report', title: 'Other', documentDate: TODAY, base64: makePdf('OTHER').toString('base64') }, d.reception).id;
    expect(failure(d.c.call('labs.recordResult', { orderId, value: '', attachmentId: bhavnas }, tech))).toMatchObject({ code: 'invalid_input', fields: { attachmentId: 'That file is another patient’s' } });
    expect(failure(d.c.call('labs.recordResult', { orderId, value: '' }, tech)).fields).toEqual({ value: 'Type the result or attach the outside lab’s report' });

    const own = attach(d.anil);
    expect(d.c.ok('labs.recordResult', { orderId, value: '', attachmentId: own }, tech)).toMatchObject({ flag: null });
    const row = d.c.ok('labs.pending', {}, tech).find((o) => o.orderId === orderId)!;
    expect(row).toMatchObject({ status: 'resulted', resultedBy: made.id, result: { value: 'See attached report', attachmentId: own } });
    d.c.ok('labs.verify', { orderId }, d.rao);

    const job = await d.c.app.jobs.wait(d.c.ok('labs.report', { visitId: v.visitId }, tech).id);
    const pdf = Buffer.from(d.c.ok('jobs.document', { jobId: job.id }, tech).pdfBase64, 'base64');
    const file = path.join(tempDir(), 'outside.pdf');
    fs.writeFileSync(file, pdf);
    fs.mkdirSync('/tmp/shots-lab', { recursive: true });
    fs.copyFileSync(file, '/tmp/shots-lab/outside-report.pdf');
    const text = execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('See attached report');
    expect(text.replace(/\s+/g, ' ')).toContain('Outside lab report attached (Thyroid profile, Metro Labs, 21-11-2026)');

    const timeline = d.c.ok('patients.timeline', { patientId: d.anil }, d.rao);
    const lab = timeline.visits.find((x) => x.visitId === v.visitId)!.labs[0]!;
    expect(lab).toMatchObject({ value: 'See attached report', status: 'verified', attached: { title: 'Thyroid profile, Metro Labs', date: '2026-11-21' } });
  });
});
