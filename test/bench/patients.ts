import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClinicApp, type ClinicApp } from '../../electron/app';
import type { Input, MethodName, Output } from '../../electron/api';
import type { Result } from '../../shared/api';
import { localChecksums, localChecksumsInSlices } from '../../electron/sync/local-checksums';
import { COMMUNITIES } from './names';
import { percentile, round, timed, type BenchContext } from './run';
import { isPlainSqliteFile } from '../../db/open';
import { localDate } from '../../shared/clinic-time';
import { measureRatios } from './router-ratios';
import { BENCH_DB_KEY, createRng, DEFAULT_PATIENTS, DOCTOR, ensureSeededDatabase, newPatientInputs, RECEPTIONIST, SEED, type NewPatient, type Rng } from './seed';

/**
 * The reception desk on a million-patient clinic, measured through the real router (validation,
 * session check, transaction, audit): searching, registering and checking in.
 *
 * BENCH_PATIENTS overrides the number of seeded patients (for a quick run); BENCH_SEARCHES the
 * number of measured searches.
 */

/** The clinic day of the benchmark: Monday 2026-11-23, 10:00 IST, just after the seeded history. */
const BENCH_DAY_START = Date.UTC(2026, 10, 23, 4, 30);
const WARM_UP = 300;
const REGISTRATIONS = 1000;
const CHECK_INS = 1000;

type Kind =
  | 'common-prefix'
  | 'common-name'
  | 'rare-prefix'
  | 'two-words'
  | 'new-patient'
  | 'variant'
  | 'mobile-last4'
  | 'mobile-full'
  | 'mrn'
  | 'abha-number'
  | 'abha-address';

/** How often each kind of query is typed at the desk (relative weights). */
const MIX: Record<Kind, number> = {
  'common-prefix': 15,
  'common-name': 10,
  'rare-prefix': 5,
  'two-words': 15,
  'new-patient': 10,
  variant: 10,
  'mobile-last4': 10,
  'mobile-full': 10,
  mrn: 5,
  'abha-number': 5,
  'abha-address': 5,
};

interface Query {
  kind: Kind;
  text: string;
}

interface SampledPatient {
  id: string;
  mrn: string;
  givenName: string;
  familyName: string | null;
  mobile: string | null;
  abhaNumber: string | null;
  abhaAddress: string | null;
}

