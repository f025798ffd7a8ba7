import type Database from '../../db/sqlite';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Input, MethodName, Output } from '../../electron/api';
import type { Result } from '../../shared/api';
import { createClinicApp, type ClinicApp } from '../../electron/app';
import { displayName, markNameIndexCurrent, nameIndexText, reversedDigits } from '../../electron/services/patient-search';
import { formatHlc } from '../../shared/hlc';
import { CHRONIC, COMMUNITIES, LOCALITIES, OCCUPATIONS, type Community } from './names';

/**
 * The benchmark's clinic: a deterministic million-patient database, built once and cached under
 * .bench-cache/ by version. Staff and the doctor are created through the real router; patients are
 * bulk-inserted straight into `patients`, `patient_search` and `patient_fts` (the same columns and
 * name normalisation as services/patient-search.ts `indexPatient`), without change_log rows.
 *
 * Bump SEED_VERSION whenever what is generated, or how it is indexed, changes.
 */
export const SEED_VERSION = 'v2';
/**
 * The benchmark database is encrypted as every installed one is (SQLCipher pages, electron/keys.ts),
 * with a fixed key of its own so the cached file opens again in later runs.
 */
export const BENCH_DB_KEY = createHash('sha256').update('clinic bench database key').digest();
export const SEED = 20261121;
export const DEFAULT_PATIENTS = 1_000_000;

/** The seeded history ends here (2026-11-21 00:00 UTC); the benchmark's clinic day follows it. */
export const SEED_END = Date.UTC(2026, 10, 21);
const SEED_START = Date.UTC(2016, 0, 1);
const DAY = 86_400_000;

export const ADMIN = { username: 'admin', fullName: 'Asha Sharma', password: 'bench admin password' };
export const RECEPTIONIST = { username: 'reception', fullName: 'Rita Dsouza', password: 'bench reception password' };
export const DOCTOR = { username: 'dr.rao', fullName: 'Dr Meera Rao', password: 'bench doctor password' };

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CACHE_DIR = path.join(ROOT, '.bench-cache');

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

/** sfc32 seeded through splitmix32: fast, small state, and the same sequence on every machine. */
export function createRng(seed: number): Rng {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  const rng: Rng = {
    next,
    int: (n) => Math.floor(next() * n),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
  return rng;
}

/** Picks from a list ordered most-common-first with Zipf-like weights 1/(rank+1)^s. */
export class Zipf<T> {
  private readonly cumulative: Float64Array;
  constructor(
    readonly items: readonly T[],
    s: number,
  ) {
    this.cumulative = new Float64Array(items.length);
    let total = 0;
    items.forEach((_, i) => {
      total += 1 / (i + 1) ** s;
      this.cumulative[i] = total;
    });
    for (let i = 0; i < items.length; i++) this.cumulative[i]! /= total;
  }
  pick(rng: Rng): T {
    const u = rng.next();
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}

function weighted<T>(rng: Rng, options: readonly (readonly [T, number])[]): T {
  let u = rng.next() * options.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, w] of options) {
    u -= w;
    if (u < 0) return value;
  }
  return options[options.length - 1]![0];
}

