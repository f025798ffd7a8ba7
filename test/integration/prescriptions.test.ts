import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { prescriptions, type PrescriptionItem } from '../../db/schema';
import type { Output } from '../../electron/api';
import { HTTP_STATUS } from '../../shared/api';
import { dosesPerDay } from '../../shared/dosage';
import type { Spooler } from '../../electron/services/printing';
import { makeClinic } from '../helpers/app';
import { tempDir } from '../helpers/temp';
import { auditRows, checkIn, DAY, failure, openDoctorDesk, TODAY, type DoctorDesk } from './doctor-fixtures';

/**
 * The prescription pad through the real router, on the doctor's-desk clinic (admin, receptionist
 * Rita, Dr Meera Rao with her full registration, Dr Arjun Iyer without a profile, four patients).
 * Anil Joshi is allergic to penicillin (severe) and has an ABHA number and address. Drugs come
 * from the starter formulary through formulary.search, as the prescription screen picks them.
 * Printing goes to the real CUPS printer "PDF" (cups-pdf), whose files land in ~/PDF.
 *
 * The clinic clock starts on Saturday 2026-11-21 at 10:00 IST.
 */

const ABHA = '91123456789012';
const ABHA_SHOWN = '91-1234-5678-9012';
const ABHA_ADDRESS = 'anil.joshi@sbx';
const REG_NO = 'MMC-2011-04567';
const HPR_ID = '71234567890123';
const PHARYNGITIS = { code: 'J02.9', title: 'Acute pharyngitis, unspecified' };
const PRINTER = 'PDF';

let template: { file: Buffer; ids: Omit<DoctorDesk, 'c'> } | undefined;

function buildTemplate() {
  const d = openDoctorDesk();
  d.c.ok(
    'patients.update',
    {
      id: d.anil,
      patch: { givenName: 'Anil', abhaNumber: ABHA_SHOWN, abhaAddress: ABHA_ADDRESS, allergies: [{ type: 'medication', substance: 'Penicillin', severity: 'severe' }] },
    },
    d.reception,
  );
  // Dr Rao's profile, completed with her HPR ID (registration as in the fixtures).
  d.c.ok(
    'doctors.upsert',
    {
      userId: d.drRao,
      specialization: 'General Medicine',
      qualifications: 'MBBS, MD',
      registrationCouncil: 'Maharashtra Medical Council',
      registrationNumber: REG_NO,
      registrationDate: '2011-06-15',
      hprId: HPR_ID,
      consultationFeePaise: 50_000,
      followUpFeePaise: 20_000,
      followUpWindowDays: 7,
      schedule: [{ weekday: 6, start: '09:00', end: '13:00', slotMinutes: 15, maxPerSlot: 2, mode: 'in-person' }],
    },
    d.admin,
  );
  d.c.app.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const { c: _c, ...ids } = d;
  return { file: fs.readFileSync(d.c.app.dbFile), ids };
}

function openPad(spooler?: Spooler): DoctorDesk {
  template ??= buildTemplate();
  const dataDir = tempDir();
  fs.writeFileSync(path.join(dataDir, 'clinic.db'), template.file);
  const c = makeClinic({ setup: false, dataDir, settings: { sessionIdleMs: 60 * DAY }, ...(spooler ? { spooler } : {}) });
  return { c, ...template.ids };
}

/* ---------------------------------------------------------------------------------------- */

/** Reception checks the patient in with the doctor, who calls them in; returns the visit id. */
function see(d: DoctorDesk, patientId: string, doctor: 'rao' | 'iyer' = 'rao'): string {
  const v = checkIn(d, patientId, doctor === 'rao' ? d.drRao : d.drIyer);
  expect(d.c.ok('queue.callNext', {}, d[doctor]).visitId).toBe(v.visitId);
  return v.visitId;
}

/** The visit is over (the doctor's queue is free again). */
function done(d: DoctorDesk, visitId: string, token = d.rao) {
  d.c.ok('queue.setStatus', { visitId, status: 'done' }, token);
}

/** A drug picked from formulary.search (the first hit), with the formulary's defaults, as the screen fills it in. */
function pick(d: DoctorDesk, query: string, extra: Partial<PrescriptionItem> = {}): PrescriptionItem {
  const hits = d.c.ok('formulary.search', { query, limit: 5 }, d.rao);
  const drug = hits[0];
  if (!drug) throw new Error(`formulary.search found nothing for "${query}"`);
  const frequency = drug.defaults.frequency ?? '1-0-1';
  const durationDays = drug.defaults.durationDays;
  const perDay = dosesPerDay(frequency);
  return {
    drugId: drug.id,
    genericName: drug.genericName,
    brand: drug.brandNames[0] ?? null,
    form: drug.form,
    strength: drug.strength,
    route: drug.route,
    dose: drug.defaults.dose ?? '1',
    frequency,
    timing: 'after-food',
    durationDays,
    quantity: perDay !== null && durationDays !== null ? Math.ceil(perDay * durationDays) : null,
    instructions: null,
    instructionsHi: null,
    acknowledged: [],
    ...extra,
  };
}

const save = (d: DoctorDesk, visitId: string, items: PrescriptionItem[], extra: Record<string, unknown> = {}, token = d.rao) =>
  d.c.call('prescriptions.save', { visitId, items, ...extra }, token);

const get = (d: DoctorDesk, visitId: string, token = d.rao) => d.c.ok('prescriptions.get', { visitId }, token).prescription;

/** A typical pharyngitis prescription: three drugs, advice, follow-up. */
function pharyngitisItems(d: DoctorDesk): PrescriptionItem[] {
  return [
    pick(d, 'paracetamol 500', { instructions: 'Only if the fever is above 100 °F.', instructionsHi: 'बुखार 100 °F से ऊपर हो तभी लें।' }),
    pick(d, 'cetirizine 10', { timing: 'bedtime', instructions: 'May cause drowsiness.', instructionsHi: 'इससे नींद आ सकती है।' }),
    pick(d, 'pantoprazole 40 tab', { timing: 'empty-stomach', durationDays: 5, quantity: 5 }),
  ];
}

/* ---------------------------------------------------------------------------------------- */
// CUPS and poppler

