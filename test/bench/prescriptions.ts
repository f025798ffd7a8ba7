import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PrescriptionItem } from '../../db/schema/prescriptions';
import { Writer } from '../../db/write';
import { createClinicApp, DEFAULT_SETTINGS, type ClinicApp } from '../../electron/app';
import type { Input, MethodName, Output } from '../../electron/api';
import type { Result } from '../../shared/api';
import type { AuthedContext } from '../../electron/core/context';
import { dosesPerDay } from '../../shared/dosage';
import { renderPrescriptionPdf } from '../../electron/pdf/prescription';
import { localDate } from '../../shared/clinic-time';
import { lastHlc } from '../../electron/services/device';
import { prescriptionDoc } from '../../electron/services/prescription-print';
import { DEFAULT_PRINT } from '../../electron/services/printing';
import { HybridClock } from '../../shared/hlc';
import { percentile, round, type BenchContext } from './run';
import { createStaff, DOCTOR, newPatientInputs, RECEPTIONIST, SEED } from './seed';

/**
 * "Save as PDF" / print of a prescription, in process and warm:
 *   - prescriptions.pdf: the document read from the records (prescriptionDoc, the same function the
 *     print and PDF jobs call, with a service context like the router's) and rendered
 *     (renderPrescriptionPdf, the workstation's default A5 settings); a typical 5-item prescription
 *     with diagnoses, instructions, advice and follow-up, written through the real router first;
 *   - prescriptions.pdf_job: the same through the router's prescriptions.pdf and its background job
 *     (validation, session, audit, the print count), awaited, as the screen waits for it.
 * Target: prescriptions.pdf.p95_ms ≤ 100 ms. BENCH_RX_RENDERS sets the number of measured renders.
 */

/** Monday 2026-11-23, 10:00 IST. */
const BENCH_DAY_START = Date.UTC(2026, 10, 23, 4, 30);
const WARM_UP = 10;
const JOB_RUNS = 50;

/** The five drugs (formulary search text) and how the doctor writes them. */
const ITEMS: { query: string; patch: Partial<PrescriptionItem> }[] = [
  { query: 'paracetamol 650', patch: { frequency: '1-1-1', timing: 'after-food', durationDays: 3, instructions: 'Only if the fever is above 100 °F.', instructionsHi: 'बुखार 100 °F से ऊपर हो तभी लें।' } },
  { query: 'azithromycin 500', patch: { frequency: '1-0-0', timing: 'empty-stomach', durationDays: 3, instructions: 'One hour before breakfast; complete the course.', instructionsHi: 'नाश्ते से एक घंटा पहले लें; पूरा कोर्स करें।' } },
  { query: 'cetirizine 10', patch: { frequency: '0-0-1', timing: 'bedtime', durationDays: 5, instructions: 'May cause drowsiness.', instructionsHi: 'इससे नींद आ सकती है।' } },
  { query: 'pantoprazole 40 tab', patch: { frequency: '1-0-0', timing: 'before-food', durationDays: 5, instructions: null, instructionsHi: null } },
  { query: 'ibuprofen 400', patch: { frequency: 'SOS', timing: 'after-food', durationDays: 3, quantity: 6, instructions: 'Only for severe pain; not more than 3 in a day.', instructionsHi: 'तेज़ दर्द होने पर ही; दिन में 3 से ज़्यादा नहीं।' } },
];

