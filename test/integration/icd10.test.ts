import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClinicEvent } from '../../electron/bridge';
import type { JobView } from '../../electron/services/jobs';
import { ADMIN, makeClinic, type TestClinic } from '../helpers/app';
import { tempDir } from '../helpers/temp';

/** The full ICD-10-CM list the app ships (76,423 codes), gzipped. */
const FULL_LIST = path.resolve('resources/reference/icd10cm_codes.csv.gz');
const FULL_ROWS = 76_423;

interface Clinic {
  c: TestClinic;
  admin: string;
  doctor: string;
}

/** Admin and doctor logins cost scrypt hashes: done once, then each test opens a copy of the file. */
function snapshot(c: TestClinic): Buffer {
  c.app.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  return fs.readFileSync(c.app.dbFile);
}

function openCopy(file: Buffer, tokens: Omit<Clinic, 'c'>): Clinic {
  const dataDir = tempDir();
  fs.writeFileSync(path.join(dataDir, 'clinic.db'), file);
  return { c: makeClinic({ setup: false, dataDir }), ...tokens };
}

let fresh: { file: Buffer; tokens: Omit<Clinic, 'c'> } | undefined;

/** A set-up clinic with only the starter list. */
function freshClinic(): Clinic {
  if (!fresh) {
    const c = makeClinic();
    const admin = c.login('admin', ADMIN.password);
    c.ok('staff.create', { username: 'meera', fullName: 'Dr Meera Rao', password: 'meera-password', roles: ['doctor'] }, admin);
    const tokens = { admin, doctor: c.login('meera', 'meera-password') };
    fresh = { file: snapshot(c), tokens };
  }
  return openCopy(fresh.file, fresh.tokens);
}

const search = (k: Clinic, query: string, limit?: number) =>
  k.c.ok('reference.icd10Search', limit ? { query, limit } : { query }, k.doctor).map((h) => h.code);

const count = (k: Clinic) => k.c.ok('reference.icd10Count', {}, k.doctor).codes;

/** Starts an import of a file (or, given 'shipped', of the list shipped with the app) as the administrator and waits for it. */
async function importFile(k: Clinic, file: string): Promise<{ started: JobView; finished: JobView; events: JobView[] }> {
  const events: JobView[] = [];
  const off = k.c.app.onEvent((e: ClinicEvent) => {
    if (e.event === 'progress') events.push(e.payload as JobView);
  });
  try {
    if (file !== 'shipped' && fs.existsSync(file)) k.c.pick(file);
    const started = file === 'shipped' ? k.c.ok('reference.loadShipped', { lists: ['icd10'] }, k.admin) : k.c.ok('reference.importIcd10', { path: file }, k.admin);
    const finished = await k.c.app.jobs.wait(started.id);
    return { started, finished, events };
  } finally {
    off();
  }
}

function csvFile(content: string): string {
  const file = path.join(tempDir('icd10-csv-'), 'codes.csv');
  fs.writeFileSync(file, content);
  return file;
}

describe('the starter list', () => {
  it('is there on a fresh database, searchable by title words and by code', () => {
    const k = freshClinic();
    expect(count(k)).toBeGreaterThan(100);
    expect(search(k, 'hypert')).toContain('I10');
    expect(k.c.ok('reference.icd10Search', { query: 'hypert' }, k.doctor)[0]).toEqual({ code: 'I10', title: 'Essential (primary) hypertension', billable: true });
    expect(search(k, 'J06')).toContain('J06.9');
    expect(search(k, 'j06.9')).toEqual(['J06.9']);
    expect(search(k, 'fever dengue')).toContain('A90');
    expect(search(k, '   ')).toEqual([]);
    expect(search(k, 'zzqx')).toEqual([]);
  });
});

