import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { attachments, changeLog } from '../../db/schema';
import type { Result } from '../../shared/api';
import { fileInput, makeJpeg, makePdf, makePng } from '../helpers/attachment-files';
import { makeClinic } from '../helpers/app';
import { tempDir } from '../helpers/temp';
import { auditRows, checkIn, failure, openDoctorDesk, TODAY, type DoctorDesk } from './doctor-fixtures';

/**
 * Patient attachments through the real router on a real (encrypted) SQLite file: files judged by
 * content, limits, a corrupt PDF, a full disk, the same file stored once, the record and its bytes
 * in one transaction, every read audited and gated like the clinical record.
 */

const b64 = (b: Buffer) => b.toString('base64');
const add = (d: DoctorDesk, file: Buffer, extra: Record<string, unknown> = {}, token = d.reception) =>
  d.c.call('attachments.add', { patientId: d.anil, kind: 'lab_report', title: 'CBC from City Lab', documentDate: TODAY, fileName: 'report.pdf', ...fileInput(d.c, token, file), ...extra }, token);
const blobRows = (d: DoctorDesk) => d.c.app.database.sqlite.prepare('SELECT count(*) FROM attachment_blobs').pluck().get() as number;
const rowsOf = (d: DoctorDesk) => d.c.app.database.db.select().from(attachments).all();

