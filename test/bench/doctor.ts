import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConsultationNote, Vitals } from '../../db/schema/consultations';
import { createClinicApp, type ClinicApp } from '../../electron/app';
import type { Input, MethodName, Output } from '../../electron/api';
import type { Result } from '../../shared/api';
import { percentile, round, timed, type BenchContext } from './run';
import { isPlainSqliteFile } from '../../db/open';
import { ADMIN, BENCH_DB_KEY, createRng, createStaff, DOCTOR, newPatientInputs, RECEPTIONIST, SEED, type Rng } from './seed';

/**
 * The doctor's desk, measured through the real router (validation, session check, transaction,
 * audit) on a fresh clinic holding the full ICD-10 list:
 *   - importing the full list (reference.importIcd10, a background job, awaited with app.jobs.wait);
 *   - the diagnosis picker's search (reference.icd10Search, limit 10 as the picker asks), with
 *     queries typed the way doctors type them;
 *   - the consultation note's autosave (consultations.save with the whole note, as the form sends
 *     it) across a morning of visits: reception checks patients in, the doctor calls the next one,
 *     writes, and completes the visit.
 *
 * BENCH_ICD10_CSV overrides the ICD-10 file (default: the list the app ships, gzipped);
 * BENCH_ICD10_REPEATS how often each distinct search query is measured; BENCH_VISITS the number of visits.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DEFAULT_ICD10_CSV = path.resolve(ROOT, 'resources/reference/icd10cm_codes.csv.gz');

/** The clinic day of the benchmark: Monday 2026-11-23, 10:00 IST (the doctor sits 09:00-13:00). */
const BENCH_DAY_START = Date.UTC(2026, 10, 23, 4, 30);
const VISIT_DAY = '2026-11-23';
/** The diagnosis picker asks for 10 hits. */
const PICKER_LIMIT = 10;
const WARM_UP_ROUNDS = 1;
/** Patients waiting when the doctor starts; one more arrives after each visit. */
const INITIAL_QUEUE = 6;

type Kind = 'word-prefix' | 'two-words' | 'code-prefix' | 'incremental';
const KINDS: Kind[] = ['word-prefix', 'two-words', 'code-prefix', 'incremental'];

interface Query {
  kind: Kind;
  text: string;
}

// ---------------------------------------------------------------------------------------------
// What doctors type into the diagnosis picker

/** Words doctors start typing, from everyday OPD diagnoses; each is searched by its 2-6 letter prefixes. */
const WORDS = [
  'diabetes', 'hypertension', 'fever', 'pneumonia', 'fracture', 'gastritis', 'gastroenteritis', 'migraine', 'asthma',
  'bronchitis', 'cough', 'headache', 'infection', 'anaemia', 'anemia', 'arthritis', 'osteoarthritis', 'pain', 'abdominal',
  'urinary', 'typhoid', 'dengue', 'malaria', 'tuberculosis', 'conjunctivitis', 'otitis', 'pharyngitis', 'tonsillitis',
  'sinusitis', 'rhinitis', 'allergic', 'dermatitis', 'eczema', 'scabies', 'fungal', 'tinea', 'vertigo', 'hypothyroidism',
  'thyroid', 'obesity', 'dyslipidemia', 'hyperlipidemia', 'cholesterol', 'chest', 'angina', 'ischemic', 'heart',
  'failure', 'kidney', 'renal', 'calculus', 'stone', 'constipation', 'diarrhoea', 'diarrhea', 'vomiting', 'nausea',
  'dyspepsia', 'reflux', 'ulcer', 'hemorrhoids', 'piles', 'anxiety', 'depression', 'insomnia', 'epilepsy', 'seizure',
  'pregnancy', 'menstruation', 'dysmenorrhea', 'vaginitis', 'cellulitis', 'abscess', 'wound', 'sprain', 'back', 'lumbago',
  'sciatica', 'cervical', 'spondylosis', 'gout', 'dizziness', 'syncope', 'jaundice', 'hepatitis', 'cirrhosis', 'viral',
  'acute', 'chronic', 'upper', 'respiratory', 'influenza', 'covid', 'chickenpox', 'varicella', 'measles', 'mumps',
  'worms', 'helminthiasis', 'deficiency', 'vitamin', 'neuropathy', 'retinopathy', 'cataract', 'glaucoma', 'dental',
  'caries', 'burn', 'bite', 'dog', 'snake', 'poisoning',
];