export async function bench({ report, log }: BenchContext): Promise<void> {
  const patients = Number(process.env.BENCH_PATIENTS ?? DEFAULT_PATIENTS);
  const searches = Number(process.env.BENCH_SEARCHES ?? 3000);
  const seeded = ensureSeededDatabase(patients, log);
  report({ name: 'seed.seconds', value: seeded.info.seedSeconds, unit: 's', n: patients, cached: !seeded.built });
  report({ name: 'db.size_mb', value: round(fs.statSync(seeded.file).size / 2 ** 20, 1), unit: 'MB', n: patients });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-bench-'));
  let app: ClinicApp | undefined;
  try {
    fs.copyFileSync(seeded.file, path.join(dir, 'clinic.db'));
    const t0 = Date.now();
    const benchNow = () => BENCH_DAY_START + (Date.now() - t0);
    const opened = timed(() =>
      createClinicApp({
        dataDir: dir,
        key: BENCH_DB_KEY,
        now: benchNow,
        onInternalError: (method, error) => {
          throw new Error(`internal error in ${method}: ${String(error)}`);
        },
      }),
    );
    app = opened.value;
    log(`opened a copy of ${path.basename(seeded.file)} (migrations checked) in ${opened.ms.toFixed(0)} ms`);
    // Encrypted as every installed database is (the cached copy was built with the bench's key).
    report({ name: 'bench.encrypted', value: isPlainSqliteFile(path.join(dir, 'clinic.db')) ? 0 : 1, unit: 'bool' });
    const clinic = app;
    /** A call through the real router (validation, session, transaction, audit) that must succeed. */
    const call = <M extends MethodName>(method: M, input: Input<M>, token: string | null): Output<M> => {
      const r = clinic.router.call(method, input, token) as Result<Output<M>>;
      if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
      return r.value;
    };
    const desk = call('auth.login', { username: RECEPTIONIST.username, password: RECEPTIONIST.password }, null).token;

    const rng = createRng(SEED + 100);
    const sample = samplePatients(clinic, patients, 400, rng);

    // Newcomers, looked up by name before they are registered (the desk searches first).
    const inputs = newPatientInputs(REGISTRATIONS, SEED + 200);

    // --- search ---------------------------------------------------------------------------
    const queries = buildQueries(sample, inputs);
    const draw = mixDrawer(queries, rng);
    log(`search: ${Object.values(queries).reduce((n, q) => n + q.length, 0)} distinct queries; ${WARM_UP} warm-up, ${searches} measured`);
    for (let i = 0; i < WARM_UP; i++) call('patients.search', { query: draw().text, limit: 20 }, desk);
    const all: number[] = [];
    const byKind = new Map<Kind, number[]>();
    const worst = new Map<string, number>();
    for (let i = 0; i < searches; i++) {
      const q = draw();
      const { ms } = timed(() => call('patients.search', { query: q.text, limit: 20 }, desk));
      all.push(ms);
      const list = byKind.get(q.kind) ?? [];
      list.push(ms);
      byKind.set(q.kind, list);
      const key = `${q.kind}: "${q.text}"`;
      worst.set(key, Math.max(worst.get(key) ?? 0, ms));
    }
    report({ name: 'patients.search.p50_ms', value: round(percentile(all, 50)), unit: 'ms', n: all.length });
    report({ name: 'patients.search.p95_ms', value: round(percentile(all, 95)), unit: 'ms', n: all.length });
    report({ name: 'patients.search.p99_ms', value: round(percentile(all, 99)), unit: 'ms', n: all.length });
    report({ name: 'patients.search.max_ms', value: round(Math.max(...all)), unit: 'ms', n: all.length });
    for (const kind of Object.keys(MIX) as Kind[]) {
      const list = byKind.get(kind) ?? [];
      report({ name: `patients.search.${kind}.p95_ms`, value: round(percentile(list, 95)), unit: 'ms', n: list.length });
    }
    log(
      `slowest searches: ${[...worst.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 8)
        .map(([q, ms]) => `${q} ${ms.toFixed(1)} ms`)
        .join('; ')}`,
    );

    // --- registration ---------------------------------------------------------------------
    const doctorId = call('doctors.list', {}, desk).find((d) => d.fullName === DOCTOR.fullName)?.userId;
    if (!doctorId) throw new Error('the seeded doctor is missing');
    // Some newcomers are family of existing patients and give the same mobile.
    inputs.forEach((p, i) => {
      const family = sample[i % sample.length]!;
      if (rng.chance(0.15) && family.mobile) p.mobile = family.mobile;
    });
    // When possible duplicates are shown, the receptionist looks and saves anyway: a second call, measured too.
    const registerMs: number[] = [];
    let duplicatesShown = 0;
    for (const patient of inputs) {
      const first = timed(() => call('patients.register', { patient, acknowledgeDuplicates: [] }, desk));
      registerMs.push(first.ms);
      if (first.value.status === 'duplicates') {
        duplicatesShown++;
        const acknowledgeDuplicates = first.value.candidates.map((c) => c.id);
        const again = timed(() => call('patients.register', { patient, acknowledgeDuplicates }, desk));
        if (again.value.status !== 'registered') throw new Error('registering past acknowledged duplicates failed');
        registerMs.push(again.ms);
      }
    }
    report({ name: 'patients.register.p50_ms', value: round(percentile(registerMs, 50)), unit: 'ms', n: registerMs.length });
    report({ name: 'patients.register.p95_ms', value: round(percentile(registerMs, 95)), unit: 'ms', n: registerMs.length });
    report({ name: 'patients.register.duplicate_warnings', value: duplicatesShown, unit: 'count', n: inputs.length });

    // --- check-in -------------------------------------------------------------------------
    const toCheckIn = samplePatients(clinic, patients, CHECK_INS, createRng(SEED + 300));
    const checkInMs: number[] = [];
    for (const p of toCheckIn) {
      checkInMs.push(timed(() => call('queue.checkIn', { patientId: p.id, doctorId }, desk)).ms);
    }
    report({ name: 'queue.checkIn.p50_ms', value: round(percentile(checkInMs, 50)), unit: 'ms', n: checkInMs.length });
    report({ name: 'queue.checkIn.p95_ms', value: round(percentile(checkInMs, 95)), unit: 'ms', n: checkInMs.length });

    // --- the router against bare SQL, interleaved ------------------------------------------
    const inQueue = new Set(toCheckIn.map((p) => p.id));
    const me = call('auth.me', {}, desk).user;
    measureRatios({
      app: clinic,
      token: desk,
      today: localDate(benchNow(), 'Asia/Kolkata'),
      now: benchNow,
      user: { id: me.id, username: me.username },
      doctorId,
      queries: () => draw().text,
      searches,
      newcomers: newPatientInputs(2 * Number(process.env.BENCH_RATIO_WRITES ?? 500), SEED + 250),
      arrivals: samplePatients(clinic, patients, 2 * Number(process.env.BENCH_RATIO_WRITES ?? 500) + CHECK_INS, createRng(SEED + 400))
        .map((p) => p.id)
        .filter((id) => !inQueue.has(id)),
      report,
    });

    // --- sync checksums over the whole database ---------------------------------------------
    // What the sync engine reads every few minutes: the total, and the longest stretch the app
    // cannot answer (one slice), against the one-go read it replaced.
    const oneGo = timed(() => localChecksums(clinic.database.sqlite));
    const sliceMs: number[] = [];
    let sliceStart = performance.now();
    const slicedStart = performance.now();
    const sliced = await localChecksumsInSlices(clinic.database.sqlite, {
      pause: async () => {
        sliceMs.push(performance.now() - sliceStart);
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      },
    });
    const slicedMs = performance.now() - slicedStart;
    if (JSON.stringify(sliced) !== JSON.stringify(oneGo.value)) throw new Error('sliced checksums differ from the one-go read');
    report({ name: 'sync.checksums.one_go_ms', value: round(oneGo.ms), unit: 'ms', n: oneGo.value.patients!.count, blocks_ms: round(oneGo.ms) });
    report({ name: 'sync.checksums.sliced_ms', value: round(slicedMs), unit: 'ms', n: sliced.patients!.count, slices: sliceMs.length });
    report({ name: 'sync.checksums.longest_slice_ms', value: round(Math.max(...sliceMs)), unit: 'ms', n: sliceMs.length, p95_ms: round(percentile(sliceMs, 95)), target: 50 });
  } finally {
    app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Distinct seeded patients picked by MRN (read directly; not part of any measurement). */
function samplePatients(app: ClinicApp, patients: number, count: number, rng: Rng): SampledPatient[] {
  const get = app.database.sqlite.prepare(
    `SELECT id, mrn, given_name AS givenName, family_name AS familyName, mobile, abha_number AS abhaNumber, abha_address AS abhaAddress
     FROM patients WHERE mrn = ?`,
  );
  const seen = new Set<number>();
  const out: SampledPatient[] = [];
  while (out.length < Math.min(count, patients)) {
    const n = 1 + rng.int(patients);
    if (seen.has(n)) continue;
    seen.add(n);
    const row = get.get(`A-${String(n).padStart(6, '0')}`) as SampledPatient | undefined;
    if (row) out.push(row);
  }
  return out;
}

/** A fixed set of queries per kind, built from the name lists and from real seeded patients. */
function buildQueries(sample: SampledPatient[], newcomers: NewPatient[]): Record<Kind, string[]> {
  const withAbha = sample.filter((p) => p.abhaNumber);
  const withAddress = sample.filter((p) => p.abhaAddress);
  const withMobile = sample.filter((p) => p.mobile);
  const fullNames = sample.filter((p) => p.familyName && p.familyName.length > 1).slice(0, 40);
  const rare = COMMUNITIES.flatMap((c) => [c.male.at(-1)!, c.female.at(-1)!, c.male.at(-3)!, c.family.at(-1)!]).map((n) =>
    n.toLowerCase().slice(0, Math.min(5, n.length)),
  );
  return {
    // As typed (the search box searches 120 ms after the last key): two or three letters, and a few more.
    'common-prefix': [
      'ra', 'moh', 'sun', 'su', 'pr', 'man', 'ram', 'san', 'ku', 'an', 'gur', 'lak', 'sri', 'ab', 'sh', 'kav', 'raj', 'pa',
      'rame', 'kuma', 'srini', 'shar', 'sunit', 'moham', 'laksh', 'prade',
    ],
    'common-name': ['ramesh', 'sunita', 'mohammed', 'kumar', 'sharma', 'singh', 'khan', 'lakshmi', 'patil', 'das', 'devi', 'priya'],
    'rare-prefix': rare,
    'two-words': [
      'ramesh kumar', 'kumar ramesh', 'sunita devi', 'devi sunita', 'mohd irfan', 'irfan khan', 'khan irfan', 'gurpreet singh',
      'harpreet kaur', 'lakshmi s', 'priya sharma', 'sharma priya', 'sachin patil', 'patil sachin', 'sourav ghosh', 'mary joseph',
      'ramesh ku', 'sunita sh', 'venkatesh re', 'ayesha begum',
      ...fullNames.flatMap((p, i) => {
        const full = `${p.givenName} ${p.familyName}`.toLowerCase();
        return i % 2 === 0 ? [full] : [`${p.familyName} ${p.givenName}`.toLowerCase()];
      }),
    ],
    'new-patient': newcomers.slice(0, 200).map((p) => `${p.givenName} ${typeof p.familyName === 'string' ? p.familyName : ''}`.trim().toLowerCase()),
    variant: [
      'muhamad', 'mohamad', 'mohamed ansari', 'laxmi', 'lakshmee', 'shrinivas', 'sreenivas rao', 'srinivaas', 'suneeta', 'sunitha',
      'ameet', 'kavitha', 'jyothi', 'shital', 'sheetal patil', 'rajesh kumaar', 'ramesh sarma', 'venkatesh reddi', 'chaterjee',
      'mukherji', 'bannerjee', 'yousuf', 'zubeir', 'gurprit', 'harpreet kour', 'mathew', 'dsouza',
    ],
    'mobile-last4': withMobile.slice(0, 60).map((p) => p.mobile!.slice(-4)),
    'mobile-full': withMobile.slice(60, 120).map((p) => p.mobile!),
    mrn: sample.slice(0, 40).map((p, i) => (i % 3 === 0 ? p.mrn.toLowerCase() : p.mrn)),
    'abha-number': withAbha.slice(0, 40).map((p, i) => (i % 2 === 0 ? p.abhaNumber! : p.abhaNumber!.replace(/^(\d{2})(\d{4})(\d{4})(\d{4})$/, '$1-$2-$3-$4'))),
    'abha-address': withAddress.slice(0, 40).map((p) => p.abhaAddress!),
  };
}

function mixDrawer(queries: Record<Kind, string[]>, rng: Rng): () => Query {
  const kinds = (Object.keys(MIX) as Kind[]).filter((k) => queries[k].length > 0);
  const total = kinds.reduce((s, k) => s + MIX[k], 0);
  return () => {
    let u = rng.next() * total;
    let kind = kinds[kinds.length - 1]!;
    for (const k of kinds) {
      u -= MIX[k];
      if (u < 0) {
        kind = k;
        break;
      }
    }
    return { kind, text: rng.pick(queries[kind]) };
  };
}