describe('importing ICD-10 codes', () => {
  it('refuses a file that is not there, and anyone but the administrator', () => {
    const k = freshClinic();
    const missing = k.c.call('reference.importIcd10', { path: path.join(tempDir(), 'nope.csv') }, k.admin);
    expect(missing).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { path: 'File not found or not readable' } } });
    expect(k.c.call('reference.importIcd10', { path: tempDir() }, k.admin)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(k.c.call('reference.importIcd10', { path: '' }, k.admin)).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { path: 'Choose the CSV file' } } });
    expect(k.c.call('reference.importIcd10', { path: FULL_LIST }, k.doctor)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(k.c.app.jobs.list()).toEqual([]);
  });

  it('fails a file with a missing column, with a message naming it, and imports nothing', async () => {
    const k = freshClinic();
    const before = count(k);
    const file = csvFile('code,title,category,billable\nZ99.89,Dependence on other enabling machines and devices,Z99,Y\n');
    const { finished } = await importFile(k, file);
    expect(finished.status).toBe('failed');
    expect(finished.message).toBe(`${file} has no chapter column(s). Expected: code,title,category,chapter`);
    expect(k.c.ok('jobs.get', { jobId: finished.id }, k.admin)).toMatchObject({ status: 'failed', message: finished.message });
    expect(count(k)).toBe(before);
    expect(search(k, 'Z99.89')).toEqual([]);
    // Even a file with nothing but a header is checked.
    const headerOnlyFile = csvFile('code,title\n');
    const headerOnly = await importFile(k, headerOnlyFile);
    expect(headerOnly.finished).toMatchObject({ status: 'failed', message: `${headerOnlyFile} has no category, chapter column(s). Expected: code,title,category,chapter` });
  });

  it('skips bad rows and reports them by line number, importing the rest', async () => {
    const k = freshClinic();
    const before = count(k);
    const file = csvFile(
      [
        'code,title,category,chapter,billable',
        'Z99.0,Dependence on aspirator', // line 2: the row was cut short
        'Z99.89,Dependence on other enabling machines and devices,Z99,21,Y',
        'BAD!,Not a code,BAD,21,Y', // line 4
        'Z99.81,Dependence on supplemental oxygen,Z99,21,Y',
        'Z99.3,,Z99,21,Y', // line 6: no title
        'Z99.2,Dependence on renal dialysis,Z99,twenty-one,Y', // line 7: chapter not a number
        'Z99.4,Dependence on artificial heart,Z99,,Y', // line 8: no chapter
        'z99.11,"Dependence on respirator [ventilator] status, lowercase code",Z99,21,Y',
        'Z99,Dependence on enabling machines and devices,Z99,21,N',
        '', // line 11: blank
        'Z99.12,Encounter for respirator dependence during power failure,Z99,21,Y',
        'Z9.1,Too short a code,Z9,21,Y', // line 13
      ].join('\n') + '\n',
    );
    const { finished } = await importFile(k, file);
    expect(finished.status).toBe('done');
    expect(finished.result).toEqual({
      imported: 5,
      rejected: 6,
      rejectedExamples: ['line 2: Z99.0', 'line 4: BAD!', 'line 6: Z99.3', 'line 7: Z99.2', 'line 8: Z99.4', 'line 13: Z9.1'],
      total: before + 5,
    });
    expect(search(k, 'Z99', 50)).toEqual(['Z99', 'Z99.11', 'Z99.12', 'Z99.81', 'Z99.89']);
    expect(k.c.ok('reference.icd10Search', { query: 'Z99' }, k.doctor)[0]).toMatchObject({ code: 'Z99', billable: false });
    expect(search(k, 'supplemental oxygen')).toEqual(['Z99.81']);
  });
});

