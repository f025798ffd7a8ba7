import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp';
import {
  bareClinic,
  failure,
  freshClinic,
  lgdClinic,
  openCopy,
  readCsv,
  runImport,
  shippedFile,
  shippedLgdFolder,
  shippedText,
  snapshot,
  type ImportRun,
  type RefClinic,
  type Snapshot,
} from './reference-fixtures';

const STATES = readCsv('lgd_states.csv');
const DISTRICTS = readCsv('lgd_districts.csv');
const SUBDISTRICTS = readCsv('lgd_subdistricts.csv');

const byName = <T extends { code: number; name: string }>(rows: T[]) =>
  [...rows].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.code - b.code));

/** What the district picker should offer for a state, straight from the CSV. */
const csvDistricts = (stateCode: number) =>
  byName(DISTRICTS.filter((r) => Number(r.state_code) === stateCode).map((r) => ({ code: Number(r.district_code), name: r.district_name! })));

const csvSubdistricts = (districtCode: number) =>
  byName(SUBDISTRICTS.filter((r) => Number(r.district_code) === districtCode).map((r) => ({ code: Number(r.subdistrict_code), name: r.subdistrict_name! })));

const tableCount = (k: RefClinic, table: string) => k.c.app.database.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

const values = (k: RefClinic, setName: string, parentCode?: string) =>
  k.c.ok('reference.valueSet', parentCode === undefined ? { setName } : { setName, parentCode }, k.reception);

/** A folder of small LGD files (header + given lines). */
function lgdFolder(files: { states: string[]; districts: string[]; subdistricts: string[] }): string {
  const dir = tempDir('lgd-');
  fs.writeFileSync(path.join(dir, 'lgd_states.csv'), ['state_code,state_name', ...files.states].join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'lgd_districts.csv'), ['district_code,district_name,state_code', ...files.districts].join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'lgd_subdistricts.csv'), ['subdistrict_code,subdistrict_name,district_code,state_code', ...files.subdistricts].join('\n') + '\n');
  return dir;
}