export async function bench({ report, log }: BenchContext): Promise<void> {
  const renders = Number(process.env.BENCH_RX_RENDERS ?? 200);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-bench-rx-'));
  let app: ClinicApp | undefined;
  try {
    const t0 = Date.now();
    const now = () => BENCH_DAY_START + (Date.now() - t0);
    app = createClinicApp({
      dataDir: dir,
      now,
      onInternalError: (method, error) => {
        throw new Error(`internal error in ${method}: ${String(error)}`);
      },
    });
    const clinic = app;
    const call = <M extends MethodName>(method: M, input: Input<M>, token: string | null): Output<M> => {
      const r = clinic.router.call(method, input, token) as Result<Output<M>>;
      if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
      return r.value;
    };
    const percentiles = (name: string, samples: number[], extra: Record<string, string | number | boolean> = {}) => {
      report({ name: `${name}.p50_ms`, value: round(percentile(samples, 50)), unit: 'ms', n: samples.length, ...extra });
      report({ name: `${name}.p95_ms`, value: round(percentile(samples, 95)), unit: 'ms', n: samples.length, ...extra });
    };

    // --- A visit with its note and a 5-item prescription, through the router ----------------
    createStaff(clinic);
    const desk = call('auth.login', { username: RECEPTIONIST.username, password: RECEPTIONIST.password }, null).token;
    const doctor = call('auth.login', { username: DOCTOR.username, password: DOCTOR.password }, null);
    const doctorId = doctor.user.id;
    const patient = newPatientInputs(1, SEED + 800)[0]!;
    const registered = call('patients.register', { patient: { ...patient, abhaNumber: '91-4455-6677-8899' }, acknowledgeDuplicates: [] }, desk);
    if (registered.status !== 'registered') throw new Error('registering the patient failed');
    call('queue.checkIn', { patientId: registered.patient.id, doctorId }, desk);
    const { visitId } = call('queue.callNext', {}, doctor.token);
    const pharyngitis = call('reference.icd10Search', { query: 'J02.9', limit: 1 }, doctor.token)[0];
    call(
      'consultations.save',
      {
        visitId,
        note: {
          chiefComplaints: ['Sore throat', 'Fever'],
          diagnoses: [pharyngitis ? { code: pharyngitis.code, title: pharyngitis.title } : { code: null, title: 'Acute pharyngitis' }, { code: null, title: 'Gastritis (on NSAIDs)' }],
          advice: 'Warm saline gargles',
        },
        reviewInDays: 5,
      },
      doctor.token,
    );
    const items: PrescriptionItem[] = ITEMS.map(({ query, patch }) => {
      const drug = call('formulary.search', { query, limit: 1 }, doctor.token)[0];
      if (!drug) throw new Error(`the formulary has no "${query}"`);
      const frequency = patch.frequency ?? drug.defaults.frequency ?? '1-0-1';
      const durationDays = patch.durationDays ?? drug.defaults.durationDays;
      const perDay = dosesPerDay(frequency);
      const item: PrescriptionItem = {
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
        ...patch,
      };
      return item;
    });
    // Whatever the checks say is acknowledged, as the doctor would.
    const checked = items.map((item, i) => ({
      ...item,
      acknowledged: call('prescriptions.check', { visitId, item: { drugId: item.drugId, genericName: item.genericName }, others: items.filter((_, j) => j !== i) }, doctor.token).map((w) => w.code),
    }));
    const saved = call(
      'prescriptions.save',
      { visitId, items: checked, advice: 'Warm saline gargles three times a day. Plenty of fluids.', adviceHi: 'दिन में तीन बार गुनगुने नमक के पानी से गरारे करें। खूब पानी पिएँ।', diet: 'Soft, bland food.', investigations: 'CBC if the fever lasts beyond 3 days' },
      doctor.token,
    );
    log(`prescription ${saved.rxNumber} with ${checked.length} items`);

    // --- prescriptionDoc + renderPrescriptionPdf ---------------------------------------------
    // A service context as the router makes one for the doctor's call (prescriptionDoc only reads).
    const db = clinic.database.db;
    const clock = new HybridClock(clinic.deviceId, now, lastHlc(db));
    const ctx: AuthedContext = {
      db,
      sqlite: clinic.database.sqlite,
      now,
      deviceId: clinic.deviceId,
      settings: DEFAULT_SETTINGS,
      jobs: clinic.jobs,
      jobRunner: clinic.jobs,
      files: clinic.files,
      spooler: clinic.spooler,
      sync: { status: () => clinic.sync.getStatus(), restart: () => undefined, trigger: () => undefined, refreshDevices: () => undefined },
      session: { userId: doctorId, username: DOCTOR.username, fullName: DOCTOR.fullName, roles: ['doctor'] },
      token: doctor.token,
      today: () => localDate(now(), DEFAULT_SETTINGS.timeZone),
      write: new Writer({ db, deviceId: clinic.deviceId, now, tick: () => clock.tick(), userId: doctorId, roles: ['doctor'], record: () => undefined }),
      describe: () => undefined,
      alsoAudit: () => undefined,
      afterwards: () => {
        throw new Error('the benchmark does not print');
      },
    };
    const settings = { ...DEFAULT_PRINT, language: 'en+hi' as const };
    const once = async () => {
      const start = process.hrtime.bigint();
      const { doc } = prescriptionDoc(ctx, visitId);
      const built = process.hrtime.bigint();
      const pdf = await renderPrescriptionPdf(doc, settings);
      const end = process.hrtime.bigint();
      return { totalMs: Number(end - start) / 1e6, docMs: Number(built - start) / 1e6, bytes: pdf.length };
    };
    log(`${WARM_UP} warm-up renders, ${renders} measured (${settings.paper}, ${settings.language})`);
    for (let i = 0; i < WARM_UP; i++) await once();
    const total: number[] = [];
    const docOnly: number[] = [];
    let bytes = 0;
    for (let i = 0; i < renders; i++) {
      const r = await once();
      total.push(r.totalMs);
      docOnly.push(r.docMs);
      bytes = r.bytes;
    }
    percentiles('prescriptions.pdf', total, { items: checked.length, paper: settings.paper, language: settings.language, pdf_bytes: bytes, target_p95_ms: 100 });
    report({ name: 'prescriptions.pdf.max_ms', value: round(Math.max(...total)), unit: 'ms', n: total.length });
    report({ name: 'prescriptions.doc.p95_ms', value: round(percentile(docOnly, 95)), unit: 'ms', n: docOnly.length });

    // --- The same through the router's prescriptions.pdf and its job ------------------------
    const jobMs: number[] = [];
    for (let i = 0; i < WARM_UP + JOB_RUNS; i++) {
      const start = process.hrtime.bigint();
      const job = call('prescriptions.pdf', { visitId, options: { language: 'en+hi' } }, doctor.token);
      const done = await clinic.jobs.wait(job.id);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (done.status !== 'done') throw new Error(`prescriptions.pdf failed: ${done.message}`);
      if (i >= WARM_UP) jobMs.push(ms);
    }
    percentiles('prescriptions.pdf_job', jobMs, { items: checked.length });
  } finally {
    app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