/** Two words, typed as doctors type them: a full word and the start of the next, in either order. */
const TWO_WORDS = [
  'type 2 diab', 'type 2 diabetes', 'diabetes type 2', 'type 1 diab', 'acute bronch', 'acute bronchitis', 'low back',
  'low back pain', 'back pain', 'essential hyper', 'urinary tract', 'urinary tract inf', 'acute pharyng', 'viral fever',
  'fever unsp', 'chest pain', 'abdominal pain', 'abd pain', 'iron def', 'iron deficiency anaemia', 'allergic rhin',
  'acute tonsil', 'acute sinus', 'otitis media', 'acute otitis', 'knee osteo', 'osteoarthritis knee', 'primary knee',
  'plasmodium vivax', 'vivax malaria', 'dengue fever', 'typhoid fever', 'pulmonary tuberc', 'tuberculosis lung',
  'gastro reflux', 'gastro-oesophageal reflux', 'peptic ulcer', 'irritable bowel', 'tension headache', 'migraine without',
  'without aura', 'heart failure', 'angina pectoris', 'chronic kidney', 'kidney disease', 'renal calc', 'kidney stone',
  'fracture radius', 'radius fract', 'ankle sprain', 'sprain of ankle', 'contact dermat', 'tinea corporis', 'vitamin d def',
  'b12 def', 'vitamin b12', 'hypothyroid unsp', 'upper resp', 'acute upper respiratory', 'covid 19', 'dog bite',
  'diabetic neuropathy', 'diabetes with neuro', 'pregnancy normal', 'supervision of normal', 'cervical spondyl',
];

/** Codes, and code prefixes as typed (case as it comes). */
const CODES = [
  'E11', 'E11.9', 'e11.6', 'E11.65', 'E10', 'E78', 'E78.5', 'E03.9', 'E55.9', 'E66', 'D50', 'D50.9', 'I10', 'i10',
  'I11', 'I20', 'I25.1', 'I50.9', 'J06.9', 'j06', 'J02', 'J03.9', 'J18', 'J18.9', 'J20', 'J45', 'J45.9', 'J30',
  'K21', 'K21.9', 'K29', 'K30', 'K58', 'K59.0', 'A09', 'A01.0', 'A90', 'B50', 'N39', 'N39.0', 'N20.0', 'M54',
  'M54.5', 'm54.50', 'M17', 'M17.1', 'M10', 'R50', 'R50.9', 'R51', 'R10', 'R10.4', 'R05', 'R42', 'L20', 'L30.9',
  'B35.4', 'H10', 'H66.9', 'F41', 'F32.9', 'G43', 'G43.9', 'O80', 'Z00.0', 'S52', 'S93.4', 'T63', 'W54', 'e1', 'j0', 'M5',
];

/** Phrases typed letter by letter; every prefix from two letters on is searched, as the picker would. */
const INCREMENTAL = ['essential hypertension', 'type 2 diabetes mellitus', 'acute upper respiratory infection'];

function buildQueries(): Query[] {
  const out = new Map<string, Query>();
  const add = (kind: Kind, text: string) => {
    const t = text.trim();
    if (t.length >= 2 && !out.has(`${kind}\u0000${t}`)) out.set(`${kind}\u0000${t}`, { kind, text: t });
  };
  for (const w of WORDS) for (let n = 2; n <= Math.min(6, w.length); n++) add('word-prefix', w.slice(0, n));
  for (const t of TWO_WORDS) add('two-words', t);
  for (const c of CODES) add('code-prefix', c);
  for (const phrase of INCREMENTAL) for (let n = 2; n <= phrase.length; n++) add('incremental', phrase.slice(0, n));
  return [...out.values()];
}

function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

// ---------------------------------------------------------------------------------------------
// What doctors write in a note