describe('importing a gzipped CSV (.gz)', () => {
  it('reads it through gunzip, with progress in the bytes of the file itself', async () => {
    const k = freshClinic();
    const before = count(k);
    const file = path.join(tempDir('icd10-gz-'), 'codes.csv.gz');
    fs.writeFileSync(file, zlib.gzipSync('code,title,category,chapter,billable\nZ99.89,Dependence on other enabling machines and devices,Z99,21,Y\nBAD!,Not a code,BAD,21,Y\n'));
    const { finished, events } = await importFile(k, file);
    expect(finished).toMatchObject({ status: 'done', result: { imported: 1, rejected: 1, rejectedExamples: ['line 3: BAD!'], total: before + 1 } });
    expect(events.at(-1)).toMatchObject({ done: fs.statSync(file).size, total: fs.statSync(file).size });
    expect(search(k, 'enabling machines')).toContain('Z99.89');
  });

  it('fails a .gz file that is not gzip, or is cut short, with a message that quotes nothing from it, and imports nothing', async () => {
    const k = freshClinic();
    const before = count(k);
    const dir = tempDir('icd10-badgz-');
    const notGzip = path.join(dir, 'secret.csv.gz');
    fs.writeFileSync(notGzip, 'code,title,category,chapter\nroot:x:0:0:secret\n');
    const cut = path.join(dir, 'cut.csv.gz');
    // Fewer rows than one batch, so nothing is written before the cut is reached.
    const whole = zlib.gzipSync(['code,title,category,chapter', ...Array.from({ length: 300 }, (_, i) => `Z99.${i},Title ${i},Z99,21`)].join('\n'));
    fs.writeFileSync(cut, whole.subarray(0, whole.length - 100));
    for (const file of [notGzip, cut]) {
      const { finished } = await importFile(k, file);
      expect(finished, file).toMatchObject({ status: 'failed', message: 'This is not a gzip file the app can read (.gz). Check that it is the right file.' });
    }
    expect(count(k)).toBe(before);
  });
});