function run(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** The prints need CUPS with the cups-pdf printer "PDF" (scripts/check-test-deps.sh checks, or on CI installs, it). Never skipped. */
function requireCupsPdf(): string {
  const lp = spawnSync('lp', ['-h'], { encoding: 'utf8' });
  if (lp.error) {
    throw new Error(`CUPS is required for the printing tests and \`lp\` is not available (${lp.error.message}). Install cups, cups-client and printer-driver-cups-pdf and start cupsd: \`npm run test:deps\` prints the commands.`);
  }
  const printers = spawnSync('lpstat', ['-e'], { encoding: 'utf8' });
  if (printers.error || printers.status !== 0 || !printers.stdout.split('\n').map((l) => l.trim()).includes(PRINTER)) {
    throw new Error(`CUPS has no printer "${PRINTER}" (lpstat -e: ${JSON.stringify(printers.stdout ?? '')} ${printers.stderr ?? ''}). Install printer-driver-cups-pdf and make sure cupsd is running.`);
  }
  // cups-pdf writes to ${HOME}/PDF of the user who printed.
  return path.join(os.homedir(), 'PDF');
}

const listPdfs = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.pdf')) : []);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Printed files are moved out of ~/PDF to here, for a person to look at. */
const PRINT_DIR = path.resolve(import.meta.dirname, '..', '..', 'test-results', 'print');

/**
 * Waits (up to ~15 s) for the file cups-pdf writes for a job: a file not there before the print
 * whose name holds the title's "Prescription_A_RX_000001" (cups-pdf turns '/' and spaces into '_'),
 * or else the newest new file; returns its text once pdftotext can read it whole, and moves the
 * file to test-results/print so runs do not pile up in ~/PDF.
 */
async function printedFile(dir: string, before: Set<string>, rxNumber: string): Promise<{ file: string; text: string }> {
  const wanted = `Prescription_${rxNumber.replace(/[^A-Za-z0-9]/g, '_')}`;
  const deadline = Date.now() + 15_000;
  let lastError = 'no new file';
  while (Date.now() < deadline) {
    const fresh = listPdfs(dir).filter((f) => !before.has(f));
    const named = fresh.filter((f) => f.includes(wanted));
    const candidates = (named.length > 0 ? named : fresh)
      .map((f) => path.join(dir, f))
      .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
    const file = candidates[0];
    if (file) {
      const r = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      if (r.error) throw r.error;
      if (r.status === 0 && r.stdout.includes(rxNumber)) {
        fs.mkdirSync(PRINT_DIR, { recursive: true });
        const kept = path.join(PRINT_DIR, path.basename(file));
        fs.copyFileSync(file, kept);
        fs.rmSync(file, { force: true });
        return { file: kept, text: r.stdout.replace(/[ \t]+/g, ' ') };
      }
      lastError = `${file} not readable yet: ${r.stderr.trim()}`;
    }
    await sleep(250);
  }
  throw new Error(`cups-pdf did not write the prescription into ${dir} within 15 s (${lastError})`);
}

function pdfText(pdf: Buffer): string {
  const file = path.join(tempDir('rx-'), 'rx.pdf');
  fs.writeFileSync(file, pdf);
  return run('pdftotext', ['-layout', file, '-']).replace(/[ \t]+/g, ' ');
}

type Job = Output<'prescriptions.print'>;

async function finished(d: DoctorDesk, job: Job) {
  return d.c.app.jobs.wait(job.id);
}

/* ---------------------------------------------------------------------------------------- */

describe('safety checks while prescribing', () => {
  it('warns that amoxicillin is a penicillin for a penicillin-allergic patient, refuses the save until acknowledged, and audits the acknowledgement', () => {
    const d = openPad();
    const visitId = see(d, d.anil);
    const hits = d.c.ok('formulary.search', { query: 'amoxicillin 500', limit: 5 }, d.rao);
    expect(hits[0]).toMatchObject({ genericName: 'Amoxicillin', strength: '500 mg', form: 'capsule', source: 'starter', classes: expect.arrayContaining(['penicillin']) });
    const pcm = pick(d, 'paracetamol 500');
    const amox = pick(d, 'amoxicillin 500');

    // The check before adding it: a class-level allergy (amoxicillin is not "penicillin" by name).
    const warnings = d.c.ok('prescriptions.check', { visitId, item: { drugId: amox.drugId, genericName: amox.genericName }, others: [pcm] }, d.rao);
    expect(warnings).toEqual([
      { code: 'allergy:penicillin', message: 'Allergy (severe): the patient is allergic to Penicillin; Amoxicillin is a penicillin (same class as Penicillin).' },
    ]);
    // Paracetamol is fine for Anil.
    expect(d.c.ok('prescriptions.check', { visitId, item: { drugId: pcm.drugId, genericName: pcm.genericName }, others: [] }, d.rao)).toEqual([]);

    // Saving without acknowledging is refused, naming the item; nothing is saved.
    const refused = failure(save(d, visitId, [pcm, amox]));
    expect(refused.code).toBe('invalid_input');
    expect(refused.fields).toEqual({ 'items.1': expect.stringMatching(/^Not acknowledged: Allergy \(severe\).*Amoxicillin is a penicillin/) });
    expect(refused.message).toMatch(/^items\.1: Not acknowledged/);
    expect(get(d, visitId)).toBeNull();
    // A wrong acknowledgement does not count.
    expect(failure(save(d, visitId, [pcm, { ...amox, acknowledged: ['allergy:sulfonamide'] }])).fields).toHaveProperty(['items.1']);

    // Acknowledged: saved, and the audit row of the save names the warning the doctor accepted.
    const saved = save(d, visitId, [pcm, { ...amox, acknowledged: ['allergy:penicillin'] }], { advice: 'Warm saline gargles.' });
    expect(saved).toMatchObject({ ok: true, value: { rxNumber: 'A/RX/000001', status: 'draft' } });
    const rx = get(d, visitId)!;
    expect(rx.items.map((i) => [i.genericName, i.acknowledged])).toEqual([
      ['Paracetamol', []],
      ['Amoxicillin', ['allergy:penicillin']],
    ]);
    const audit = auditRows(d, 'prescriptions.save', rx.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.outcome).toBe('ok');
    expect(audit[0]!.detail).toBe(
      'warnings acknowledged: Amoxicillin: Allergy (severe): the patient is allergic to Penicillin; Amoxicillin is a penicillin (same class as Penicillin).',
    );
    // The refusals are audited too.
    const refusals = auditRows(d, 'prescriptions.save').filter((a) => a.outcome === 'invalid');
    expect(refusals).toHaveLength(2);
    expect(refusals[0]!.detail).toMatch(/Not acknowledged: Allergy/);
  });

  it('warns about the same drug twice on one prescription', () => {
    const d = openPad();
    const visitId = see(d, d.bhavna);
    const pcm500 = pick(d, 'paracetamol 500');
    const pcm650 = pick(d, 'paracetamol 650', { brand: 'Dolo' });
    expect(pcm650).toMatchObject({ genericName: 'Paracetamol', strength: '650 mg' });

    const warnings = d.c.ok('prescriptions.check', { visitId, item: { drugId: pcm650.drugId, genericName: pcm650.genericName }, others: [pcm500] }, d.rao);
    expect(warnings).toEqual([{ code: 'duplicate:paracetamol', message: 'paracetamol is already on this prescription (Paracetamol).' }]);

    const refused = failure(save(d, visitId, [pcm500, pcm650]));
    expect(Object.keys(refused.fields ?? {})).toEqual(['items.0', 'items.1']);
    expect(refused.fields?.['items.1']).toMatch(/paracetamol is already on this prescription/);

    const ok = d.c.ok('prescriptions.save', { visitId, items: [{ ...pcm500, acknowledged: ['duplicate:paracetamol'] }, { ...pcm650, acknowledged: ['duplicate:paracetamol'] }] }, d.rao);
    expect(auditRows(d, 'prescriptions.save', ok.prescriptionId)[0]!.detail).toMatch(/^warnings acknowledged: Paracetamol: paracetamol is already on this prescription/);
  });

  it('warns about a drug the patient is still taking from an earlier visit, until that course has run out', () => {
    const d = openPad();
    const first = see(d, d.chetan);
    const cetirizine = pick(d, 'cetirizine 10', { durationDays: 10, quantity: 10 });
    d.c.ok('prescriptions.save', { visitId: first, items: [cetirizine] }, d.rao);
    done(d, first);

    // Three days later he is back: cetirizine runs until 2026-12-01.
    d.c.clock.now += 3 * DAY;
    const second = see(d, d.chetan);
    const again = pick(d, 'cetirizine 10');
    const warnings = d.c.ok('prescriptions.check', { visitId: second, item: { drugId: again.drugId, genericName: again.genericName }, others: [] }, d.rao);
    expect(warnings).toEqual([{ code: 'active:cetirizine', message: 'The patient is still taking Cetirizine (prescribed until 2026-12-01).' }]);
    expect(failure(save(d, second, [again])).fields).toEqual({ 'items.0': 'Not acknowledged: The patient is still taking Cetirizine (prescribed until 2026-12-01).' });
    // Another drug is fine.
    expect(d.c.ok('prescriptions.check', { visitId: second, item: { drugId: null, genericName: 'Azithromycin' }, others: [] }, d.rao)).toEqual([]);
    done(d, second);

    // After the course has ended there is nothing to warn about.
    d.c.clock.now += 10 * DAY;
    const third = see(d, d.chetan);
    expect(d.c.ok('prescriptions.check', { visitId: third, item: { drugId: again.drugId, genericName: again.genericName }, others: [] }, d.rao)).toEqual([]);
  });
});

describe('numbers, repeat, favourites and who may write', () => {
  it('numbers prescriptions from the device series, one per visit, and keeps the number through autosaves', () => {
    const d = openPad();
    const anilVisit = see(d, d.anil);
    const first = d.c.ok('prescriptions.save', { visitId: anilVisit, items: [pick(d, 'paracetamol 500')] }, d.rao);
    expect(first.rxNumber).toBe('A/RX/000001');
    done(d, anilVisit);
    const bhavnaVisit = see(d, d.bhavna);
    const second = d.c.ok('prescriptions.save', { visitId: bhavnaVisit, items: pharyngitisItems(d) }, d.rao);
    expect(second.rxNumber).toBe('A/RX/000002');

    // Autosaves of the first keep its row and number.
    d.c.clock.now += 60_000;
    const resaved = d.c.ok('prescriptions.save', { visitId: anilVisit, items: [pick(d, 'paracetamol 650'), pick(d, 'cetirizine 10')], advice: 'Rest' }, d.rao);
    expect(resaved).toMatchObject({ prescriptionId: first.prescriptionId, rxNumber: 'A/RX/000001' });
    const rows = d.c.app.database.db.select().from(prescriptions).where(eq(prescriptions.visitId, anilVisit)).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.items.map((i) => `${i.genericName} ${i.strength}`)).toEqual(['Paracetamol 650 mg', 'Cetirizine 10 mg']);
    // A quantity left empty by the client is worked out on save (1 tab, 1-0-1, 5 days = 10).
    const bare = d.c.ok('prescriptions.save', { visitId: anilVisit, items: [{ ...pick(d, 'paracetamol 650'), dose: '1 tab', frequency: '1-0-1', durationDays: 5, quantity: null }] }, d.rao);
    expect(bare.rxNumber).toBe('A/RX/000001');
    expect(d.c.app.database.db.select().from(prescriptions).where(eq(prescriptions.visitId, anilVisit)).get()!.items[0]!.quantity).toBe(10);
    d.c.ok('prescriptions.save', { visitId: anilVisit, items: [pick(d, 'paracetamol 650'), pick(d, 'cetirizine 10')], advice: 'Rest' }, d.rao);
    expect(get(d, anilVisit)).toMatchObject({ rxNumber: 'A/RX/000001', status: 'draft', advice: 'Rest', printCount: 0, printedAt: null });

    // Another workstation prefix numbers its own series.
    d.c.ok('settings.setWorkstation', { seriesPrefix: 'B' }, d.admin);
    done(d, bhavnaVisit);
    const chetanVisit = see(d, d.chetan);
    expect(d.c.ok('prescriptions.save', { visitId: chetanVisit, items: [pick(d, 'cetirizine 10')] }, d.rao).rxNumber).toBe('B/RX/000003');
  });

  it('repeats the previous visit’s items (acknowledgements cleared) with "repeat last"', () => {
    const d = openPad();
    const first = see(d, d.deepa);
    expect(d.c.ok('prescriptions.last', { visitId: first }, d.rao)).toBeNull();
    const items = pharyngitisItems(d);
    d.c.ok('prescriptions.save', { visitId: first, items, advice: 'Warm saline gargles' }, d.rao);
    done(d, first);

    d.c.clock.now += 10 * DAY;
    const second = see(d, d.deepa);
    const last = d.c.ok('prescriptions.last', { visitId: second }, d.rao);
    expect(last).toMatchObject({ rxNumber: 'A/RX/000001', date: TODAY, advice: 'Warm saline gargles' });
    expect(last!.items).toEqual(items.map((i) => ({ ...i, acknowledged: [] })));
    // Saved as they come (the courses have ended, so no warning is left to acknowledge).
    expect(d.c.ok('prescriptions.save', { visitId: second, items: last!.items, advice: last!.advice }, d.rao).rxNumber).toBe('A/RX/000002');
    // Reading the last prescription is a clinical read: audited.
    expect(auditRows(d, 'prescriptions.last').map((a) => a.outcome)).toEqual(['ok', 'ok']);
  });

  it('dates "repeat last" by the clinic’s day of that visit, not the UTC date', () => {
    const d = openPad();
    d.c.clock.now = Date.UTC(2026, 10, 21, 19, 0); // 00:30 IST Sunday 22nd, still Saturday in UTC
    const first = see(d, d.deepa);
    d.c.ok('prescriptions.save', { visitId: first, items: [pick(d, 'paracetamol 500')] }, d.rao);
    done(d, first);
    d.c.clock.now += 10 * DAY;
    expect(d.c.ok('prescriptions.last', { visitId: see(d, d.deepa) }, d.rao)).toMatchObject({ rxNumber: 'A/RX/000001', date: '2026-11-22' });
  });

  it('keeps favourites per doctor, for a drug and for a diagnosis', () => {
    const d = openPad();
    const pcm = pick(d, 'paracetamol 650', { dose: '1 tab', frequency: '1-1-1', durationDays: 3, acknowledged: ['duplicate:paracetamol'] });
    const drugFav = d.c.ok('prescriptions.saveFavourite', { kind: 'drug', key: pcm.drugId, name: 'Dolo 650 TDS', items: [pcm] }, d.rao);
    const dxFav = d.c.ok('prescriptions.saveFavourite', { kind: 'diagnosis', key: PHARYNGITIS.code, name: 'Pharyngitis', items: pharyngitisItems(d) }, d.rao);
    expect(drugFav).toMatchObject({ kind: 'drug', key: pcm.drugId, name: 'Dolo 650 TDS' });

    const mine = d.c.ok('prescriptions.favourites', {}, d.rao);
    expect(mine.map((f) => [f.kind, f.key, f.name, f.items.length])).toEqual([
      ['drug', pcm.drugId, 'Dolo 650 TDS', 1],
      ['diagnosis', 'J02.9', 'Pharyngitis', 3],
    ]);
    // Favourites never carry an acknowledgement into a new prescription.
    expect(mine[0]!.items[0]!.acknowledged).toEqual([]);
    expect(d.c.ok('prescriptions.favourites', { kind: 'diagnosis' }, d.rao).map((f) => f.id)).toEqual([dxFav.id]);

    // Saving the same key again updates it.
    d.c.ok('prescriptions.saveFavourite', { kind: 'drug', key: pcm.drugId, name: 'Dolo 650 SOS', items: [{ ...pcm, frequency: 'SOS' }] }, d.rao);
    const drugs = d.c.ok('prescriptions.favourites', { kind: 'drug' }, d.rao);
    expect(drugs.map((f) => [f.id, f.name, f.items[0]!.frequency])).toEqual([[drugFav.id, 'Dolo 650 SOS', 'SOS']]);

    // Dr Iyer has his own (none), and cannot remove Dr Rao's.
    expect(d.c.ok('prescriptions.favourites', {}, d.iyer)).toEqual([]);
    expect(failure(d.c.call('prescriptions.deleteFavourite', { id: drugFav.id }, d.iyer)).code).toBe('not_found');
    expect(d.c.ok('prescriptions.deleteFavourite', { id: drugFav.id }, d.rao)).toEqual({ removed: true });
    expect(d.c.ok('prescriptions.favourites', {}, d.rao).map((f) => f.name)).toEqual(['Pharyngitis']);
    // Reception has no favourites to see.
    expect(failure(d.c.call('prescriptions.favourites', {}, d.reception)).code).toBe('forbidden');
  });

  it('lets only the visit’s doctor write; another doctor and the receptionist are refused and given no data', () => {
    const d = openPad();
    const visitId = see(d, d.anil);
    const items = [pick(d, 'paracetamol 500')];
    const saved = d.c.ok('prescriptions.save', { visitId, items }, d.rao);

    // Dr Iyer: not his visit (and not his patient, so not even a read).
    const other = failure(save(d, visitId, [...items, pick(d, 'cetirizine 10')], {}, d.iyer));
    expect(other).toMatchObject({ code: 'forbidden', message: 'Only the doctor the patient is checked in with writes this prescription.' });
    expect(failure(d.c.call('prescriptions.check', { visitId, item: { drugId: null, genericName: 'Cetirizine' } }, d.iyer)).code).toBe('forbidden');
    expect(failure(d.c.call('prescriptions.last', { visitId }, d.iyer)).code).toBe('forbidden');
    expect(failure(d.c.call('prescriptions.get', { visitId }, d.iyer)).code).toBe('forbidden');
    expect(failure(d.c.call('prescriptions.print', { visitId, printer: PRINTER }, d.iyer)).code).toBe('forbidden');
    expect(failure(d.c.call('prescriptions.pdf', { visitId }, d.iyer)).code).toBe('forbidden');

    // The receptionist: 403 on every prescription method, and the refusal carries nothing else.
    for (const [method, input] of [
      ['prescriptions.get', { visitId }],
      ['prescriptions.save', { visitId, items }],
      ['prescriptions.check', { visitId, item: { drugId: null, genericName: 'Cetirizine' } }],
      ['prescriptions.last', { visitId }],
      ['prescriptions.fhir', { visitId }],
      ['prescriptions.print', { visitId, printer: PRINTER }],
      ['prescriptions.pdf', { visitId }],
    ] as const) {
      const r = d.c.call(method, input, d.reception);
      expect(r, method).toEqual({ ok: false, error: { code: 'forbidden', message: 'Your role does not allow this. Ask an administrator if you need it.' } });
      if (!r.ok) expect(HTTP_STATUS[r.error.code]).toBe(403);
    }
    // Nothing changed, and every refusal is in the audit log.
    expect(get(d, visitId)).toMatchObject({ id: saved.prescriptionId, status: 'draft', items: [expect.objectContaining({ genericName: 'Paracetamol' })] });
    expect(d.c.app.jobs.list()).toEqual([]);
    expect(auditRows(d, 'prescriptions.get').filter((a) => a.outcome === 'forbidden')).toHaveLength(2);
    expect(auditRows(d, 'prescriptions.save').map((a) => a.outcome)).toEqual(['ok', 'forbidden', 'forbidden']);
  });
});