interface Presentation {
  complaints: string[];
  story: string[];
  examination: string;
  /** ICD-10 searches the doctor types to find the diagnoses (the first hit is taken). */
  diagnoses: string[];
  plan: string;
  advice: string;
  reviewDays: number | null;
}

const PRESENTATIONS: Presentation[] = [
  {
    complaints: ['Fever for 3 days', 'Body ache', 'Headache'],
    story: [
      'Fever since 3 days, high grade, intermittent, with chills. ',
      'Associated with body ache and frontal headache, relieved partly by paracetamol. ',
      'No cough, no burning micturition, no loose stools. ',
      'No rash, no bleeding from gums or nose. Appetite reduced. ',
      'Neighbour had dengue last week. ',
    ],
    examination: 'Febrile 38.6 C, no pallor or icterus, no lymphadenopathy. Chest clear, abdomen soft, no hepatosplenomegaly. Tourniquet test negative.',
    diagnoses: ['viral fever', 'fever unsp'],
    plan: 'Tab paracetamol 650 mg SOS up to 4 times a day. CBC with platelets, dengue NS1. Oral fluids.',
    advice: 'Plenty of fluids, rest. Return at once if bleeding, abdominal pain, persistent vomiting or drowsiness.',
    reviewDays: 2,
  },
  {
    complaints: ['Increased thirst', 'Frequent urination', 'Tiredness'],
    story: [
      'Known diabetic for 6 years on metformin 500 mg twice daily. ',
      'Increased thirst and frequent urination for a month, tired in the evenings. ',
      'Tingling in both feet at night for 2 months. ',
      'Diet not controlled during the festival season; no regular walking. ',
      'Last HbA1c 8.4% three months ago. No hypoglycaemic episodes. ',
      'Father diabetic, mother hypertensive. ',
    ],
    examination: 'BMI 28. Feet: monofilament sensation reduced over both soles, pulses felt. No foot ulcer. Fundus not examined.',
    diagnoses: ['type 2 diab', 'diabetic neuropathy'],
    plan: 'Increase metformin to 1 g twice daily; add glimepiride 1 mg before breakfast. HbA1c, fasting lipids, creatinine, urine ACR.',
    advice: 'Diabetic diet chart given. Walk 30 minutes daily. Check feet every day; footwear advice.',
    reviewDays: 14,
  },
  {
    complaints: ['Headache', 'Giddiness'],
    story: [
      'Occipital headache on waking for 2 weeks, with giddiness on standing. ',
      'BP found high at a pharmacy last week, 168/100. ',
      'No chest pain, no breathlessness, no weakness of limbs. ',
      'Smoker, 10 cigarettes a day for 20 years. Salt intake high. ',
    ],
    examination: 'BP 162/98 right arm sitting, repeat 158/96. Heart sounds normal, no murmur. No pedal oedema.',
    diagnoses: ['essential hypertension'],
    plan: 'Tab amlodipine 5 mg once daily. ECG, creatinine, electrolytes, lipid profile, urine routine.',
    advice: 'Reduce salt, stop smoking (counselled), daily walk. Home BP log twice a day.',
    reviewDays: 14,
  },
  {
    complaints: ['Cough with sputum', 'Fever', 'Breathlessness on exertion'],
    story: [
      'Cough for 5 days with yellow sputum, fever for 3 days. ',
      'Breathless on climbing stairs since yesterday. ',
      'No haemoptysis, no chest pain. No weight loss, no night sweats. ',
      'Had a cold a week ago. ',
    ],
    examination: 'Temp 38.2 C, RR 22, SpO2 95%. Crepitations right lower zone. No wheeze.',
    diagnoses: ['acute bronch', 'pneum'],
    plan: 'Tab amoxicillin-clavulanate 625 mg thrice daily for 5 days, paracetamol SOS. Chest X-ray PA view, CBC.',
    advice: 'Steam inhalation, warm fluids. Return if breathlessness increases or SpO2 falls.',
    reviewDays: 3,
  },
  {
    complaints: ['Low back pain'],
    story: [
      'Low back pain for 10 days after lifting a gas cylinder. ',
      'Pain radiates to the left buttock, not below the knee. ',
      'Worse on bending, better lying down. No numbness, no bladder or bowel complaints. ',
    ],
    examination: 'Paraspinal tenderness L4-L5, SLR 80 degrees both sides, power and reflexes normal.',
    diagnoses: ['low back', 'M54.5'],
    plan: 'Tab aceclofenac-paracetamol twice daily after food for 5 days, topical diclofenac. Physiotherapy referral.',
    advice: 'Avoid lifting, sit with back support, back exercises shown.',
    reviewDays: 7,
  },
  {
    complaints: ['Burning in upper abdomen', 'Sour belching'],
    story: [
      'Burning in the upper abdomen after meals for a month, with sour belching. ',
      'Worse at night and with spicy food and tea. ',
      'Takes diclofenac for knee pain often. No vomiting, no black stools, no weight loss. ',
    ],
    examination: 'Epigastric tenderness, no guarding, no mass. Pallor absent.',
    diagnoses: ['gastritis', 'gastro reflux'],
    plan: 'Cap pantoprazole 40 mg before breakfast for 4 weeks. Stop diclofenac; paracetamol for knee pain.',
    advice: 'Small frequent meals, avoid lying down within 2 hours of dinner, less tea and spicy food.',
    reviewDays: 28,
  },
  {
    complaints: ['Sore throat', 'Fever', 'Pain on swallowing'],
    story: [
      'Sore throat and pain on swallowing for 2 days, fever since last night. ',
      'No cough, no ear pain. Brother had similar symptoms. ',
    ],
    examination: 'Temp 38.4 C. Tonsils enlarged and congested with exudate, tender jugulodigastric nodes.',
    diagnoses: ['acute tonsil'],
    plan: 'Tab amoxicillin 500 mg thrice daily for 7 days, paracetamol SOS, warm saline gargles.',
    advice: 'Soft diet, fluids. Complete the antibiotic course.',
    reviewDays: null,
  },
  {
    complaints: ['Wheezing', 'Cough at night'],
    story: [
      'Known asthmatic since childhood, on salbutamol inhaler as needed. ',
      'Night cough and wheeze for a week, using the inhaler 4-5 times a day. ',
      'Started after dust exposure while cleaning the house. ',
      'No fever. ',
    ],
    examination: 'RR 20, SpO2 96%, bilateral expiratory wheeze, no crepitations. Able to speak in sentences.',
    diagnoses: ['asth', 'allergic rhin'],
    plan: 'Budesonide-formoterol inhaler 200/6 two puffs twice daily, salbutamol as needed. Inhaler technique checked.',
    advice: 'Avoid dust and smoke, wear a mask when cleaning. Rinse mouth after the steroid inhaler.',
    reviewDays: 14,
  },
  {
    complaints: ['Burning micturition', 'Frequency'],
    story: [
      'Burning while passing urine and increased frequency for 3 days. ',
      'Low-grade fever yesterday. No flank pain, no vaginal discharge. ',
      'Similar episode 6 months ago. ',
    ],
    examination: 'Suprapubic tenderness, renal angles not tender. Afebrile now.',
    diagnoses: ['urinary tract inf', 'N39.0'],
    plan: 'Tab nitrofurantoin 100 mg twice daily for 5 days. Urine routine and culture before starting.',
    advice: 'Drink 3 litres of water a day; do not hold urine.',
    reviewDays: 5,
  },
  {
    complaints: ['Headache, one-sided', 'Nausea'],
    story: [
      'Recurrent one-sided throbbing headache for 2 years, 2-3 attacks a month. ',
      'Attacks last a day, with nausea and dislike of light. ',
      'Triggered by missed meals and poor sleep. No aura, no weakness. ',
    ],
    examination: 'Neurological examination normal. Fundus normal. BP normal.',
    diagnoses: ['migr', 'G43.9'],
    plan: 'Tab naproxen 500 mg at onset with domperidone. Headache diary.',
    advice: 'Regular meals and sleep. Limit painkillers to 2 days a week.',
    reviewDays: 30,
  },
];