describe('attachments', () => {
  it('adds PDF, JPEG and PNG files judged by their content, and the doctor of the visit reads identical bytes (audited)', () => {
    const d = openDoctorDesk();
    const pdf = makePdf('HAEMOGLOBIN 13.2', 600_000);
    const r = add(d, pdf);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ mime: 'application/pdf', size: pdf.length, title: 'CBC from City Lab', downloaded: true });
    // A PNG named .pdf is a PNG; a JPEG too.
    const png = d.c.ok('attachments.add', { patientId: d.anil, kind: 'imaging', title: 'Chest X-ray', documentDate: TODAY, fileName: 'xray.pdf', base64: b64(makePng()) }, d.reception);
    expect(png.mime).toBe('image/png');
    expect(d.c.ok('attachments.add', { patientId: d.anil, kind: 'ecg', title: 'ECG', documentDate: TODAY, base64: b64(makeJpeg()) }, d.reception).mime).toBe('image/jpeg');
    expect(d.c.ok('attachments.list', { patientId: d.anil }, d.reception).map((a) => a.title).sort()).toEqual(['CBC from City Lab', 'Chest X-ray', 'ECG']);

    // Reception attaches but does not open clinical files; a doctor without a visit with Anil neither.
    expect(failure(d.c.call('attachments.read', { id: r.value.id }, d.reception)).code).toBe('forbidden');
    expect(failure(d.c.call('attachments.read', { id: r.value.id }, d.rao)).code).toBe('forbidden');
    checkIn(d, d.anil, d.drRao);
    const read = d.c.ok('attachments.read', { id: r.value.id }, d.rao);
    expect(Buffer.from(read.base64, 'base64').equals(pdf)).toBe(true);
    expect(read.mime).toBe('application/pdf');
    const audits = auditRows(d, 'attachments.read', r.value.id);
    expect(audits.map((a) => [a.outcome, a.userId])).toEqual([['ok', d.drRao]]);
    expect(audits[0]!.detail).toContain('CBC from City Lab');
    // The refused reads are audited too.
    expect(auditRows(d, 'attachments.read').filter((a) => a.outcome === 'forbidden')).toHaveLength(2);
  });

  it('refuses an empty file, a file that is not PDF/JPEG/PNG, a corrupt PDF, a cut-short image and a file over 20 MB, saving nothing', () => {
    const d = openDoctorDesk();
    const pdf = makePdf('CUT SHORT', 5000);
    const cases: [Buffer, RegExp][] = [
      [Buffer.alloc(0), /empty/],
      [Buffer.from('name,age\nAnil,56\n'), /not a PDF, JPEG or PNG/],
      [pdf.subarray(0, pdf.length - 700), /This PDF is damaged/],
      [Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(300, 0x41), Buffer.from('\nstartxref\n99\n%%EOF\n')]), /This PDF is damaged/],
      [makePng().subarray(0, 40), /PNG image/],
      [makeJpeg().subarray(0, 100), /JPEG image is cut short/],
    ];
    for (const [file, message] of cases) {
      const e = failure(add(d, file));
      expect(e.code).toBe('invalid_input');
      expect(e.fields?.base64 ?? e.fields?.uploadId ?? e.message).toMatch(message);
    }
    // Sent whole, a file is at most 64 KiB (larger ones come in pieces).
    expect(failure(d.c.call('attachments.add', { patientId: d.anil, kind: 'other', title: 'Big', documentDate: TODAY, base64: b64(Buffer.alloc(64 * 1024 + 3)) }, d.reception)), "big").toMatchObject({ fields: { base64: expect.stringMatching(/too large/) } });
    // Staged in pieces, the limit holds too.
    let uploadId: string | null = null;
    const piece = b64(Buffer.alloc(64 * 1024, 7));
    let refused = null;
    for (let i = 0; i < 321 && !refused; i++) {
      const r: Result<{ uploadId: string }> = d.c.call('attachments.stage', { uploadId, base64: piece }, d.reception);
      if (r.ok) uploadId = r.value.uploadId;
      else refused = r.error;
    }
    expect(refused?.fields?.base64).toMatch(/up to 20 MB/);
    expect(refused?.code).toBe('invalid_input');
    expect(rowsOf(d)).toEqual([]);
    expect(blobRows(d)).toBe(0);
  });

  it('a full disk: "The disk is full: the file was not saved", and neither the record, its change nor any chunk is left', () => {
    const d = openDoctorDesk();
    const sqlite = d.c.app.database.sqlite;
    // A faithful stand-in for a full disk: SQLite refuses to grow the file past max_page_count with
    // SQLITE_FULL, the very error a full disk gives it.
    const pages = sqlite.pragma('page_count', { simple: true }) as number;
    sqlite.pragma(`max_page_count = ${pages + 60}`);
    const changesBefore = d.c.app.database.db.select().from(changeLog).all().length;
    const e = failure(add(d, makePdf('FULL DISK', 2_000_000)));
    expect(e.message).toMatch(/^The disk is full: the file was not saved/);
    expect(rowsOf(d)).toEqual([]);
    expect(blobRows(d)).toBe(0);
    expect(d.c.app.database.db.select().from(changeLog).where(eq(changeLog.tableName, 'attachments')).all()).toEqual([]);
    expect(d.c.app.database.db.select().from(changeLog).all().length).toBeGreaterThanOrEqual(changesBefore);
    // Space again: the same file goes in.
    sqlite.pragma('max_page_count = 1073741823');
    expect(add(d, makePdf('FULL DISK', 2_000_000)).ok).toBe(true);
  });

  it('the same file attached to two patients is stored once; attached twice to one patient it is refused', () => {
    const d = openDoctorDesk();
    const pdf = makePdf('SAME FILE', 700_000);
    const a = add(d, pdf);
    expect(a.ok).toBe(true);
    const chunks = blobRows(d);
    expect(chunks).toBe(3); // 700 kB in 256 KiB chunks
    expect(d.c.ok('attachments.add', { patientId: d.bhavna, kind: 'referral', title: 'Referral', documentDate: TODAY, ...fileInput(d.c, d.reception, pdf) }, d.reception).size).toBe(pdf.length);
    expect(blobRows(d)).toBe(chunks);
    const again = failure(add(d, pdf));
    expect(again.code).toBe('conflict');
    expect(again.message).toMatch(/already attached to this patient/);
    expect(rowsOf(d)).toHaveLength(2);
  });

  it('the record and its change are written in the call, signed; a withdrawal needs a reason and keeps the bytes', () => {
    const d = openDoctorDesk();
    const r = add(d, makePdf('WITHDRAW ME'));
    if (!r.ok) throw new Error(r.error.message);
    const changes = d.c.app.database.db.select().from(changeLog).where(eq(changeLog.tableName, 'attachments')).all();
    expect(changes.map((c) => c.op)).toEqual(['insert']);
    expect(changes[0]!.sig).toBeTruthy();
    expect(auditRows(d, 'attachments.add', r.value.id)).toHaveLength(1);
    expect(failure(d.c.call('attachments.withdraw', { id: r.value.id, reason: ' ' }, d.reception)).fields?.reason).toBeTruthy();
    const w = d.c.ok('attachments.withdraw', { id: r.value.id, reason: 'Wrong patient' }, d.reception);
    expect(w.withdrawnAt).not.toBeNull();
    expect(failure(d.c.call('attachments.withdraw', { id: r.value.id, reason: 'Again' }, d.reception)).code).toBe('conflict');
    expect(blobRows(d)).toBe(1);
    // A cashier may not attach.
    const admin = d.admin;
    d.c.ok('staff.create', { username: 'kiran', fullName: 'Kiran Patil', password: 'kiran-password', roles: ['cashier'] }, admin);
    expect(failure(add(d, makePng(), {}, d.c.login('kiran', 'kiran-password'))).code).toBe('forbidden');
  });

  it('a large file staged in pieces (as the browser host sends it) is added whole', () => {
    const d = openDoctorDesk();
    const pdf = makePdf('STAGED', 1_500_000);
    let uploadId: string | null = null;
    for (let at = 0; at < pdf.length; at += 64 * 1024) {
      uploadId = d.c.ok('attachments.stage', { uploadId, base64: b64(pdf.subarray(at, at + 64 * 1024)) }, d.reception).uploadId;
    }
    const a = d.c.ok('attachments.add', { patientId: d.anil, kind: 'discharge', title: 'Discharge summary', documentDate: TODAY, uploadId }, d.reception);
    expect(a.size).toBe(pdf.length);
    expect(Buffer.from(d.c.ok('attachments.read', { id: a.id }, d.admin).base64, 'base64').equals(pdf)).toBe(true);
    // An upload is used once.
    expect(failure(d.c.call('attachments.add', { patientId: d.anil, kind: 'discharge', title: 'Again', documentDate: TODAY, uploadId }, d.reception)).code).toBe('not_found');
  });

  it('abandoned uploads do not pile up: a fourth upload started by the same person drops their oldest', () => {
    const d = openDoctorDesk();
    const start = (who: string) => d.c.ok('attachments.stage', { uploadId: null, base64: b64(Buffer.alloc(1024, 1)) }, who).uploadId;
    const mine = [start(d.reception), start(d.reception), start(d.reception)];
    const theirs = start(d.admin);
    start(d.reception);
    const more = (uploadId: string, who: string) => d.c.call('attachments.stage', { uploadId, base64: b64(Buffer.alloc(16, 2)) }, who);
    expect(failure(more(mine[0]!, d.reception)).code).toBe('not_found');
    expect(more(mine[1]!, d.reception).ok).toBe(true);
    expect(more(mine[2]!, d.reception).ok).toBe(true);
    // Someone else's upload is not theirs to push out.
    expect(more(theirs, d.admin).ok).toBe(true);
  });

  it('a backup holds the attachment (encrypted, inside the database): restored, the file opens with identical bytes', async () => {
    const d = openDoctorDesk();
    const pdf = makePdf('BACKED-UP-REPORT-MARKER', 800_000);
    const a = add(d, pdf, {}, d.admin);
    if (!a.ok) throw new Error(a.error.message);
    const folder = tempDir('attach-backups-');
    d.c.ok('backups.configure', { folder }, d.admin);
    const job = d.c.ok('backups.runNow', {}, d.admin);
    const done = await d.c.app.jobs.wait(job.id);
    expect(done.status).toBe('done');
    const file = String(done.result!.file);
    // The backup is the encrypted database: the PDF's text is not in it.
    expect(fs.readFileSync(file).includes(Buffer.from('BACKED-UP-REPORT-MARKER', 'latin1'))).toBe(false);
    // Withdrawn after the backup, and its bytes lost here (as with a broken disk): the restore brings them back.
    d.c.ok('attachments.withdraw', { id: a.value.id, reason: 'Test' }, d.admin);
    d.c.app.database.sqlite.prepare('DELETE FROM attachment_blobs').run();
    d.c.ok('backups.restore', { file }, d.admin);
    d.c.app.close();
    const restored = makeClinic({ dataDir: d.c.dataDir, setup: false, settings: { sessionIdleMs: 60 * 24 * 3600_000 } });
    expect(restored.app.database.restored?.replacedFile).toBeTruthy();
    const token = restored.login('admin', 'correct horse battery');
    const read = restored.ok('attachments.read', { id: a.value.id }, token);
    expect(Buffer.from(read.base64, 'base64').equals(pdf)).toBe(true);
    expect(restored.ok('attachments.list', { patientId: d.anil }, token)[0]!.withdrawnAt).toBeNull();
  }, 60_000);
});