describe('reference data on a fresh database', () => {
  it('has the whole LGD directory the app ships, loaded as the app opened, with no job and nobody asking', () => {
    const k = freshClinic();
    expect(tableCount(k, 'lgd_states')).toBe(36);
    expect(tableCount(k, 'lgd_districts')).toBe(784);
    expect(tableCount(k, 'lgd_subdistricts')).toBe(7074);
    expect(k.c.app.jobs.list()).toEqual([]);
    expect(k.c.ok('reference.lgdStates', {}, k.reception).find((s) => s.code === 1)?.name).toBe('Jammu And Kashmir');
    expect(k.c.ok('reference.lgdDistricts', { stateCode: 27 }, k.reception)).toEqual(csvDistricts(27));
    expect(k.c.ok('reference.lgdSubdistricts', { districtCode: 490 }, k.reception)).toEqual(csvSubdistricts(490));
  });

  it('without the shipped lists (a broken install), still lists all 36 states and union territories with their LGD codes, by name', () => {
    const k = bareClinic();
    expect(tableCount(k, 'lgd_districts')).toBe(0);
    const states = k.c.ok('reference.lgdStates', {}, k.reception);
    expect(states).toHaveLength(36);
    expect(states.map((s) => s.code).sort((a, b) => a - b)).toEqual(STATES.map((r) => Number(r.state_code)).sort((a, b) => a - b));
    const and = (name: string) => name.replace(/\b[Aa]nd\b/g, 'and');
    for (const s of states) {
      const row = STATES.find((r) => Number(r.state_code) === s.code);
      expect(and(s.name), `state ${s.code}`).toBe(and(row!.state_name!));
    }
    expect(states.map((s) => s.name)).toEqual([...states.map((s) => s.name)].sort());
    expect(states.find((s) => s.name === 'Maharashtra')).toEqual({ code: 27, name: 'Maharashtra' });
  });

  it('offers the registry value sets, sub-types by their parent', () => {
    const k = freshClinic();
    expect(values(k, 'ownership')).toEqual([
      { code: 'G', label: 'Government', parentCode: null },
      { code: 'P', label: 'Private', parentCode: null },
      { code: 'PP', label: 'Public-private partnership', parentCode: null },
    ]);
    expect(values(k, 'ownership_subtype', 'G').map((v) => [v.code, v.label])).toEqual([
      ['C', 'Central Government'],
      ['S', 'State Government'],
    ]);
    expect(values(k, 'ownership_subtype', 'P').map((v) => [v.code, v.label])).toEqual([
      ['P', 'Private: for profit'],
      ['NP', 'Private: not for profit'],
    ]);
    expect(values(k, 'ownership_subtype', 'PP')).toEqual([]);

    const systems = values(k, 'system_of_medicine');
    expect(systems.map((v) => v.code)).toEqual(['M', 'A', 'U', 'S', 'H', 'Y', 'SR', 'D']);
    expect(systems[0]).toEqual({ code: 'M', label: 'Modern Medicine (Allopathy)', parentCode: null });

    expect(values(k, 'facility_type').map((v) => v.code)).toEqual(['CLINIC', 'HOSP', 'LAB', 'IMG', 'PHARM', 'HWC']);
    expect(values(k, 'facility_subtype', 'CLINIC').map((v) => v.code)).toEqual(['GP', 'POLY', 'SPEC', 'DENTAL']);
    expect(values(k, 'facility_subtype', 'HOSP').map((v) => v.code)).toEqual(['GEN', 'MULTI', 'NURSING']);
    expect(values(k, 'facility_subtype', 'HWC')).toEqual([]);
    expect(values(k, 'operational_status').map((v) => v.code)).toEqual(['F', 'NF', 'UC']);

    const specialities = values(k, 'speciality');
    expect(specialities).toHaveLength(21);
    expect(specialities.slice(0, 2).map((v) => [v.code, v.label])).toEqual([
      ['GM', 'General Medicine'],
      ['FM', 'Family Medicine'],
    ]);
    expect(specialities.map((v) => v.code)).toEqual(expect.arrayContaining(['PED', 'OBG', 'DERM', 'ENT', 'CARD', 'DENT']));

    const councils = values(k, 'registration_council');
    expect(councils).toHaveLength(31);
    expect(councils[0]).toMatchObject({ code: 'NMC', label: 'National Medical Commission (Indian Medical Register)' });
    expect(councils.find((v) => v.code === 'MMC')?.label).toBe('Maharashtra Medical Council');
    expect(councils.find((v) => v.code === 'TCMC')?.label).toBe('Travancore-Cochin Medical Council (Kerala)');

    expect(values(k, 'no_such_set')).toEqual([]);
  });

  it('finds no post offices before the pincode directory is imported (the form then asks for it)', () => {
    const k = freshClinic();
    expect(k.c.ok('reference.pincode', { pincode: '411001' }, k.reception)).toEqual({
      pincode: '411001',
      offices: [],
      district: null,
      state: null,
      latitude: null,
      longitude: null,
    });
  });
});