function vitalsFor(rng: Rng): Vitals {
  const heightCm = 150 + rng.int(30);
  return {
    bpSystolic: 108 + rng.int(60),
    bpDiastolic: 68 + rng.int(32),
    pulse: 64 + rng.int(40),
    temperatureC: round(36.5 + rng.next() * 2.4, 1),
    spo2: 94 + rng.int(6),
    respiratoryRate: 14 + rng.int(10),
    weightKg: round(45 + rng.next() * 45, 1),
    heightCm,
    ...(rng.chance(0.3) ? { bloodSugar: 90 + rng.int(180), bloodSugarType: rng.pick(['fasting', 'random', 'post-prandial'] as const) } : {}),
  };
}

/** The full note after each autosave of one visit, in the order a doctor writes it. */
function noteVersions(p: Presentation, diagnoses: ConsultationNote['diagnoses'], rng: Rng, saves: number): ConsultationNote[] {
  const versions: ConsultationNote[] = [];
  let note: ConsultationNote = {
    vitals: {},
    chiefComplaints: [],
    historyOfPresentIllness: '',
    pastHistory: '',
    examination: '',
    diagnoses: [],
    investigations: '',
    treatmentPlan: '',
    advice: '',
    referral: '',
    followUpDate: null,
  };
  const push = (patch: Partial<ConsultationNote>) => {
    note = { ...note, ...patch };
    versions.push(note);
  };
  // The nurse's vitals, then complaints one by one.
  const vitals = vitalsFor(rng);
  push({ vitals: { bpSystolic: vitals.bpSystolic ?? null, bpDiastolic: vitals.bpDiastolic ?? null, pulse: vitals.pulse ?? null } });
  push({ vitals });
  for (let i = 1; i <= p.complaints.length; i++) push({ chiefComplaints: p.complaints.slice(0, i) });
  // The history grows as it is typed: an autosave at each pause, mid-sentence as often as not.
  const story = p.story.join('');
  const fixed = 5; // examination, diagnoses (2 saves), plan, advice and follow-up
  const hpiSaves = Math.max(2, saves - versions.length - fixed);
  for (let i = 1; i <= hpiSaves; i++) {
    const cut = i === hpiSaves ? story.length : Math.round((story.length * i) / hpiSaves) + rng.int(7) - 3;
    push({ historyOfPresentIllness: story.slice(0, Math.max(1, Math.min(story.length, cut))) });
  }
  push({ examination: p.examination, pastHistory: rng.chance(0.4) ? 'Appendicectomy 2009. No known drug allergies.' : '' });
  push({ diagnoses: diagnoses.slice(0, 1) });
  push({ diagnoses, investigations: p.plan.includes('.') ? p.plan.slice(p.plan.indexOf('.') + 2) : '' });
  push({ treatmentPlan: p.plan });
  push({
    advice: p.advice,
    followUpDate: p.reviewDays === null ? null : addDays(VISIT_DAY, p.reviewDays),
    ...(rng.chance(0.05) ? { referral: 'Ophthalmology for fundus examination.' } : {}),
  });
  return versions;
}