describe('printing', () => {
  it('prints to the CUPS printer: the file has the generic names in capitals, the registration and Rx numbers; the first print locks, a reprint says DUPLICATE; all audited', async () => {
    const outDir = requireCupsPdf();
    const d = openPad();
    const visitId = see(d, d.bhavna);
    d.c.ok('consultations.save', { visitId, note: { chiefComplaints: ['Sore throat for 2 days'], diagnoses: [PHARYNGITIS] } }, d.rao);
    const { prescriptionId, rxNumber } = d.c.ok('prescriptions.save', { visitId, items: pharyngitisItems(d), advice: 'Warm saline gargles', followUpDate: '2026-11-28' }, d.rao);
    expect(rxNumber).toBe('A/RX/000001');

    const before = new Set(listPdfs(outDir));
    const job = d.c.ok('prescriptions.print', { visitId, printer: PRINTER }, d.rao);
    expect(job).toMatchObject({ kind: 'prescriptions.print', status: 'running' });
    const result = await finished(d, job);
    expect(result.message).toBe('Finished');
    expect(result).toMatchObject({ status: 'done', result: { rxNumber, printer: PRINTER, printJob: expect.stringMatching(/^PDF-\d+$/), duplicate: false } });

    const first = await printedFile(outDir, before, rxNumber);
    expect(path.basename(first.file)).toContain('Prescription_A_RX_000001');
    for (const generic of ['PARACETAMOL 500 mg', 'CETIRIZINE 10 mg', 'PANTOPRAZOLE 40 mg']) expect(first.text).toContain(generic);
    expect(first.text).toContain(REG_NO);
    expect(first.text).toContain(rxNumber);
    expect(first.text).toMatch(/Diagnosis: Acute pharyngitis, .*\(J02\.9\)/);
    expect(first.text).not.toContain('DUPLICATE');

    // Printed: locked.
    expect(get(d, visitId)).toMatchObject({ status: 'printed', printCount: 1, printedAt: d.c.clock.now });
    const locked = failure(save(d, visitId, pharyngitisItems(d).slice(0, 1)));
    expect(locked).toMatchObject({ code: 'conflict', message: `Prescription ${rxNumber} has been printed and is locked. Write a new one at the next visit.` });

    // A reprint: the footer says DUPLICATE; the count goes up.
    d.c.clock.now += 30 * 60_000;
    const before2 = new Set(listPdfs(outDir));
    const reprint = await finished(d, d.c.ok('prescriptions.print', { visitId, printer: PRINTER }, d.rao));
    expect(reprint).toMatchObject({ status: 'done', result: { rxNumber, printer: PRINTER, duplicate: true } });
    const second = await printedFile(outDir, before2, rxNumber);
    expect(second.file).not.toBe(first.file);
    expect(second.text).toContain('DUPLICATE — reprinted on 21-11-2026');
    expect(second.text).toContain('PARACETAMOL 500 mg');
    expect(get(d, visitId)).toMatchObject({ status: 'printed', printCount: 2 });

    // Every print is audited: the call (who asked, on which printer) and the print that reached the printer.
    const calls = auditRows(d, 'prescriptions.print', prescriptionId);
    expect(calls.map((a) => [a.outcome, a.entityType, a.detail])).toEqual([
      ['ok', 'prescriptions', `print ${rxNumber} on PDF`],
      ['ok', 'prescriptions', `reprint (DUPLICATE) ${rxNumber} on PDF`],
    ]);
    const printed = auditRows(d, 'prescriptions.printed', prescriptionId);
    expect(printed).toHaveLength(2);
    for (const a of printed) expect(a).toMatchObject({ outcome: 'ok', entityType: 'prescriptions', username: 'meera' });
    expect(printed[0]!.detail).toMatch(new RegExp(`^A/RX/000001 printed on PDF \\(PDF-\\d+\\)$`));
    expect(printed[1]!.detail).toMatch(/^A\/RX\/000001 printed on PDF \(PDF-\d+\) as DUPLICATE$/);
    expect(printed[0]!.newValues).toMatchObject({ status: 'printed', print_count: 1 });
    expect(printed[1]!.oldValues).toEqual({ print_count: 1 });
    expect(printed[1]!.newValues).toEqual({ print_count: 2 });
  });

  it('fails the job with a clear message when the printer does not exist, and does not lock the prescription', async () => {
    requireCupsPdf();
    const d = openPad();
    const visitId = see(d, d.bhavna);
    const { prescriptionId } = d.c.ok('prescriptions.save', { visitId, items: pharyngitisItems(d) }, d.rao);

    const job = await finished(d, d.c.ok('prescriptions.print', { visitId, printer: 'No-Such-Printer-42' }, d.rao));
    expect(job.status).toBe('failed');
    expect(job.result).toBeNull();
    expect(job.message).toMatch(/^The printer refused the job: .*The printer or class does not exist/);

    // Not printed, so not locked: the doctor can still change it and print elsewhere.
    expect(get(d, visitId)).toMatchObject({ status: 'draft', printCount: 0, printedAt: null });
    expect(auditRows(d, 'prescriptions.printed', prescriptionId)).toEqual([]);
    expect(d.c.ok('prescriptions.save', { visitId, items: pharyngitisItems(d).slice(0, 2) }, d.rao).status).toBe('draft');
  });

  it('refuses to print for a doctor whose registration number is not recorded (NMC)', () => {
    const d = openPad();
    const visitId = see(d, d.deepa, 'iyer');
    d.c.ok('prescriptions.save', { visitId, items: [pick(d, 'paracetamol 500')] }, d.iyer);
    const r = failure(d.c.call('prescriptions.print', { visitId, printer: PRINTER }, d.iyer));
    expect(r).toMatchObject({ code: 'conflict', message: expect.stringMatching(/Dr Arjun Iyer's registration number is not recorded; a prescription must show it \(NMC\)/) });
    expect(d.c.app.jobs.list()).toEqual([]);
    expect(get(d, visitId, d.iyer)).toMatchObject({ status: 'draft' });
  });
});

describe('save as PDF', () => {
  it('hands the PDF (base64) to the doctor who asked (jobs.document), with the Hindi instructions when asked, and locks like a print', async () => {
    const d = openPad();
    const visitId = see(d, d.bhavna);
    const items = pharyngitisItems(d);
    const { prescriptionId, rxNumber } = d.c.ok('prescriptions.save', { visitId, items, advice: 'Drink warm water.', adviceHi: 'गुनगुना पानी पिएँ।' }, d.rao);

    const job = await finished(d, d.c.ok('prescriptions.pdf', { visitId, options: { language: 'en+hi', paper: 'A4' } }, d.rao));
    expect(job).toMatchObject({ kind: 'prescriptions.pdf', status: 'done', result: { rxNumber, fileName: 'prescription-A-RX-000001.pdf', duplicate: false } });
    expect(job.result).not.toHaveProperty('pdfBase64');
    const pdf = Buffer.from(d.c.ok('jobs.document', { jobId: job.id }, d.rao).pdfBase64, 'base64');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain('PARACETAMOL 500 mg');
    expect(text).toContain('CETIRIZINE 10 mg');
    expect(text).toContain(REG_NO);
    expect(text).toContain(rxNumber);
    expect(text).toContain('Only if the fever is above 100 °F.');
    expect(text).toContain('बुखार 100 °F से ऊपर हो तभी लें।');
    expect(text).toContain('इससे नींद आ सकती है।');
    expect(text).toContain('गुनगुना पानी पिएँ।');

    // Locked like a print. A second PDF is a copy: stamped DUPLICATE, and in English only (the default).
    expect(get(d, visitId)).toMatchObject({ status: 'printed', printCount: 1 });
    expect(failure(save(d, visitId, items)).code).toBe('conflict');
    const copy = await finished(d, d.c.ok('prescriptions.pdf', { visitId }, d.rao));
    expect(copy).toMatchObject({ status: 'done', result: { duplicate: true } });
    const copyText = pdfText(Buffer.from(d.c.ok('jobs.document', { jobId: copy.id }, d.rao).pdfBase64, 'base64'));
    expect(copyText).toContain('DUPLICATE — reprinted on 21-11-2026');
    expect(copyText).not.toContain('बुखार');
    expect(get(d, visitId)).toMatchObject({ printCount: 2 });

    expect(auditRows(d, 'prescriptions.pdf', prescriptionId).map((a) => a.detail)).toEqual([`PDF of ${rxNumber}`, `PDF of ${rxNumber} (DUPLICATE)`]);
    expect(auditRows(d, 'prescriptions.exported', prescriptionId).map((a) => a.detail)).toEqual([`${rxNumber} saved as PDF`, `${rxNumber} saved as PDF (DUPLICATE)`]);
  });
});

describe('what is locked is what went on paper', () => {
  /** Amoxicillin 500 mg, 1 cap 1-0-1 for n days: the quantity worked out on save is 2n. */
  const amox = (n: number): PrescriptionItem => ({
    drugId: null,
    genericName: 'Amoxicillin',
    brand: null,
    form: 'Capsule',
    strength: '500 mg',
    route: 'oral',
    dose: '1 cap',
    frequency: '1-0-1',
    timing: 'after-food',
    durationDays: n,
    quantity: null,
    instructions: null,
    instructionsHi: null,
    acknowledged: [],
  });
  const lockedRow = (d: DoctorDesk, visitId: string) => d.c.app.database.db.select().from(prescriptions).where(eq(prescriptions.visitId, visitId)).get()!;

  it('refuses an autosave that lands while the first PDF is being made, so the locked record and its hash are the paper', async () => {
    const d = openPad();
    const visitId = see(d, d.chetan);
    const { rxNumber } = d.c.ok('prescriptions.save', { visitId, items: [amox(5)] }, d.rao);

    const job = d.c.ok('prescriptions.pdf', { visitId }, d.rao);
    const late = d.c.call('prescriptions.save', { visitId, items: [amox(10)] }, d.rao);
    const done = await d.c.app.jobs.wait(job.id);
    expect(done.status).toBe('done');
    const paper = pdfText(Buffer.from(d.c.ok('jobs.document', { jobId: job.id }, d.rao).pdfBase64, 'base64'));
    expect(paper).toContain('Qty: 10');
    expect(failure(late)).toMatchObject({ code: 'conflict', message: `Prescription ${rxNumber} is being printed; it is locked once the print finishes. If the print fails, change it then.` });
    const record = lockedRow(d, visitId);
    expect(record).toMatchObject({ status: 'printed', printCount: 1 });
    expect(record.items.map((i) => [i.durationDays, i.quantity])).toEqual([[5, 10]]);

    // The DUPLICATE carries the same items under the same hash.
    const copy = await d.c.app.jobs.wait(d.c.ok('prescriptions.pdf', { visitId }, d.rao).id);
    const copyText = pdfText(Buffer.from(d.c.ok('jobs.document', { jobId: copy.id }, d.rao).pdfBase64, 'base64'));
    expect(copyText).toContain('Qty: 10');
    expect(copyText).not.toContain('Qty: 20');
    expect(lockedRow(d, visitId)).toMatchObject({ contentHash: record.contentHash, printCount: 2 });
  });

  it('lets autosaves go on while a preview is made (a preview locks nothing)', async () => {
    const d = openPad();
    const visitId = see(d, d.chetan);
    d.c.ok('prescriptions.save', { visitId, items: [amox(5)] }, d.rao);
    const preview = d.c.ok('prescriptions.preview', { visitId }, d.rao);
    expect(d.c.ok('prescriptions.save', { visitId, items: [amox(10)] }, d.rao).status).toBe('draft');
    expect((await d.c.app.jobs.wait(preview.id)).status).toBe('done');
    expect(lockedRow(d, visitId)).toMatchObject({ status: 'draft', printCount: 0 });
  });

  it('does not lock when the prescription changed under the print by another way (another workstation’s change): the job fails, print again', async () => {
    const d = openPad();
    const visitId = see(d, d.chetan);
    d.c.ok('prescriptions.save', { visitId, items: [amox(5)] }, d.rao);
    const job = d.c.ok('prescriptions.pdf', { visitId }, d.rao);
    // As a synced change lands: straight into the table, past this workstation's save.
    d.c.app.database.db.update(prescriptions).set({ items: [{ ...amox(10), quantity: 20 }] }).where(eq(prescriptions.visitId, visitId)).run();
    const done = await d.c.app.jobs.wait(job.id);
    expect(done).toMatchObject({ status: 'failed', message: 'Prescription A/RX/000001 was changed while it was printing, so it is not locked and this copy is not valid: print again.' });
    expect(lockedRow(d, visitId)).toMatchObject({ status: 'draft', printCount: 0, contentHash: null });
    // Printed again, the paper and the lock agree.
    const again = await d.c.app.jobs.wait(d.c.ok('prescriptions.pdf', { visitId }, d.rao).id);
    expect(pdfText(Buffer.from(d.c.ok('jobs.document', { jobId: again.id }, d.rao).pdfBase64, 'base64'))).toContain('Qty: 20');
    expect(lockedRow(d, visitId)).toMatchObject({ status: 'printed', printCount: 1 });
  });

  it('sends no paper that differs from the record: a change from another workstation before it reaches the printer fails the print', async () => {
    const sent: string[] = [];
    const spooler: Spooler = {
      list: () => [],
      print: (_pdf, printer, title) => {
        sent.push(title);
        return Promise.resolve({ printer: printer ?? 'Counter', jobId: `job-${sent.length}` });
      },
    };
    const d = openPad(spooler);
    const visitId = see(d, d.chetan);
    d.c.ok('prescriptions.save', { visitId, items: [amox(5)] }, d.rao);
    const job = d.c.ok('prescriptions.print', { visitId }, d.rao);
    d.c.app.database.db.update(prescriptions).set({ items: [{ ...amox(10), quantity: 20 }] }).where(eq(prescriptions.visitId, visitId)).run();
    const done = await d.c.app.jobs.wait(job.id);
    expect(done).toMatchObject({ status: 'failed', message: 'Prescription A/RX/000001 was changed before it reached the printer, so it is not locked: print again.' });
    expect(sent).toEqual([]);
    expect(lockedRow(d, visitId)).toMatchObject({ status: 'draft', printCount: 0 });
    // Printed again: one copy, and the lock.
    expect(await d.c.app.jobs.wait(d.c.ok('prescriptions.print', { visitId }, d.rao).id)).toMatchObject({ status: 'done' });
    expect(sent).toEqual(['Prescription A/RX/000001']);
    expect(lockedRow(d, visitId)).toMatchObject({ status: 'printed', printCount: 1 });
  });
});

describe('after the pharmacy has dispensed', () => {
  /** A tablet from the clinic's own formulary (the pharmacy stocks it by this id). */
  const tablet = (drugId: string | null, genericName: string, frequency: string, durationDays: number): PrescriptionItem => ({
    drugId,
    genericName,
    brand: null,
    form: 'tablet',
    strength: '500 mg',
    route: 'oral',
    dose: '1',
    frequency,
    timing: 'after-food',
    durationDays,
    quantity: null,
    instructions: null,
    instructionsHi: null,
    acknowledged: [],
  });

  it('refuses a save that removes, moves or swaps an item given from (what was given counts by position); new items below are allowed', () => {
    const d = openPad();
    d.c.ok('staff.create', { username: 'pooja', fullName: 'Pooja Kulkarni', password: 'pooja-password', roles: ['pharmacist'] }, d.admin);
    const ph = d.c.login('pooja', 'pooja-password');
    const formulary = (genericName: string, brand: string) =>
      d.c.ok('formulary.upsert', { genericName, brandNames: [brand], form: 'tablet', strength: '500 mg', route: 'oral', schedule: null, hsnCode: '3004', gstRateBp: 1200, mrpPaise: 9900 }, d.admin).id;
    const pcm = formulary('Paracetamol', 'Calpol');
    const metformin = formulary('Metformin', 'Glycomet');
    const supplier = d.c.ok('pharmacy.saveSupplier', { name: 'Pune Pharma Distributors', gstin: '27AAACP1234A1Z5', drugLicences: [] }, ph);
    d.c.ok(
      'pharmacy.purchase',
      {
        supplierId: supplier.id,
        supplierInvoice: 'PPD/1',
        invoiceDate: '2026-11-20',
        lines: [{ drugId: pcm, batchNumber: 'P1', expiry: '2027-01-31', mrpPaise: 2500, ratePaise: 1500, packSize: 10, packs: 5, gstRateBp: 1200, hsnCode: '30049099' }],
      },
      ph,
    );
    const visitId = see(d, d.chetan);
    const paracetamol = tablet(pcm, 'Paracetamol', '1-1-1', 5);
    const glycomet = tablet(metformin, 'Metformin', '1-0-1', 30);
    d.c.ok('prescriptions.save', { visitId, items: [paracetamol, glycomet] }, d.rao);
    d.c.ok('pharmacy.dispense', { visitId, lines: [{ itemIndex: 0, drugId: pcm, quantity: 15 }] }, ph);

    const message = 'Paracetamol has been dispensed: it cannot be removed or changed; add new items below it.';
    const removed = failure(save(d, visitId, [glycomet]));
    expect(removed).toMatchObject({ code: 'conflict', message, fields: { 'items.0': 'Paracetamol dispensed: keep it here' } });
    expect(failure(save(d, visitId, [glycomet, paracetamol]))).toMatchObject({ code: 'conflict', message });
    expect(failure(save(d, visitId, [{ ...paracetamol, genericName: 'Ibuprofen', drugId: null }, glycomet]))).toMatchObject({ code: 'conflict', message });
    expect(get(d, visitId)!.items.map((i) => i.genericName)).toEqual(['Paracetamol', 'Metformin']);

    // Added below, and an item nothing was given from may still go: the given item keeps its place.
    expect(save(d, visitId, [paracetamol, glycomet, { ...tablet(null, 'Cetirizine', '0-0-1', 5), strength: '10 mg' }]).ok).toBe(true);
    expect(get(d, visitId)!.items.map((i) => i.genericName)).toEqual(['Paracetamol', 'Metformin', 'Cetirizine']);
    expect(save(d, visitId, [paracetamol]).ok).toBe(true);

    // Some brought back: still given, still kept. All brought back (an allergy found): the doctor may change it again.
    const given = d.c.ok('pharmacy.prescription', { visitId }, ph);
    expect(given.items[0]).toMatchObject({ dispensed: 15 });
    const line = (d.c.app.database.sqlite.prepare('SELECT id FROM dispense_lines WHERE item_index = 0').pluck().get() as string);
    d.c.ok('pharmacy.saleReturn', { dispenseLineId: line, quantity: 5, reason: 'rash' }, ph);
    expect(failure(save(d, visitId, [glycomet]))).toMatchObject({ code: 'conflict', message });
    d.c.ok('pharmacy.saleReturn', { dispenseLineId: line, quantity: 10, reason: 'allergic: stopped' }, ph);
    expect(save(d, visitId, [{ ...tablet(null, 'Azithromycin', '1-0-0', 3) }]).ok).toBe(true);
    expect(get(d, visitId)!.items.map((i) => i.genericName)).toEqual(['Azithromycin']);
  });
});

describe('ABDM PrescriptionRecord', () => {
  type Bundle = Output<'prescriptions.fhir'>;
  type Res = Bundle['entry'][number]['resource'];

  function references(v: unknown, out: string[] = []): string[] {
    if (Array.isArray(v)) v.forEach((x) => references(x, out));
    else if (v && typeof v === 'object') {
      for (const [key, x] of Object.entries(v)) {
        if (key === 'reference' && typeof x === 'string') out.push(x);
        else references(x, out);
      }
    }
    return out;
  }

  it('is a FHIR document bundle: Composition first with SNOMED 440545006, every reference inside, HIN = ABHA number, one MedicationRequest per item, ICD-10 Conditions', async () => {
    const d = openPad();
    const visitId = see(d, d.anil);
    d.c.ok('consultations.save', { visitId, note: { chiefComplaints: ['Sore throat'], diagnoses: [PHARYNGITIS, { code: null, title: 'Mild dehydration' }] } }, d.rao);
    const items = [...pharyngitisItems(d), pick(d, 'azithromycin 500'), pick(d, 'ibuprofen 400', { frequency: 'SOS', durationDays: 3, quantity: 6 })];
    const { prescriptionId, rxNumber } = d.c.ok('prescriptions.save', { visitId, items }, d.rao);

    const bundle = d.c.ok('prescriptions.fhir', { visitId }, d.rao);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'document', timestamp: '2026-11-21T10:00:00+05:30', identifier: { value: bundle.id } });
    const kinds = bundle.entry.map((e) => e.resource.resourceType);
    expect(kinds).toEqual(['Composition', 'Patient', 'Practitioner', 'Organization', ...items.map(() => 'MedicationRequest'), 'Condition', 'Condition']);

    // Every reference resolves to a fullUrl of the bundle.
    const fullUrls = new Set(bundle.entry.map((e) => e.fullUrl));
    for (const e of bundle.entry) expect(e.fullUrl).toBe(`urn:uuid:${e.resource.id}`);
    expect(fullUrls.size).toBe(bundle.entry.length);
    const refs = references(bundle);
    expect(refs.length).toBeGreaterThan(20);
    for (const r of refs) expect(fullUrls.has(r), `${r} resolves inside the bundle`).toBe(true);

    const all = (type: string) => bundle.entry.filter((e) => e.resource.resourceType === type).map((e) => e.resource as Res & Record<string, unknown>);
    const one = (type: string) => all(type)[0]!;
    const composition = one('Composition');
    expect(composition).toMatchObject({
      status: 'preliminary',
      type: { coding: [{ system: 'http://snomed.info/sct', code: '440545006', display: 'Prescription record' }] },
      subject: { reference: `urn:uuid:${one('Patient').id}` },
      author: [{ reference: `urn:uuid:${one('Practitioner').id}` }],
      title: `Prescription record ${rxNumber}`,
    });
    const section = (composition.section as { entry: { reference: string }[] }[])[0]!;
    expect(section.entry.map((e) => e.reference)).toEqual(all('MedicationRequest').map((r) => `urn:uuid:${r.id}`));

    // The patient: ABHA number (HIN) and address (ABHA), name, gender, birth date.
    const patient = one('Patient');
    const identifiers = patient.identifier as { type: { coding: { code: string }[] }; value: string }[];
    const hin = identifiers.find((i) => i.type.coding[0]?.code === 'HIN');
    expect(hin?.value).toBe(ABHA_SHOWN);
    expect(hin?.value.replace(/-/g, '')).toBe(ABHA);
    expect(hin?.value.replace(/-/g, '')).toMatch(/^\d{14}$/);
    expect(identifiers.find((i) => i.type.coding[0]?.code === 'ABHA')?.value).toBe(ABHA_ADDRESS);
    expect(patient).toMatchObject({ name: [{ text: 'Anil Joshi', given: ['Anil'], family: 'Joshi' }], gender: 'male', birthDate: '1970-03-15' });

    // The doctor: the medical registration number (and the HPR ID).
    expect(one('Practitioner')).toMatchObject({
      name: [{ text: 'Dr Meera Rao' }],
      identifier: [
        { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MD' }] }, system: 'https://www.nmc.org.in/information-desk/indian-medical-register', value: REG_NO, assigner: { display: 'Maharashtra Medical Council' } },
        { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MD' }] }, system: 'https://doctor.ndhm.gov.in', value: HPR_ID },
      ],
    });

    // One MedicationRequest per item, in order.
    const requests = all('MedicationRequest');
    expect(requests).toHaveLength(items.length);
    expect(requests.map((r) => (r.medicationCodeableConcept as { text: string }).text)).toEqual([
      'PARACETAMOL 500 mg tablet',
      'CETIRIZINE 10 mg tablet',
      'PANTOPRAZOLE 40 mg tablet',
      'AZITHROMYCIN 500 mg tablet',
      'IBUPROFEN 400 mg tablet',
    ]);
    const conditions = all('Condition');
    for (const r of requests) {
      expect(r).toMatchObject({ status: 'active', intent: 'order', subject: { reference: `urn:uuid:${patient.id}` }, requester: { reference: `urn:uuid:${one('Practitioner').id}` } });
      expect((r.reasonReference as { reference: string }[]).map((x) => x.reference)).toEqual(conditions.map((c) => `urn:uuid:${c.id}`));
    }
    expect(requests[0]).toMatchObject({
      dosageInstruction: [
        {
          text: '1 tab, 1-1-1 (morning, afternoon and night), after food, for 3 days',
          patientInstruction: 'Only if the fever is above 100 °F.',
          timing: { code: { text: '1-1-1' }, repeat: { frequency: 3, period: 1, periodUnit: 'd', when: ['MORN', 'AFT', 'NIGHT'], boundsDuration: { value: 3, code: 'd' } } },
          route: { coding: [{ system: 'http://snomed.info/sct', code: '26643006' }] },
        },
      ],
      dispenseRequest: { quantity: { value: 9 }, expectedSupplyDuration: { value: 3, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' } },
    });
    expect(requests[1]).toMatchObject({ dosageInstruction: [{ text: '1 tab, 0-0-1 (at night), at bedtime, for 5 days', timing: { repeat: { frequency: 1, when: ['NIGHT'] } } }] });
    expect(requests[2]).toMatchObject({ dosageInstruction: [{ text: '1 tab, 1-0-0 (in the morning), on an empty stomach, for 5 days' }], dispenseRequest: { quantity: { value: 5 } } });
    // "When needed": no fixed schedule, within the course.
    expect(requests[4]).toMatchObject({
      dosageInstruction: [{ text: '1 tab, SOS (when needed), after food, for 3 days', asNeededBoolean: true, timing: { code: { text: 'SOS' }, repeat: { boundsDuration: { value: 3 } } } }],
      dispenseRequest: { quantity: { value: 6 } },
    });
    expect((requests[4]!.dosageInstruction as { timing: { repeat: Record<string, unknown> } }[])[0]!.timing.repeat).not.toHaveProperty('frequency');

    // ICD-10 coded diagnosis as a Condition; the free-text one as text only.
    expect(conditions[0]).toMatchObject({ code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'J02.9', display: 'Acute pharyngitis, unspecified' }] }, subject: { reference: `urn:uuid:${patient.id}` } });
    expect(conditions[1]).toMatchObject({ code: { text: 'Mild dehydration' } });
    expect(conditions[1]!.code).not.toHaveProperty('coding');

    // The same prescription gives the same bundle (ids and times come from the prescription).
    d.c.clock.now += 3_600_000;
    expect(d.c.ok('prescriptions.fhir', { visitId }, d.rao)).toEqual(bundle);
    // Once printed it is final, with the same resource ids.
    await finished(d, d.c.ok('prescriptions.pdf', { visitId }, d.rao));
    const final = d.c.ok('prescriptions.fhir', { visitId }, d.rao);
    expect(final.entry.map((e) => e.fullUrl)).toEqual(bundle.entry.map((e) => e.fullUrl));
    expect(final.entry[0]!.resource).toMatchObject({ status: 'final', date: '2026-11-21T11:00:00+05:30' });
    expect(final.timestamp).toBe('2026-11-21T11:00:00+05:30');

    // Exports are clinical reads: audited; the receptionist is refused.
    expect(failure(d.c.call('prescriptions.fhir', { visitId }, d.reception)).code).toBe('forbidden');
    expect(auditRows(d, 'prescriptions.fhir', prescriptionId).map((a) => [a.outcome, a.detail])).toEqual([
      ['ok', `FHIR PrescriptionRecord export ${rxNumber}`],
      ['ok', `FHIR PrescriptionRecord export ${rxNumber}`],
      ['ok', `FHIR PrescriptionRecord export ${rxNumber}`],
    ]);
    // Nothing to export before anything is prescribed.
    done(d, visitId);
    const empty = see(d, d.chetan);
    expect(failure(d.c.call('prescriptions.fhir', { visitId: empty }, d.rao))).toMatchObject({ code: 'conflict', message: 'There is nothing on this prescription yet.' });
  });
});