describe('importing the LGD directory', () => {
  let imported: Snapshot;
  let run: ImportRun;

  beforeAll(async () => {
    ({ snapshot: imported, run } = await lgdClinic());
  });

  it('loads every state, district and sub-district in the background, reporting progress', () => {
    const { started, finished, events } = run;
    expect(started).toMatchObject({ kind: 'reference.importLgd', status: 'running', finishedAt: null });
    expect(finished).toMatchObject({ id: started.id, status: 'done', message: 'Finished' });
    expect(finished.result).toEqual({
      states: { imported: 36, rejected: 0, rejectedExamples: [] },
      districts: { imported: 784, rejected: 0, rejectedExamples: [] },
      subdistricts: { imported: 7074, rejected: 0, rejectedExamples: [] },
    });

    const progress = events.filter((e) => e.id === started.id && e.status === 'running');
    expect(progress.length).toBeGreaterThanOrEqual(1);
    for (const e of progress) {
      expect(e.total).toBeGreaterThan(0);
      expect(e.done).toBeGreaterThan(0);
      expect(e.done).toBeLessThanOrEqual(e.total!);
      expect(e.message).toMatch(/^[\d,]+ (states|districts|sub-districts)$/);
    }
    expect(events.at(-1)).toMatchObject({ id: started.id, status: 'done', message: 'Finished' });

    const k = openCopy(imported);
    expect(tableCount(k, 'lgd_states')).toBe(36);
    expect(tableCount(k, 'lgd_districts')).toBe(784);
    expect(tableCount(k, 'lgd_subdistricts')).toBe(7074);
    // The directory's own spelling replaces the starter names.
    expect(k.c.ok('reference.lgdStates', {}, k.reception).find((s) => s.code === 1)?.name).toBe('Jammu And Kashmir');
  });

  it('gives the pickers the right children: districts of a state, sub-districts of a district, by name', () => {
    const k = openCopy(imported);
    const maharashtra = k.c.ok('reference.lgdDistricts', { stateCode: 27 }, k.reception);
    expect(maharashtra).toHaveLength(36);
    expect(maharashtra).toContainEqual({ code: 490, name: 'Pune' });
    expect(maharashtra).toContainEqual({ code: 482, name: 'Mumbai' });
    expect(maharashtra).toEqual(csvDistricts(27));
    expect(maharashtra[0]).toEqual({ code: 466, name: 'Ahilyanagar' });

    const pune = k.c.ok('reference.lgdSubdistricts', { districtCode: 490 }, k.reception);
    expect(pune).toEqual(csvSubdistricts(490));
    expect(pune).toHaveLength(14);
    expect(pune.map((s) => s.name).slice(0, 3)).toEqual(['Ambegaon', 'Baramati', 'Bhor']);
    expect(pune).toContainEqual({ code: 4194, name: 'Pune City' });

    // Every state's and every district's list matches the directory exactly.
    for (const s of STATES) {
      const code = Number(s.state_code);
      expect(k.c.ok('reference.lgdDistricts', { stateCode: code }, k.reception), `districts of ${s.state_name}`).toEqual(csvDistricts(code));
    }
    for (const d of DISTRICTS) {
      const code = Number(d.district_code);
      expect(k.c.ok('reference.lgdSubdistricts', { districtCode: code }, k.reception), `sub-districts of ${d.district_name}`).toEqual(csvSubdistricts(code));
    }
    // Mumbai has no sub-districts in the LGD; an unknown code has no children.
    expect(k.c.ok('reference.lgdSubdistricts', { districtCode: 482 }, k.reception)).toEqual([]);
    expect(k.c.ok('reference.lgdDistricts', { stateCode: 99 }, k.reception)).toEqual([]);
    expect(failure(k.c.call('reference.lgdDistricts', { stateCode: '27' }, k.reception))).toMatchObject({
      code: 'invalid_input',
      fields: { stateCode: 'Choose a state' },
    });
  });

  it('changes nothing when the same folder is imported again', async () => {
    const k = openCopy(imported);
    const sqlite = k.c.app.database.sqlite;
    const dump = () =>
      JSON.stringify([
        sqlite.prepare('SELECT * FROM lgd_states ORDER BY code').all(),
        sqlite.prepare('SELECT * FROM lgd_districts ORDER BY code').all(),
        sqlite.prepare('SELECT * FROM lgd_subdistricts ORDER BY code').all(),
      ]);
    const before = dump();
    const changes = () => sqlite.prepare('SELECT total_changes()').pluck().get() as number;

    const folder = shippedLgdFolder();
    k.c.pick(folder);
    const started = k.c.ok('reference.importLgd', { folder: `${folder}/` }, k.admin);
    const changesBefore = changes();
    const finished = await k.c.app.jobs.wait(started.id);
    expect(finished.status).toBe('done');
    expect(finished.result).toMatchObject({ states: { imported: 36 }, districts: { imported: 784 }, subdistricts: { imported: 7074 } });
    expect(changes() - changesBefore).toBe(0);
    expect(dump()).toBe(before);
  });

  it('renames what a newer directory renamed, skips bad rows by line, and keeps everything else', async () => {
    const k = openCopy(imported);
    const folder = lgdFolder({
      states: ['27,Maharashtra'],
      districts: ['469,Aurangabad,27', 'x470,Beed,27', '9999,New District,'],
      subdistricts: [],
    });
    const { finished } = await runImport(k, 'reference.importLgd', { folder });
    expect(finished.status).toBe('done');
    expect(finished.result).toEqual({
      states: { imported: 1, rejected: 0, rejectedExamples: [] },
      districts: { imported: 1, rejected: 2, rejectedExamples: ['line 3: x470', 'line 4: 9999'] },
      subdistricts: { imported: 0, rejected: 0, rejectedExamples: [] },
    });
    const maharashtra = k.c.ok('reference.lgdDistricts', { stateCode: 27 }, k.reception);
    expect(maharashtra).toContainEqual({ code: 469, name: 'Aurangabad' });
    expect(maharashtra.map((d) => d.name)).not.toContain('Chhatrapati Sambhajinagar');
    expect(maharashtra).toHaveLength(36);
    expect(tableCount(k, 'lgd_districts')).toBe(784);
    expect(tableCount(k, 'lgd_subdistricts')).toBe(7074);
  });

  it('refuses a folder without the three files at once, with the error on the folder field', () => {
    const k = freshClinic();
    const missing = path.join(tempDir(), 'no-such-folder');
    expect(failure(k.c.call('reference.importLgd', { folder: missing }, k.admin))).toMatchObject({
      code: 'invalid_input',
      fields: { folder: 'Folder not found or not readable' },
    });
    // A folder with only some of the files is refused too.
    const partial = tempDir('lgd-partial-');
    fs.writeFileSync(path.join(partial, 'lgd_states.csv'), shippedText('lgd_states.csv'));
    k.c.pick(partial);
    const error = failure(k.c.call('reference.importLgd', { folder: partial }, k.admin));
    expect(error.fields).toEqual({ folder: 'File not found or not readable' });
    expect(error.message).toContain('lgd_districts.csv');
    expect(failure(k.c.call('reference.importLgd', { folder: '' }, k.admin)).fields).toEqual({ folder: 'Choose the folder with the LGD files' });
    expect(k.c.app.jobs.list()).toEqual([]);
    expect(tableCount(k, 'lgd_districts')).toBe(784);
  });

  it('fails a file with a missing column with a message naming it, and leaves the directory as it was', async () => {
    const k = openCopy(imported);
    const folder = lgdFolder({ states: ['27,Maharashtra'], districts: [], subdistricts: [] });
    fs.writeFileSync(path.join(folder, 'lgd_districts.csv'), 'district_code,district_name\n469,Aurangabad\n');
    const { finished } = await runImport(k, 'reference.importLgd', { folder });
    expect(finished.status).toBe('failed');
    expect(finished.message).toBe(`${folder}/lgd_districts.csv has no state_code column(s). Expected: district_code,district_name,state_code`);
    expect(k.c.ok('reference.lgdDistricts', { stateCode: 27 }, k.reception)).toContainEqual({ code: 469, name: 'Chhatrapati Sambhajinagar' });
    expect(tableCount(k, 'lgd_districts')).toBe(784);
  });
});