function addDays(isoDay: string, days: number): string {
  return new Date(Date.parse(`${isoDay}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------

export async function bench({ report, log }: BenchContext): Promise<void> {
  const csv = path.resolve(process.env.BENCH_ICD10_CSV ?? DEFAULT_ICD10_CSV);
  const repeats = Number(process.env.BENCH_ICD10_REPEATS ?? 5);
  const visitCount = Number(process.env.BENCH_VISITS ?? 100);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-bench-doctor-'));
  let app: ClinicApp | undefined;
  try {
    const t0 = Date.now();
    app = createClinicApp({
      dataDir: dir,
      // Encrypted as every installed database is.
      key: BENCH_DB_KEY,
      now: () => BENCH_DAY_START + (Date.now() - t0),
      onInternalError: (method, error) => {
        throw new Error(`internal error in ${method}: ${String(error)}`);
      },
    });
    const clinic = app;
    /** A call through the real router (validation, session, transaction, audit) that must succeed. */
    const call = <M extends MethodName>(method: M, input: Input<M>, token: string | null): Output<M> => {
      const r = clinic.router.call(method, input, token) as Result<Output<M>>;
      if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
      return r.value;
    };
    const percentiles = (name: string, samples: number[], extra: Record<string, string | number | boolean> = {}) => {
      report({ name: `${name}.p50_ms`, value: round(percentile(samples, 50)), unit: 'ms', n: samples.length, ...extra });
      report({ name: `${name}.p95_ms`, value: round(percentile(samples, 95)), unit: 'ms', n: samples.length, ...extra });
    };
    createStaff(clinic);
    report({ name: 'bench.encrypted', value: isPlainSqliteFile(path.join(dir, 'clinic.db')) ? 0 : 1, unit: 'bool', bench: 'doctor' });
    const admin = call('auth.login', { username: ADMIN.username, password: ADMIN.password }, null).token;
    const desk = call('auth.login', { username: RECEPTIONIST.username, password: RECEPTIONIST.password }, null).token;
    const doctor = call('auth.login', { username: DOCTOR.username, password: DOCTOR.password }, null).token;

    // --- ICD-10 import --------------------------------------------------------------------
    log(`importing ${path.relative(ROOT, csv)}`);
    const started = process.hrtime.bigint();
    clinic.files.grants.grant(csv); // as if picked in the desktop app's Open dialog
    const job = call('reference.importIcd10', { path: csv }, admin);
    const finished = await clinic.jobs.wait(job.id);
    const importS = Number(process.hrtime.bigint() - started) / 1e9;
    if (finished.status !== 'done' || !finished.result) throw new Error(`the ICD-10 import failed: ${finished.message}`);
    const count = (key: string) => {
      const v = finished.result?.[key];
      return typeof v === 'number' ? v : Number.NaN;
    };
    const imported = count('imported');
    const rejected = count('rejected');
    report({ name: 'icd10.import_s', value: round(importS), unit: 's', n: imported + rejected, imported, rejected, codes: count('total') });
    clinic.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');

    // --- ICD-10 search --------------------------------------------------------------------
    const queries = buildQueries();
    const rng = createRng(SEED + 500);
    const search = (text: string) => call('reference.icd10Search', { query: text, limit: PICKER_LIMIT }, doctor);
    log(`search: ${queries.length} distinct queries (${KINDS.map((k) => `${queries.filter((q) => q.kind === k).length} ${k}`).join(', ')}); ${WARM_UP_ROUNDS} warm-up round, ${repeats} measured`);
    for (let r = 0; r < WARM_UP_ROUNDS; r++) for (const q of shuffled(queries, rng)) search(q.text);
    const order = shuffled(
      queries.flatMap((q) => Array.from({ length: repeats }, () => q)),
      rng,
    );
    const all: number[] = [];
    const byKind = new Map<Kind, number[]>(KINDS.map((k) => [k, []]));
    const byQuery = new Map<Query, number[]>(queries.map((q) => [q, []]));
    const empty = new Set<string>();
    for (const q of order) {
      const { ms, value } = timed(() => search(q.text));
      if (value.length === 0) empty.add(q.text);
      all.push(ms);
      byKind.get(q.kind)!.push(ms);
      byQuery.get(q)!.push(ms);
    }
    percentiles('icd10.search', all);
    report({ name: 'icd10.search.p99_ms', value: round(percentile(all, 99)), unit: 'ms', n: all.length });
    report({ name: 'icd10.search.max_ms', value: round(Math.max(...all)), unit: 'ms', n: all.length });
    for (const kind of KINDS) {
      const list = byKind.get(kind)!;
      report({ name: `icd10.search.${kind}.p95_ms`, value: round(percentile(list, 95)), unit: 'ms', n: list.length });
    }
    // The worst query is the one slowest in its median run (one slow call can be a pause of the process).
    const ranked = [...byQuery.entries()]
      .map(([q, ms]) => ({ q, median: percentile(ms, 50), max: Math.max(...ms) }))
      .sort((a, b) => b.median - a.median);
    const worst = ranked[0]!;
    report({
      name: 'icd10.search.worst_query_ms',
      value: round(worst.median),
      unit: 'ms',
      n: repeats,
      query: worst.q.text,
      kind: worst.q.kind,
      max_ms: round(worst.max),
    });
    log(`slowest queries (median): ${ranked.slice(0, 10).map((r) => `${r.q.kind}: "${r.q.text}" ${r.median.toFixed(2)} ms`).join('; ')}`);
    log(`${empty.size} of ${queries.length} queries found nothing: ${[...empty].map((t) => `"${t}"`).join(', ')}`);

    // --- Consultations --------------------------------------------------------------------
    const doctorId = call('doctors.list', {}, desk).find((d) => d.fullName === DOCTOR.fullName)?.userId;
    if (!doctorId) throw new Error('the doctor is missing');
    const patientIds: string[] = [];
    for (const patient of newPatientInputs(visitCount, SEED + 600)) {
      let r = call('patients.register', { patient, acknowledgeDuplicates: [] }, desk);
      if (r.status === 'duplicates') r = call('patients.register', { patient, acknowledgeDuplicates: r.candidates.map((c) => c.id) }, desk);
      if (r.status !== 'registered') throw new Error('registering a patient failed');
      patientIds.push(r.patient.id);
    }
    // The diagnoses each presentation ends with, as picked from the search (not measured again).
    const diagnosesOf = new Map<Presentation, ConsultationNote['diagnoses']>(
      PRESENTATIONS.map((p) => [
        p,
        p.diagnoses.map((text) => {
          const hit = search(text)[0];
          return hit ? { code: hit.code, title: hit.title, note: null } : { code: null, title: text, note: null };
        }),
      ]),
    );

    const noteRng = createRng(SEED + 700);
    const saveMs: number[] = [];
    const firstSaveMs: number[] = [];
    const callNextMs: number[] = [];
    const getMs: number[] = [];
    const completeMs: number[] = [];
    const checkInMs: number[] = [];
    let noteBytes = 0;
    let arrived = 0;
    const arrive = () => {
      if (arrived >= patientIds.length) return;
      const patientId = patientIds[arrived++]!;
      checkInMs.push(timed(() => call('queue.checkIn', { patientId, doctorId }, desk)).ms);
    };
    while (arrived < Math.min(INITIAL_QUEUE, patientIds.length)) arrive();
    log(`consultations: ${visitCount} visits, about 10 autosaves each`);
    for (let v = 0; v < visitCount; v++) {
      const next = timed(() => call('queue.callNext', {}, doctor));
      callNextMs.push(next.ms);
      const visitId = next.value.visitId;
      getMs.push(timed(() => call('consultations.get', { visitId }, doctor)).ms);
      const presentation = noteRng.pick(PRESENTATIONS);
      const versions = noteVersions(presentation, diagnosesOf.get(presentation)!, noteRng, 8 + noteRng.int(5));
      versions.forEach((note, i) => {
        const { ms } = timed(() => call('consultations.save', { visitId, note }, doctor));
        saveMs.push(ms);
        if (i === 0) firstSaveMs.push(ms);
        noteBytes = Math.max(noteBytes, JSON.stringify(note).length);
      });
      completeMs.push(timed(() => call('consultations.complete', { visitId }, doctor)).ms);
      arrive();
    }
    percentiles('consultations.save', saveMs, { visits: visitCount, max_note_bytes: noteBytes });
    report({ name: 'consultations.save.max_ms', value: round(Math.max(...saveMs)), unit: 'ms', n: saveMs.length });
    report({ name: 'consultations.save.first.p95_ms', value: round(percentile(firstSaveMs, 95)), unit: 'ms', n: firstSaveMs.length });
    report({ name: 'consultations.get.p95_ms', value: round(percentile(getMs, 95)), unit: 'ms', n: getMs.length });
    report({ name: 'queue.callNext.p95_ms', value: round(percentile(callNextMs, 95)), unit: 'ms', n: callNextMs.length });
    report({ name: 'consultations.complete.p95_ms', value: round(percentile(completeMs, 95)), unit: 'ms', n: completeMs.length });
    report({ name: 'queue.checkIn.doctor_day.p95_ms', value: round(percentile(checkInMs, 95)), unit: 'ms', n: checkInMs.length });
  } finally {
    app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