describe('the full ICD-10-CM list', () => {
  let imported: { file: Buffer; tokens: Omit<Clinic, 'c'>; started: JobView; finished: JobView; events: JobView[]; starterOnly: string[]; starterCount: number };

  beforeAll(async () => {
    const k = freshClinic();
    const starter = k.c.app.database.sqlite.prepare('SELECT code FROM icd10_codes').pluck().all() as string[];
    const inFile = new Set(zlib.gunzipSync(fs.readFileSync(FULL_LIST)).toString('utf8').split('\n').slice(1).map((l) => l.split(',')[0]));
    const run = await importFile(k, 'shipped');
    imported = { file: snapshot(k.c), tokens: { admin: k.admin, doctor: k.doctor }, ...run, starterOnly: starter.filter((c) => !inFile.has(c)), starterCount: starter.length };
  });

  const openImported = () => openCopy(imported.file, imported.tokens);

  it('loads every code the app ships in the background, reporting progress', () => {
    const { started, finished, events, starterOnly } = imported;
    expect(started).toMatchObject({ kind: 'reference.loadShipped', status: 'running', finishedAt: null });
    expect(finished).toMatchObject({ id: started.id, status: 'done', message: 'Finished' });
    expect(finished.result?.icd10).toMatchObject({ imported: FULL_ROWS, rejected: 0, rejectedExamples: [] });
    // The starter codes the official list does not have (older or Indian-usage codes) are kept beside it.
    expect(finished.result?.icd10).toMatchObject({ total: FULL_ROWS + starterOnly.length });
    expect(Object.keys(finished.result ?? {})).toEqual(['icd10']);

    const size = fs.statSync(FULL_LIST).size;
    const progress = events.filter((e) => e.id === started.id && e.status === 'running');
    expect(progress.length).toBeGreaterThanOrEqual(1);
    for (const e of progress) {
      expect(e.total).toBe(size);
      expect(e.done).toBeGreaterThan(0);
      expect(e.done).toBeLessThanOrEqual(size);
      expect(e.message).toMatch(/^ICD-10-CM: [\d,]+ codes$/);
    }
    expect(events.at(-1)).toMatchObject({ id: started.id, status: 'done', done: size, total: size });

    const k = openImported();
    expect(count(k)).toBe(FULL_ROWS + starterOnly.length);
  });

  it('finds codes by title words in any order and by code prefix', () => {
    const k = openImported();
    const diabetes = k.c.ok('reference.icd10Search', { query: 'type 2 diab' }, k.doctor);
    expect(diabetes).toHaveLength(15);
    expect(diabetes.filter((h) => h.code.startsWith('E11')).length).toBeGreaterThanOrEqual(12);
    expect(diabetes.slice(0, 5).map((h) => h.code)).toContain('E11.9');
    expect(search(k, 'diab 2 type').slice(0, 5)).toContain('E11.9');

    const e116 = search(k, 'E11.6', 50);
    expect(e116).toHaveLength(12);
    expect(e116.every((code) => code.startsWith('E11.6'))).toBe(true);
    expect(e116).toEqual(expect.arrayContaining(['E11.65', 'E11.649', 'E11.621', 'E11.69']));

    expect(search(k, 'hypert')[0]).toBe('I10');
    expect(search(k, 'J06')).toContain('J06.9');
    expect(search(k, 'cholera')).toEqual(expect.arrayContaining(['A00.0', 'A00.1', 'A00.9']));
    expect(search(k, 'A00', 50)).toEqual(['A00', 'A00.0', 'A00.1', 'A00.9']);
  });

  it('finds American titles by their British spelling, and the starter list\'s British titles by the American one', () => {
    const k = openImported();
    expect(search(k, 'anaemia unspec')).toContain('D64.9');
    expect(search(k, 'iron deficiency anaem')).toContain('D50.9');
    expect(search(k, 'oesophagitis').some((c) => c.startsWith('K20'))).toBe(true);
    expect(search(k, 'diarrhoea')).toContain('R19.7');
    expect(search(k, 'haemorrhoids').some((c) => c.startsWith('K64'))).toBe(true);
    expect(search(k, 'localised oedema')).toContain('R60.0');
    // Neither spelling shuts out the other.
    expect(search(k, 'anemia unspec')).toContain('D64.9');
  });

  it('changes nothing when the same file is imported again', async () => {
    const k = openImported();
    const sqlite = k.c.app.database.sqlite;
    const before = count(k);
    const rows = () => sqlite.prepare('SELECT id, code, title, category, chapter, billable, common FROM icd10_codes ORDER BY id').all();
    const snapshotRows = JSON.stringify(rows());
    const changes = () => sqlite.prepare('SELECT total_changes()').pluck().get() as number;

    const events: JobView[] = [];
    const off = k.c.app.onEvent((e) => {
      if (e.event === 'progress') events.push(e.payload as JobView);
    });
    k.c.pick(FULL_LIST);
    const started = k.c.ok('reference.importIcd10', { path: FULL_LIST }, k.admin);
    const changesBefore = changes();
    const finished = await k.c.app.jobs.wait(started.id);
    off();
    expect(finished.status).toBe('done');
    expect(finished.result).toMatchObject({ rejected: 0, total: before });
    expect(changes() - changesBefore).toBe(0);
    expect(count(k)).toBe(before);
    expect(JSON.stringify(rows())).toBe(snapshotRows);
    expect(search(k, 'type 2 diab').slice(0, 5)).toContain('E11.9');
  });

  it('updates a code whose title changed, searchable by the new title only', async () => {
    const k = openImported();
    const before = count(k);
    expect(search(k, 'biovar').sort()).toEqual(['A00.0', 'A00.1']);
    const file = csvFile('code,title,category,chapter,billable\nA00.0,"Cholera, classical biotype",A00,1,Y\n');
    const { finished } = await importFile(k, file);
    expect(finished.result).toMatchObject({ imported: 1, rejected: 0, total: before });
    expect(search(k, 'biovar')).toEqual(['A00.1']);
    expect(k.c.ok('reference.icd10Search', { query: 'classical biotype' }, k.doctor)).toEqual([{ code: 'A00.0', title: 'Cholera, classical biotype', billable: true }]);
  });
});