describe('the pincode directory', () => {
  let loaded: Snapshot;
  let run: ImportRun;
  let seconds: number;

  beforeAll(async () => {
    const k = freshClinic();
    const t0 = performance.now();
    run = await runImport(k, 'reference.loadShipped', { lists: ['pincodes'] });
    seconds = (performance.now() - t0) / 1000;
    loaded = snapshot(k);
  });

  const lookup = (k: RefClinic, pincode: string) => k.c.ok('reference.pincode', { pincode }, k.reception);
  const inIndia = (lat: number | null, lon: number | null) => lat !== null && lon !== null && lat >= 6 && lat <= 38 && lon >= 68 && lon <= 98;

  it('loads all 1,65,627 post offices the app ships in the background, well within 20 seconds', () => {
    expect(run.finished).toMatchObject({ kind: 'reference.loadShipped', status: 'done', result: { pincodes: { imported: 165_627, rejected: 0, rejectedExamples: [] } } });
    expect(seconds).toBeLessThan(20);
    const k = openCopy(loaded);
    expect(tableCount(k, 'pincode_offices')).toBe(165_627);
    expect(k.c.app.database.sqlite.prepare('SELECT count(DISTINCT pincode) FROM pincode_offices').pluck().get()).toBe(19_586);
    const progress = run.events.filter((e) => e.status === 'running');
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[0]!.message).toMatch(/^Pincode directory: [\d,]+ post offices$/);
    const size = fs.statSync(shippedFile('pincodes.csv')).size;
    expect(run.events.at(-1)).toMatchObject({ status: 'done', done: size, total: size });
  });

  it('fills district, state and coordinates in India from a pincode', () => {
    const k = openCopy(loaded);
    const pune = lookup(k, '411001');
    expect(pune).toEqual({
      pincode: '411001',
      offices: [
        'Pune H.O',
        'C D A (O) S.O',
        'Dr.B.A. Chowk S.O',
        'Ghorpuri Bazar S.O',
        'N.W. College S.O',
        'Pune Cantt East S.O',
        'Pune New Bazar S.O',
        'Sachapir Street S.O',
      ],
      district: 'PUNE',
      state: 'MAHARASHTRA',
      latitude: 18.52322222,
      longitude: 73.87586111,
    });
    expect(inIndia(pune.latitude, pune.longitude)).toBe(true);

    // The first office's coordinates are 0,0 (a source error): the next office's are used.
    const gurugram = lookup(k, '122018');
    expect(gurugram).toMatchObject({ district: 'GURUGRAM', state: 'HARYANA', latitude: 28.462, longitude: 77.0316389 });
  });

  it('names the district even when the first office lacks one, and gives no coordinates when none are known', () => {
    const k = openCopy(loaded);
    expect(lookup(k, '226010')).toMatchObject({ district: 'LUCKNOW', state: 'UTTAR PRADESH', latitude: 26.867149, longitude: 81.003078 });
    expect(lookup(k, '176057')).toEqual({ pincode: '176057', offices: ['Dari SO'], district: 'KANGRA', state: 'HIMACHAL PRADESH', latitude: null, longitude: null });
  });

  it('returns nulls for a pincode with no post offices, and refuses one that is not a pincode', () => {
    const k = openCopy(loaded);
    expect(lookup(k, '999999')).toEqual({ pincode: '999999', offices: [], district: null, state: null, latitude: null, longitude: null });
    for (const pincode of ['012345', '41100', '4110011', 'PUNE01']) {
      expect(failure(k.c.call('reference.pincode', { pincode }, k.reception)).fields, pincode).toEqual({ pincode: 'Pincode must be 6 digits' });
    }
  });

  it('keeps the directory when an import fails, and does not double it when the same file is imported twice', async () => {
    const k = openCopy(loaded);
    const dir = tempDir('pincodes-');
    const noState = path.join(dir, 'no-state.csv');
    fs.writeFileSync(noState, 'pincode,office_name,district,latitude,longitude\n411001,Pune H.O,PUNE,18.52,73.87\n');
    const failed = await runImport(k, 'reference.importPincodes', { path: noState });
    expect(failed.finished).toMatchObject({ status: 'failed', message: `${noState} has no state column(s). Expected: pincode,office_name,district,state,latitude,longitude` });
    expect(tableCount(k, 'pincode_offices')).toBe(165_627);
    expect(lookup(k, '411001').offices).toHaveLength(8);

    const small = path.join(dir, 'small.csv');
    fs.writeFileSync(
      small,
      [
        'pincode,office_name,office_type,delivery,division,district,state,latitude,longitude',
        '411001,Pune H.O,HO,Delivery,Pune City East Division,PUNE,MAHARASHTRA,18.52322222,73.87586111',
        '411002,Pune City H.O,HO,Delivery,Pune City West Division,PUNE,MAHARASHTRA,18.5135,73.8569',
        '01100,Too short,PO,Delivery,X,X,X,,',
      ].join('\n') + '\n',
    );
    for (let i = 0; i < 2; i++) {
      const again = await runImport(k, 'reference.importPincodes', { path: small });
      expect(again.finished.result).toEqual({ imported: 2, rejected: 1, rejectedExamples: ['line 4: 01100'] });
    }
    expect(tableCount(k, 'pincode_offices')).toBe(2);
    expect(lookup(k, '411001')).toMatchObject({ offices: ['Pune H.O'], district: 'PUNE' });
  });

  it('refuses a file that is not there at once, with the error on the path field', () => {
    const k = freshClinic();
    expect(failure(k.c.call('reference.importPincodes', { path: path.join(tempDir(), 'pincodes.csv') }, k.admin))).toMatchObject({
      code: 'invalid_input',
      fields: { path: 'File not found or not readable' },
    });
    expect(failure(k.c.call('reference.importPincodes', { path: '' }, k.admin)).fields).toEqual({ path: 'Choose the CSV file' });
    expect(k.c.app.jobs.list()).toEqual([]);
  });
});