/** A UUIDv7 for a given time whose random bits come from the seeded generator. */
export function seededUuidV7(ms: number, rng: Rng): string {
  const hex = (n: number, digits: number) => n.toString(16).padStart(digits, '0');
  const time = hex(ms, 12);
  const randA = hex(rng.int(0x1000), 3);
  const variant = hex(0x8000 | rng.int(0x4000), 4);
  const tail = hex(rng.int(0x1000000), 6) + hex(rng.int(0x1000000), 6);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${randA}-${variant}-${tail}`;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------------
// People

export type SeedGender = 'male' | 'female' | 'other';

export interface PersonName {
  givenName: string;
  familyName: string | null;
}

interface CommunityPickers {
  community: Community;
  male: Zipf<string>;
  female: Zipf<string>;
  family: Zipf<string>;
  maleFamily: Zipf<string> | null;
  femaleFamily: Zipf<string> | null;
  maleMiddle: Zipf<string> | null;
  femaleMiddle: Zipf<string> | null;
}

/** Makes names, households and people for one community mix; used by the seed and by the benchmark's new registrations. */
export class PeopleGenerator {
  private readonly pickers: CommunityPickers[];
  private readonly communityWeights: (readonly [number, number])[];

  constructor(private readonly rng: Rng) {
    this.pickers = COMMUNITIES.map((c) => ({
      community: c,
      male: new Zipf(c.male, 0.85),
      female: new Zipf(c.female, 0.85),
      family: new Zipf(c.family, 1.0),
      maleFamily: c.maleFamily ? new Zipf(c.maleFamily.names, 1) : null,
      femaleFamily: c.femaleFamily ? new Zipf(c.femaleFamily.names, 1) : null,
      maleMiddle: c.maleMiddle ? new Zipf(c.maleMiddle.names, 1) : null,
      femaleMiddle: c.femaleMiddle ? new Zipf(c.femaleMiddle.names, 1) : null,
    }));
    this.communityWeights = COMMUNITIES.map((c, i) => [i, c.weight] as const);
  }

  get communities(): readonly Community[] {
    return COMMUNITIES;
  }

  pickCommunity(): number {
    return weighted(this.rng, this.communityWeights);
  }

  /** A household's shared family name (or initial). */
  householdFamily(communityIdx: number): string | null {
    const p = this.pickers[communityIdx]!;
    const c = p.community;
    if (c.single && this.rng.chance(c.single)) return null;
    if (c.initials && this.rng.chance(c.initials)) return 'KSRMPVGNAB'[this.rng.int(10)]!;
    return p.family.pick(this.rng);
  }

  name(communityIdx: number, gender: SeedGender, household: string | null): PersonName {
    const p = this.pickers[communityIdx]!;
    const c = p.community;
    const female = gender === 'female' || (gender === 'other' && this.rng.chance(0.5));
    let given = (female ? p.female : p.male).pick(this.rng);
    let family = household;
    const special = female ? c.femaleFamily : c.maleFamily;
    const specialPicker = female ? p.femaleFamily : p.maleFamily;
    if (family !== null && family.length > 1 && special && specialPicker && this.rng.chance(special.p)) {
      family = specialPicker.pick(this.rng);
    }
    const middle = female ? c.femaleMiddle : c.maleMiddle;
    const middlePicker = female ? p.femaleMiddle : p.maleMiddle;
    if (middle && middlePicker && this.rng.chance(middle.p)) {
      const m = middlePicker.pick(this.rng);
      if (m !== family && m !== given) given = middle.before ? `${m} ${given}` : `${given} ${m}`;
    }
    return { givenName: given, familyName: family };
  }

  /** An Indian mobile: 10 digits starting 6-9 (as a number; 0 is never a mobile). */
  mobile(): number {
    return (6 + this.rng.int(4)) * 1e9 + this.rng.int(1e9);
  }

  /** A 14-digit ABHA number (as a number). */
  abhaNumber(): number {
    return 91e12 + this.rng.int(1e6) * 1e6 + this.rng.int(1e6);
  }
}

const AGE_BANDS: (readonly [readonly [number, number], number])[] = [
  [[0, 4], 9],
  [[5, 14], 13],
  [[15, 24], 14],
  [[25, 34], 16],
  [[35, 44], 14],
  [[45, 54], 12],
  [[55, 64], 11],
  [[65, 74], 7],
  [[75, 84], 3.5],
  [[85, 95], 0.5],
];

export function randomAge(rng: Rng): number {
  const [lo, hi] = weighted(rng, AGE_BANDS);
  return lo + rng.int(hi - lo + 1);
}

// ---------------------------------------------------------------------------------------------
// The patient population, generated household by household into compact arrays

interface Population {
  n: number;
  names: string[];
  given: Int32Array;
  /** -1: no family name */
  family: Int32Array;
  gender: Uint8Array;
  community: Uint8Array;
  city: Uint8Array;
  /** Date of birth in days since 1970-01-01. */
  dobDay: Int32Array;
  dobEstimated: Uint8Array;
  /** 0: none */
  mobile: Float64Array;
  abha: Float64Array;
  abhaAddress: Map<number, string>;
  registeredAt: Float64Array;
  /** 0: never visited after registering */
  lastVisitAt: Float64Array;
}

const GENDERS: SeedGender[] = ['male', 'female', 'other'];

function generatePopulation(n: number, rng: Rng): Population {
  const people = new PeopleGenerator(rng);
  const names: string[] = [];
  const nameIdx = new Map<string, number>();
  const intern = (s: string) => {
    let i = nameIdx.get(s);
    if (i === undefined) {
      i = names.length;
      names.push(s);
      nameIdx.set(s, i);
    }
    return i;
  };
  const pop: Population = {
    n,
    names,
    given: new Int32Array(n),
    family: new Int32Array(n),
    gender: new Uint8Array(n),
    community: new Uint8Array(n),
    city: new Uint8Array(n),
    dobDay: new Int32Array(n),
    dobEstimated: new Uint8Array(n),
    mobile: new Float64Array(n),
    abha: new Float64Array(n),
    abhaAddress: new Map(),
    registeredAt: new Float64Array(n),
    lastVisitAt: new Float64Array(n),
  };
  const usedAddresses = new Set<string>();
  const endDay = Math.floor(SEED_END / DAY);

  let i = 0;
  while (i < n) {
    const size = weighted(rng, [
      [1, 34],
      [2, 20],
      [3, 18],
      [4, 15],
      [5, 8],
      [6, 5],
    ] as const);
    const ci = people.pickCommunity();
    const community = COMMUNITIES[ci]!;
    const cityIdx = rng.int(community.cities.length);
    const household = people.householdFamily(ci);
    const headMobile = people.mobile();
    const headAge = size === 1 ? Math.max(1, randomAge(rng)) : 22 + rng.int(50);
    const headGender: SeedGender = rng.chance(0.55) ? 'male' : 'female';

    for (let m = 0; m < size && i < n; m++, i++) {
      let age: number;
      let gender: SeedGender;
      let mobile: number;
      if (m === 0) {
        age = headAge;
        gender = rng.chance(0.001) ? 'other' : headGender;
        mobile = rng.chance(0.04) ? 0 : headMobile;
      } else if (m === 1 && size > 2) {
        age = Math.max(18, Math.min(95, headAge + rng.int(11) - 5));
        gender = headGender === 'male' ? 'female' : 'male';
        mobile = rng.chance(0.55) ? people.mobile() : headMobile;
      } else if (rng.chance(0.15) && headAge + 20 <= 85) {
        age = headAge + 20 + rng.int(Math.min(15, 96 - headAge - 20));
        gender = rng.chance(0.5) ? 'male' : 'female';
        mobile = weighted(rng, [
          [headMobile, 70],
          [people.mobile(), 20],
          [0, 10],
        ] as const);
      } else {
        age = rng.int(Math.max(1, headAge - 18));
        gender = rng.chance(0.001) ? 'other' : rng.chance(0.5) ? 'male' : 'female';
        mobile = age >= 18 && rng.chance(0.5) ? people.mobile() : headMobile;
      }
      const name = people.name(ci, gender, household);

      // Registered some time in the last ten years (more recently more often: the clinic grew), and never before birth.
      const birthDay = endDay - Math.floor(age * 365.25) - rng.int(365);
      let registeredAt = SEED_START + Math.sqrt(rng.next()) * (SEED_END - SEED_START);
      if (registeredAt < birthDay * DAY) registeredAt = birthDay * DAY + rng.next() * (SEED_END - birthDay * DAY);
      registeredAt = Math.floor(registeredAt);
      let dobDay = birthDay;
      let estimated = 0;
      if (age >= 5 && rng.chance(0.2)) {
        // Only an age was given: the app estimates the same day, that many years before registration.
        const reg = new Date(registeredAt);
        const ageThen = Math.max(0, Math.floor((registeredAt - birthDay * DAY) / (365.25 * DAY)));
        const y = reg.getUTCFullYear() - ageThen;
        const mo = reg.getUTCMonth();
        const d = Math.min(reg.getUTCDate(), mo === 1 ? 28 : 31);
        dobDay = Math.floor(Date.UTC(y, mo, d) / DAY);
        estimated = 1;
      }

      pop.given[i] = intern(name.givenName);
      pop.family[i] = name.familyName === null ? -1 : intern(name.familyName);
      pop.gender[i] = GENDERS.indexOf(gender);
      pop.community[i] = ci;
      pop.city[i] = rng.chance(0.9) ? cityIdx : rng.int(community.cities.length);
      pop.dobDay[i] = dobDay;
      pop.dobEstimated[i] = estimated;
      pop.mobile[i] = mobile;
      pop.registeredAt[i] = registeredAt;
      pop.lastVisitAt[i] = rng.chance(0.65) ? Math.floor(registeredAt + rng.next() ** 0.7 * (SEED_END - registeredAt)) : 0;
      if (rng.chance(age >= 18 ? 0.3 : 0.12)) {
        pop.abha[i] = people.abhaNumber();
        if (rng.chance(0.5)) {
          const base = `${name.givenName}.${name.familyName ?? ''}`.toLowerCase().replace(/[^a-z.]/g, '').replace(/\.$/, '');
          let address: string;
          do address = `${base}${rng.int(10_000)}@abdm`;
          while (usedAddresses.has(address));
          usedAddresses.add(address);
          pop.abhaAddress.set(i, address);
        }
      }
    }
  }
  return pop;
}

// ---------------------------------------------------------------------------------------------
// Building the database

export interface SeedInfo {
  version: string;
  patients: number;
  seedSeconds: number;
  builtAt: string;
}

export interface SeededDatabase {
  file: string;
  info: SeedInfo;
  /** True when this call built it (otherwise it came from the cache). */
  built: boolean;
}

const BLOOD = ['O+', 'B+', 'A+', 'AB+', 'O-', 'B-', 'A-', 'AB-'] as const;
const BLOOD_W = BLOOD.map((b, i) => [b, [37, 32, 22, 7, 0.8, 0.6, 0.4, 0.2][i]!] as const);

/** The cached seeded database for `patients`, building it first if needed. */
export function ensureSeededDatabase(patients: number, log: (message: string) => void): SeededDatabase {
  const file = path.join(CACHE_DIR, `clinic-${SEED_VERSION}-${patients}-encrypted.db`);
  const infoFile = `${file}.json`;
  if (fs.existsSync(file) && fs.existsSync(infoFile)) {
    return { file, info: JSON.parse(fs.readFileSync(infoFile, 'utf8')) as SeedInfo, built: false };
  }
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const buildDir = fs.mkdtempSync(path.join(CACHE_DIR, 'build-'));
  try {
    const started = process.hrtime.bigint();
    log(`seeding ${patients.toLocaleString('en-IN')} patients (${SEED_VERSION}, seed ${SEED}) into ${buildDir}`);
    const built = buildDatabase(buildDir, patients, log);
    const seedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const info: SeedInfo = { version: SEED_VERSION, patients, seedSeconds: Math.round(seedSeconds * 10) / 10, builtAt: new Date().toISOString() };
    fs.renameSync(built, file);
    fs.writeFileSync(infoFile, `${JSON.stringify(info, null, 2)}\n`);
    log(`seeded in ${info.seedSeconds} s; cached at ${path.relative(ROOT, file)}`);
    return { file, info, built: true };
  } finally {
    fs.rmSync(buildDir, { recursive: true, force: true });
  }
}

function ok<M extends MethodName>(app: ClinicApp, method: M, input: Input<M>, token: string | null): Output<M> {
  const r = app.router.call(method, input, token) as Result<Output<M>>;
  if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
  return r.value;
}

/** Staff through the real router: the administrator, a receptionist and a doctor with a weekly timetable. */
export function createStaff(app: ClinicApp): void {
  ok(app, 'setup.initialize', { facility: { name: 'Sanjeevani Clinic', address: '14 Station Road, Pune 411001', phone: '020 2612 3456' }, admin: ADMIN }, null);
  const admin = ok(app, 'auth.login', { username: ADMIN.username, password: ADMIN.password }, null).token;
  ok(app, 'staff.create', { ...RECEPTIONIST, roles: ['receptionist'] }, admin);
  const doctor = ok(app, 'staff.create', { ...DOCTOR, roles: ['doctor'] }, admin);
  const sittings = [1, 2, 3, 4, 5, 6].flatMap((weekday) => [
    { weekday, start: '09:00', end: '13:00', slotMinutes: 10, maxPerSlot: 2, mode: 'in-person' as const },
    { weekday, start: '17:00', end: '20:00', slotMinutes: 10, maxPerSlot: 2, mode: 'in-person' as const },
  ]);
  ok(
    app,
    'doctors.upsert',
    {
      userId: doctor.id,
      specialization: 'General Medicine',
      qualifications: 'MBBS, MD (Medicine)',
      registrationCouncil: 'Maharashtra Medical Council',
      registrationNumber: 'MMC-2009-11873',
      consultationFeePaise: 50_000,
      followUpFeePaise: 20_000,
      followUpWindowDays: 7,
      languages: ['Marathi', 'Hindi', 'English'],
      schedule: sittings,
    },
    admin,
  );
  ok(app, 'auth.logout', {}, admin);
}

const BATCH = 10_000;

/** Builds the database in `dir` and returns the path of its closed, checkpointed file. */
function buildDatabase(dir: string, n: number, log: (message: string) => void): string {
  let clock = SEED_END - 30 * DAY;
  const app = createClinicApp({ dataDir: dir, key: BENCH_DB_KEY, now: () => (clock += 7) });
  try {
    createStaff(app);
    const sqlite = app.database.sqlite;
    sqlite.pragma('synchronous = OFF');
    sqlite.pragma('cache_size = -1048576');
    sqlite.pragma('temp_store = MEMORY');

    let t = process.hrtime.bigint();
    const lap = (what: string) => {
      const now = process.hrtime.bigint();
      log(`  ${what}: ${(Number(now - t) / 1e9).toFixed(1)} s`);
      t = now;
    };
    const pop = generatePopulation(n, createRng(SEED));
    lap('generated people');

    const byRegistration = sortedBy(n, pop.registeredAt);
    const ids = insertPatients(sqlite, app.deviceId, pop, byRegistration, log);
    lap('patients');
    const activity = new Float64Array(n);
    for (let i = 0; i < n; i++) activity[i] = pop.lastVisitAt[i] || pop.registeredAt[i]!;
    insertSearchIndex(sqlite, pop, ids, sortedBy(n, activity), log);
    lap('patient_search + patient_fts');
    sqlite.prepare("INSERT INTO number_series (name, last) VALUES ('mrn', ?) ON CONFLICT (name) DO UPDATE SET last = excluded.last").run(n);
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    lap('checkpoint');
  } finally {
    app.close();
  }
  return app.dbFile;
}

/** Indices 0..n-1 ordered by key (ties by index), as a typed array. */
function sortedBy(n: number, key: Float64Array): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order.sort((a, b) => key[a]! - key[b]! || a - b);
}

function insertPatients(
  sqlite: Database.Database,
  deviceId: string,
  pop: Population,
  order: Uint32Array,
  log: (message: string) => void,
): string[] {
  const rng = createRng(SEED + 1);
  const insert = sqlite.prepare(
    `INSERT INTO patients (id, created_at, updated_at, hlc, device_id, mrn, given_name, family_name, gender, dob, dob_estimated,
       mobile, email, address_line1, city, district, state, pincode, blood_group, chronic_conditions, marital_status, occupation,
       consent, consent_date, abha_number, abha_address, last_visit_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const ids: string[] = new Array<string>(pop.n);
  const batch = sqlite.transaction((from: number, to: number) => {
    for (let k = from; k < to; k++) {
      const i = order[k]!;
      const registeredAt = pop.registeredAt[i]!;
      const lastVisitAt = pop.lastVisitAt[i]! || null;
      const updatedAt = lastVisitAt ?? registeredAt;
      const id = seededUuidV7(registeredAt, rng);
      ids[i] = id;
      const given = pop.names[pop.given[i]!]!;
      const familyIdx = pop.family[i]!;
      const family = familyIdx < 0 ? null : pop.names[familyIdx]!;
      const city = COMMUNITIES[pop.community[i]!]!.cities[pop.city[i]!]!;
      const dob = isoDay(pop.dobDay[i]! * DAY);
      const age = Math.floor((SEED_END / DAY - pop.dobDay[i]!) / 365.25);
      const mobile = pop.mobile[i]! > 0 ? String(pop.mobile[i]) : null;
      const email = age >= 18 && rng.chance(0.06) ? `${given.split(' ')[0]!.toLowerCase()}${rng.int(1000)}@gmail.com` : null;
      const chronic = age >= 40 && rng.chance(0.25) ? JSON.stringify([...new Set([rng.pick(CHRONIC), rng.pick(CHRONIC)])].slice(0, 1 + rng.int(2))) : '[]';
      const consent = rng.chance(0.92);
      insert.run(
        id,
        registeredAt,
        updatedAt,
        formatHlc({ wallMs: updatedAt, counter: 0, deviceId }),
        deviceId,
        `A-${String(k + 1).padStart(6, '0')}`,
        given,
        family,
        GENDERS[pop.gender[i]!]!,
        dob,
        pop.dobEstimated[i]!,
        mobile,
        email,
        rng.chance(0.7) ? `${1 + rng.int(400)}, ${rng.pick(LOCALITIES)}` : null,
        city.city,
        city.district,
        city.state,
        rng.chance(0.6) ? `${city.pin}${String(rng.int(1000)).padStart(3, '0')}` : null,
        rng.chance(0.2) ? weighted(rng, BLOOD_W) : null,
        chronic,
        age >= 18 ? (rng.chance(0.75) ? 'married' : rng.chance(0.7) ? 'single' : 'widowed') : null,
        age >= 18 && rng.chance(0.4) ? rng.pick(OCCUPATIONS) : age >= 5 && age < 18 ? 'Student' : null,
        consent ? 1 : 0,
        consent ? isoDay(registeredAt) : null,
        pop.abha[i]! > 0 ? String(pop.abha[i]) : null,
        pop.abhaAddress.get(i) ?? null,
        lastVisitAt,
      );
    }
  });
  for (let from = 0; from < pop.n; from += BATCH) {
    batch(from, Math.min(pop.n, from + BATCH));
    if ((from / BATCH) % 20 === 19) log(`  patients ${(from + BATCH).toLocaleString('en-IN')}`);
  }
  return ids;
}

/** The search index in recency order (rank 1 = longest ago), exactly as indexPatient would have left it. */
function insertSearchIndex(
  sqlite: Database.Database,
  pop: Population,
  ids: string[],
  order: Uint32Array,
  log: (message: string) => void,
): void {
  const search = sqlite.prepare('INSERT INTO patient_search (rank, patient_id, mobile_rev) VALUES (?, ?, ?)');
  const fts = sqlite.prepare('INSERT INTO patient_fts (rowid, name, ph) VALUES (?, ?, ?)');
  const texts = new Map<string, { name: string; ph: string }>();
  const batch = sqlite.transaction((from: number, to: number) => {
    for (let k = from; k < to; k++) {
      const i = order[k]!;
      const rank = k + 1;
      const familyIdx = pop.family[i]!;
      const name = displayName({ givenName: pop.names[pop.given[i]!]!, familyName: familyIdx < 0 ? null : pop.names[familyIdx]! });
      let text = texts.get(name);
      if (!text) {
        text = nameIndexText(name);
        texts.set(name, text);
      }
      search.run(rank, ids[i]!, reversedDigits(pop.mobile[i]! > 0 ? String(pop.mobile[i]) : null));
      fts.run(rank, text.name, text.ph);
    }
  });
  for (let from = 0; from < pop.n; from += BATCH) {
    batch(from, Math.min(pop.n, from + BATCH));
    if ((from / BATCH) % 20 === 19) log(`  search index ${(from + BATCH).toLocaleString('en-IN')}`);
  }
  // Written as this build writes it: the app does not write it again at open.
  markNameIndexCurrent(sqlite);
}

export type NewPatient = Input<'patients.register'>['patient'];

/** New patients for the registration benchmark, from their own stream (so the seeded population is unaffected). */
export function newPatientInputs(count: number, seed: number): NewPatient[] {
  const rng = createRng(seed);
  const people = new PeopleGenerator(rng);
  const out: NewPatient[] = [];
  for (let k = 0; k < count; k++) {
    const ci = people.pickCommunity();
    const community = COMMUNITIES[ci]!;
    const gender: SeedGender = rng.chance(0.5) ? 'male' : 'female';
    const name = people.name(ci, gender, people.householdFamily(ci));
    const age = randomAge(rng);
    const city = rng.pick(community.cities);
    const byAge = rng.chance(0.3);
    const dob = isoDay(SEED_END - Math.floor(age * 365.25 + rng.int(365)) * DAY);
    out.push({
      givenName: name.givenName,
      familyName: name.familyName,
      gender,
      ...(byAge ? { ageYears: age } : { dob }),
      mobile: rng.chance(0.95) ? String(people.mobile()) : null,
      addressLine1: `${1 + rng.int(400)}, ${rng.pick(LOCALITIES)}`,
      city: city.city,
      district: city.district,
      state: city.state,
      pincode: `${city.pin}${String(rng.int(1000)).padStart(3, '0')}`,
      consent: true,
      ...(rng.chance(0.3) ? { abhaNumber: String(people.abhaNumber()) } : {}),
    });
  }
  return out;
}
