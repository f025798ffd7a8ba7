import { parse } from 'csv-parse/sync';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../electron/services/jobs';
import { importedDrugId, parseProductName, rupeesToPaise } from '../../electron/services/formulary';
import { ADMIN, makeClinic, type TestClinic } from '../helpers/app';
import { tempDir } from '../helpers/temp';

/**
 * The Jan Aushadhi product list beside the repository (licence unclear: test data only, never
 * shipped). A clone with nothing beside it skips the tests that import it, and says so.
 */
const JAN_AUSHADHI = path.resolve('../shared/data/drugs_janaushadhi.csv');
const JAN_ROWS = 2_439;
const NO_JAN_AUSHADHI = !fs.existsSync(JAN_AUSHADHI);
if (NO_JAN_AUSHADHI) {
  console.log(`Skipping the Jan Aushadhi import tests: ${JAN_AUSHADHI} is missing (test data only, its licence is unclear; see README "Reference data").`);
}

interface CsvRow {
  drug_code: string;
  generic_name: string;
  unit_size: string;
  mrp_inr: string;
  group_name: string;
}
const csvRows = () => parse<CsvRow>(fs.readFileSync(JAN_AUSHADHI), { columns: true, bom: true, trim: true });

interface Tokens {
  admin: string;
  doctor: string;
  receptionist: string;
}
interface Clinic extends Tokens {
  c: TestClinic;
}

function snapshot(c: TestClinic): Buffer {
  c.app.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  return fs.readFileSync(c.app.dbFile);
}

function openCopy(file: Buffer, tokens: Tokens): Clinic {
  const dataDir = tempDir();
  fs.writeFileSync(path.join(dataDir, 'clinic.db'), file);
  return { c: makeClinic({ setup: false, dataDir }), ...tokens };
}

let fresh: { file: Buffer; tokens: Tokens } | undefined;

/** A set-up clinic with the starter formulary only; logins (scrypt) are made once and copied. */
function freshClinic(): Clinic {
  if (!fresh) {
    const c = makeClinic();
    const admin = c.login('admin', ADMIN.password);
    c.ok('staff.create', { username: 'meera', fullName: 'Dr Meera Rao', password: 'meera-password', roles: ['doctor'] }, admin);
    c.ok('staff.create', { username: 'ravi', fullName: 'Ravi Kumar', password: 'ravi-password', roles: ['receptionist'] }, admin);
    const tokens = { admin, doctor: c.login('meera', 'meera-password'), receptionist: c.login('ravi', 'ravi-password') };
    fresh = { file: snapshot(c), tokens };
  }
  return openCopy(fresh.file, fresh.tokens);
}

const search = (k: Clinic, query: string, limit?: number) => k.c.ok('formulary.search', limit ? { query, limit } : { query }, k.doctor);
const sqlite = (k: Clinic) => k.c.app.database.sqlite;
const drugLog = (k: Clinic) =>
  sqlite(k).prepare("SELECT op, row_id AS rowId, columns FROM change_log WHERE table_name = 'drugs' ORDER BY seq").all() as { op: string; rowId: string; columns: string }[];

async function importFile(k: Clinic, file: string): Promise<{ started: JobView; finished: JobView }> {
  if (fs.existsSync(file)) k.c.pick(file);
  const started = k.c.ok('formulary.importJanAushadhi', { path: file }, k.admin);
  const finished = await k.c.app.jobs.wait(started.id);
  return { started, finished };
}

function csvFile(content: string): string {
  const file = path.join(tempDir('formulary-csv-'), 'drugs.csv');
  fs.writeFileSync(file, content);
  return file;
}

/** "12.5" rupees -> "1250" paise, by moving the decimal point in the text (no floating point). */
function paiseText(mrp: string): string {
  const [rupees = '', decimals = ''] = mrp.split('.');
  return (rupees + decimals.padEnd(2, '0')).replace(/^0+(?=\d)/, '');
}

describe('the starter formulary', () => {
  it('is there on a fresh database: >= 280 well-formed rows with fixed ids', () => {
    const k = freshClinic();
    const rows = sqlite(k)
      .prepare(
        `SELECT id, generic_name, brand_names, form, strength, route, default_dose, default_frequency, schedule, classes, source_code,
                hsn_code, gst_rate_bp, active, hlc, device_id, created_at, deleted_at,
                json_valid(brand_names) AS brandsValid, json_type(brand_names) AS brandsType,
                json_valid(classes) AS classesValid, json_type(classes) AS classesType
         FROM drugs WHERE source = 'starter' ORDER BY id`,
      )
      .all() as Record<string, string | number | null>[];
    expect(rows.length).toBeGreaterThanOrEqual(280);
    const routes = new Set(['oral', 'topical', 'inhalation', 'ophthalmic', 'otic', 'nasal', 'IM', 'IV', 'SC', 'vaginal', 'rectal', 'sublingual']);
    rows.forEach((r, i) => {
      expect(r.id).toBe(`00000000-0000-7000-9000-${String(i + 1).padStart(12, '0')}`);
      expect(routes.has(String(r.route)), `${r.generic_name}: route ${r.route}`).toBe(true);
      expect(String(r.form).length).toBeGreaterThan(0);
      expect(String(r.generic_name)).toMatch(/^[A-Z0-9]/);
      expect(r).toMatchObject({ brandsValid: 1, brandsType: 'array', classesValid: 1, classesType: 'array', active: 1, hlc: '000000000000000-0000-seed', device_id: 'seed', created_at: 0, deleted_at: null });
      const brands = JSON.parse(String(r.brand_names)) as unknown[];
      const classes = JSON.parse(String(r.classes)) as unknown[];
      expect(brands.length).toBeLessThanOrEqual(3);
      expect(brands.every((b) => typeof b === 'string' && b.length > 0)).toBe(true);
      expect(classes.length, `${r.generic_name} has classes`).toBeGreaterThan(0);
      expect(classes.every((c) => typeof c === 'string' && c === c.toLowerCase())).toBe(true);
      expect([null, 'H', 'H1', 'X']).toContain(r.schedule);
      expect(r.default_dose).toBeTruthy();
      expect(r.default_frequency).toBeTruthy();
      expect(r.source_code).toMatch(/^ST-[A-Z0-9-]+$/);
      expect(['3004', '3002']).toContain(r.hsn_code);
      expect(r.gst_rate_bp).toBe(500);
    });
    expect(new Set(rows.map((r) => r.source_code)).size).toBe(rows.length);
    const keys = rows.map((r) => `${r.generic_name}|${r.form}|${r.strength}`);
    expect(new Set(keys).size).toBe(rows.length);
    // Allergy classes and schedules where they matter.
    const one = (generic: string) => rows.find((r) => r.generic_name === generic)!;
    expect(JSON.parse(String(one('Amoxicillin').classes))).toEqual(['penicillin', 'beta-lactam']);
    expect(JSON.parse(String(one('Cefixime').classes))).toEqual(['cephalosporin', 'beta-lactam']);
    expect(JSON.parse(String(one('Cotrimoxazole').classes))).toContain('sulfonamide');
    expect(JSON.parse(String(one('Aspirin').classes))).toEqual(expect.arrayContaining(['nsaid', 'salicylate']));
    expect(one('Cefixime').schedule).toBe('H1');
    expect(one('Tramadol').schedule).toBe('H1');
    expect(one('Azithromycin').schedule).toBe('H');
    expect(one('Paracetamol').schedule).toBeNull();
    // Nothing was written to the sync outbox: seed rows are the same on every workstation.
    expect(drugLog(k)).toEqual([]);
  });

  it('is searched by generic or brand name prefix, words in any order', () => {
    const k = freshClinic();
    const amox = search(k, 'amox', 50);
    expect(amox.map((d) => d.genericName)).toEqual(expect.arrayContaining(['Amoxicillin', 'Amoxicillin + Clavulanic Acid']));
    expect(amox[0]!.genericName).toBe('Amoxicillin');
    expect(amox.every((d) => d.genericName.startsWith('Amoxicillin'))).toBe(true);
    expect(search(k, 'clav amox').every((d) => d.genericName === 'Amoxicillin + Clavulanic Acid')).toBe(true);
    expect(search(k, 'Augmentin')[0]!.genericName).toBe('Amoxicillin + Clavulanic Acid');

    const crocin = search(k, 'crocin');
    expect(crocin.length).toBeGreaterThan(0);
    expect(crocin.every((d) => d.genericName === 'Paracetamol' && d.brandNames.includes('Crocin'))).toBe(true);

    const para500 = search(k, 'para 500');
    expect(para500[0]).toEqual({
      id: '00000000-0000-7000-9000-000000000001',
      genericName: 'Paracetamol',
      brandNames: ['Crocin', 'Calpol'],
      form: 'tablet',
      strength: '500 mg',
      route: 'oral',
      defaults: { dose: '1 tab', frequency: '1-1-1', durationDays: 3 },
      schedule: null,
      classes: ['analgesic', 'antipyretic'],
      source: 'starter',
      mrpPaise: null,
      packSize: null,
      active: true,
    });
    expect(para500.every((d) => /\b500\b/.test(d.strength ?? ''))).toBe(true);
    expect(search(k, '500 para')[0]!.id).toBe(para500[0]!.id);
    expect(search(k, 'paracetamol syr').map((d) => d.strength)).toEqual(['125 mg/5 ml']);
    // An exact generic name comes before longer names that start with it.
    expect(search(k, 'cetirizine')[0]!.genericName).toBe('Cetirizine');
    expect(search(k, 'salbutamol inh')[0]).toMatchObject({ genericName: 'Salbutamol', form: 'inhaler', route: 'inhalation' });
    expect(search(k, 'taxim')[0]).toMatchObject({ genericName: 'Cefixime', schedule: 'H1' });
    expect(search(k, 'ors')[0]!.brandNames).toContain('Electral');
    expect(search(k, '   ')).toEqual([]);
    expect(search(k, 'zzqx')).toEqual([]);
    expect(search(k, '500')).toEqual([]);
    expect(search(k, 'a', 5)).toHaveLength(5);
  });

  it('gets one drug by id, and says when there is none', () => {
    const k = freshClinic();
    expect(k.c.ok('formulary.get', { id: '00000000-0000-7000-9000-000000000001' }, k.receptionist)).toMatchObject({ genericName: 'Paracetamol', strength: '500 mg' });
    expect(k.c.call('formulary.get', { id: '00000000-0000-7000-9000-999999999999' }, k.doctor)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(k.c.call('formulary.get', { id: 'nope' }, k.doctor)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(k.c.call('formulary.search', { query: 'amox' }, null)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });
});

describe("the clinic's own drugs", () => {
  it('are added and edited by doctors and admins, written to change_log, and found by search', () => {
    const k = freshClinic();
    const drug = {
      genericName: 'Bilastine',
      brandNames: ['Bilaxten'],
      form: 'Tablet',
      strength: '20 mg',
      route: 'oral',
      defaultDose: '1 tab',
      defaultFrequency: '1-0-0',
      defaultDurationDays: 7,
      schedule: 'H',
      classes: ['Antihistamine'],
      mrpPaise: 18_950,
    };
    const added = k.c.ok('formulary.upsert', drug, k.doctor);
    expect(added).toMatchObject({ genericName: 'Bilastine', form: 'tablet', classes: ['antihistamine'], source: 'clinic', mrpPaise: 18_950, defaults: { dose: '1 tab', frequency: '1-0-0', durationDays: 7 } });
    expect(search(k, 'bilax')[0]!.id).toBe(added.id);
    expect(k.c.call('formulary.upsert', drug, k.admin)).toMatchObject({ ok: false, error: { code: 'conflict', fields: { genericName: expect.any(String) } } });

    const edited = k.c.ok('formulary.upsert', { ...drug, id: added.id, brandNames: ['Bilaxten', 'Bilasure'] }, k.admin);
    expect(edited.brandNames).toEqual(['Bilaxten', 'Bilasure']);
    expect(search(k, 'bilasure')[0]!.id).toBe(added.id);
    expect(drugLog(k).map((l) => [l.op, l.rowId])).toEqual([
      ['insert', added.id],
      ['update', added.id],
    ]);
    expect(JSON.parse(drugLog(k)[1]!.columns)).toMatchObject({ brand_names: ['Bilaxten', 'Bilasure'] });

    // Starter rows are not edited here, receptionists cannot add drugs, and inputs are checked.
    expect(k.c.call('formulary.upsert', { ...drug, id: '00000000-0000-7000-9000-000000000001' }, k.doctor)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(k.c.call('formulary.upsert', { ...drug, genericName: 'Other' }, k.receptionist)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(k.c.call('formulary.upsert', { ...drug, route: 'by mouth', mrpPaise: 12.5 }, k.doctor)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', fields: { route: expect.stringContaining('Route must be one of'), mrpPaise: 'MRP must be whole paise' } },
    });
  });
});

describe('reading Jan Aushadhi product names', () => {
  it('takes form, strength and route from the name, and prices in paise without floats', () => {
    expect(parseProductName('Ibuprofen 200mg and Paracetamol 500mg Tablets')).toEqual({ genericName: 'Ibuprofen + Paracetamol', form: 'tablet', strength: '200 mg + 500 mg', route: 'oral' });
    expect(parseProductName('Gliclazide Extended release Tablets IP 60 mg')).toEqual({ genericName: 'Gliclazide', form: 'SR tablet', strength: '60 mg', route: 'oral' });
    expect(parseProductName('Cetirizine Syrup IP 5mg per 5ml')).toMatchObject({ genericName: 'Cetirizine', form: 'syrup', strength: '5 mg/5 ml' });
    expect(parseProductName('Ondansetron Injection IP 4 mg (2mg per ml)')).toMatchObject({ genericName: 'Ondansetron', form: 'injection', strength: '4 mg', route: 'IV' });
    expect(parseProductName('Timolol Eye Drops IP 0.5% w/v')).toEqual({ genericName: 'Timolol', form: 'eye drops', strength: '0.5%', route: 'ophthalmic' });
    expect(parseProductName('Rabeprazole (20 Mg) + Domperidone (10 Mg) Capsule')).toMatchObject({ genericName: 'Rabeprazole + Domperidone', form: 'capsule', strength: '20 mg + 10 mg' });
    expect(parseProductName('Formoterol 6mcg and Budesonide 200mcg Rotacaps')).toEqual({ genericName: 'Formoterol + Budesonide', form: 'rotacap', strength: '6 mcg + 200 mcg', route: 'inhalation' });
    expect(parseProductName('Insulin Glargine Injection 100 IU per ml')).toMatchObject({ form: 'injection', strength: '100 IU/ml', route: 'SC' });
    expect(rupeesToPaise('9.38')).toBe(938);
    expect(rupeesToPaise('7.5')).toBe(750);
    expect(rupeesToPaise('1,096,875.00')).toBe(109_687_500);
    expect(rupeesToPaise('0.29')).toBe(29);
    expect(rupeesToPaise('')).toBeNull();
    expect(rupeesToPaise('0.00')).toBeNull();
    expect(rupeesToPaise('12.345')).toBe('invalid');
    expect(importedDrugId('janaushadhi', '42')).toBe(importedDrugId('janaushadhi', '42'));
    expect(importedDrugId('janaushadhi', '42')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe.skipIf(NO_JAN_AUSHADHI)('importing the Jan Aushadhi list', () => {
  it('refuses a missing file at once, and anyone but the administrator', () => {
    const k = freshClinic();
    const missing = k.c.call('formulary.importJanAushadhi', { path: path.join(tempDir(), 'nope.csv') }, k.admin);
    expect(missing).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { path: 'File not found or not readable' } } });
    expect(k.c.call('formulary.importJanAushadhi', { path: '' }, k.admin)).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { path: 'Choose the CSV file' } } });
    expect(k.c.call('formulary.importJanAushadhi', { path: JAN_AUSHADHI }, k.receptionist)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(k.c.call('formulary.importJanAushadhi', { path: JAN_AUSHADHI }, k.doctor)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(k.c.app.jobs.list()).toEqual([]);
  });

  let imported: { file: Buffer; tokens: Tokens; started: JobView; finished: JobView; starterCount: number; deviceId: string; now: number };

  beforeAll(async () => {
    const k = freshClinic();
    const starterCount = sqlite(k).prepare('SELECT count(*) FROM drugs').pluck().get() as number;
    const run = await importFile(k, JAN_AUSHADHI);
    imported = { file: snapshot(k.c), tokens: { admin: k.admin, doctor: k.doctor, receptionist: k.receptionist }, ...run, starterCount, deviceId: k.c.app.deviceId, now: k.c.clock.now };
  });
  const openImported = () => openCopy(imported.file, imported.tokens);

  it('imports every product in the background, as synced rows with one change_log insert each', () => {
    const { started, finished } = imported;
    expect(started).toMatchObject({ kind: 'formulary.importJanAushadhi', status: 'running' });
    expect(finished).toMatchObject({ id: started.id, status: 'done', message: 'Finished' });
    expect(finished.result).toEqual({ imported: JAN_ROWS, rejected: 0, rejectedExamples: [], inserted: JAN_ROWS, updated: 0, unchanged: 0, total: JAN_ROWS });

    const k = openImported();
    const rows = sqlite(k)
      .prepare("SELECT id, source_code AS code, mrp_paise AS mrp, typeof(mrp_paise) AS mrpType, hlc, device_id AS deviceId, created_at AS createdAt, updated_at AS updatedAt FROM drugs WHERE source = 'janaushadhi'")
      .all() as { id: string; code: string; mrp: number | null; mrpType: string; hlc: string; deviceId: string; createdAt: number; updatedAt: number }[];
    expect(rows).toHaveLength(JAN_ROWS);
    expect(sqlite(k).prepare('SELECT count(*) FROM drugs').pluck().get()).toBe(imported.starterCount + JAN_ROWS);
    for (const r of rows) {
      expect(r.id).toBe(importedDrugId('janaushadhi', r.code));
      expect(r).toMatchObject({ deviceId: imported.deviceId, createdAt: imported.now, updatedAt: imported.now });
      expect(r.hlc).toContain(imported.deviceId);
    }
    expect(new Set(rows.map((r) => r.hlc)).size).toBe(JAN_ROWS);

    // MRPs are integer paise: the CSV's decimal text with the point moved two places; blank is NULL.
    const byCode = new Map(rows.map((r) => [r.code, r]));
    const csv = csvRows();
    expect(csv).toHaveLength(JAN_ROWS);
    let blank = 0;
    for (const line of csv) {
      const row = byCode.get(line.drug_code)!;
      if (line.mrp_inr === '') {
        blank += 1;
        expect(row.mrp).toBeNull();
        expect(row.mrpType).toBe('null');
      } else {
        expect(row.mrpType).toBe('integer');
        expect(String(row.mrp)).toBe(paiseText(line.mrp_inr));
      }
    }
    expect(blank).toBe(387);

    // Every imported drug reached the sync outbox exactly once, with its stamped columns.
    const log = drugLog(k);
    expect(log).toHaveLength(JAN_ROWS);
    expect(log.every((l) => l.op === 'insert')).toBe(true);
    expect(new Set(log.map((l) => l.rowId))).toEqual(new Set(rows.map((r) => r.id)));
    const priced = csv.find((l) => l.mrp_inr !== '')!;
    const first = JSON.parse(log.find((l) => l.rowId === byCode.get(priced.drug_code)!.id)!.columns) as Record<string, unknown>;
    expect(first).toMatchObject({
      source: 'janaushadhi',
      source_code: priced.drug_code,
      mrp_paise: Number(paiseText(priced.mrp_inr)),
      device_id: imported.deviceId,
      hlc: byCode.get(priced.drug_code)!.hlc,
      generic_name: parseProductName(priced.generic_name).genericName,
    });
  });

  it('makes the imported drugs searchable, after the starter rows', () => {
    const k = openImported();
    // A drug only the imported list has.
    const obeticholic = search(k, 'obeticholic');
    expect(obeticholic[0]).toMatchObject({ genericName: 'Obeticholic Acid', form: 'tablet', route: 'oral', source: 'janaushadhi' });
    expect(obeticholic[0]!.mrpPaise === null || Number.isInteger(obeticholic[0]!.mrpPaise)).toBe(true);
    const pregabalin = search(k, 'pregabalin 75', 50);
    expect(pregabalin[0]).toMatchObject({ source: 'starter', genericName: 'Pregabalin', strength: '75 mg' });
    expect(pregabalin.some((d) => d.source === 'janaushadhi')).toBe(true);
    const amox = search(k, 'amox', 50);
    expect(amox[0]!.source).toBe('starter');
    expect(amox.some((d) => d.source === 'janaushadhi' && d.genericName.startsWith('Amoxycillin'))).toBe(true);
    const imported = amox.filter((d) => d.source === 'janaushadhi' && /^Amox[iy]cillin/.test(d.genericName));
    expect(imported.length).toBeGreaterThan(5);
    expect(imported.every((d) => d.classes.includes('penicillin'))).toBe(true);
    expect(search(k, 'cefixime', 50).filter((d) => d.source === 'janaushadhi').every((d) => d.schedule === 'H1')).toBe(true);
    const byId = k.c.ok('formulary.get', { id: obeticholic[0]!.id }, k.doctor);
    expect(byId).toEqual(obeticholic[0]);
  });

  it('changes nothing when the same file is imported again', async () => {
    const k = openImported();
    const rows = () => JSON.stringify(sqlite(k).prepare('SELECT * FROM drugs ORDER BY id').all());
    const before = rows();
    const logBefore = drugLog(k).length;
    const changes = () => sqlite(k).prepare('SELECT total_changes()').pluck().get() as number;
    k.c.pick(JAN_AUSHADHI);
    const started = k.c.ok('formulary.importJanAushadhi', { path: JAN_AUSHADHI }, k.admin);
    const changesBefore = changes();
    const finished = await k.c.app.jobs.wait(started.id);
    expect(finished.result).toEqual({ imported: JAN_ROWS, rejected: 0, rejectedExamples: [], inserted: 0, updated: 0, unchanged: JAN_ROWS, total: JAN_ROWS });
    expect(changes() - changesBefore).toBe(0);
    expect(drugLog(k)).toHaveLength(logBefore);
    expect(rows()).toBe(before);
  });

  it('updates only what changed, and reports bad rows by line', async () => {
    const k = openImported();
    const logBefore = drugLog(k).length;
    // Two products from the real list: the first with a new MRP, the second exactly as before.
    const [changed, same] = csvRows().filter((l) => l.mrp_inr !== '');
    const line = (l: CsvRow, mrp: string) => [l.drug_code, `"${l.generic_name}"`, `"${l.unit_size}"`, mrp, `"${l.group_name}"`].join(',');
    const newMrp = `${Number(changed!.mrp_inr.split('.')[0]) + 1}.05`;
    const file = csvFile(
      [
        'drug_code,generic_name,unit_size,mrp_inr,group_name',
        line(changed!, newMrp), // line 2
        line(same!, same!.mrp_inr), // line 3
        '99999,Ivermectin Tablets IP 6 mg,4\'s,,Anthelmintic', // line 4: new
        '99998,Something Tablets 5 mg,10\'s,12.345,Misc', // line 5: not an amount
        ',No Code Tablets,10\'s,1.00,Misc', // line 6
      ].join('\n') + '\n',
    );
    const { finished } = await importFile(k, file);
    expect(finished.result).toEqual({
      imported: 3,
      rejected: 2,
      rejectedExamples: ['line 5: 99998: MRP "12.345" is not an amount in rupees', 'line 6: (no drug code)'],
      inserted: 1,
      updated: 1,
      unchanged: 1,
      total: JAN_ROWS + 1,
    });
    const log = drugLog(k).slice(logBefore);
    expect(log.map((l) => [l.op, l.rowId])).toEqual([
      ['update', importedDrugId('janaushadhi', changed!.drug_code)],
      ['insert', importedDrugId('janaushadhi', '99999')],
    ]);
    expect(Object.keys(JSON.parse(log[0]!.columns) as object).sort()).toEqual(['device_id', 'hlc', 'mrp_paise', 'updated_at']);
    expect(k.c.ok('formulary.get', { id: importedDrugId('janaushadhi', changed!.drug_code) }, k.doctor).mrpPaise).toBe(Number(paiseText(newMrp)));
    expect(k.c.ok('formulary.get', { id: importedDrugId('janaushadhi', '99999') }, k.doctor)).toMatchObject({ genericName: 'Ivermectin', strength: '6 mg', mrpPaise: null, classes: ['anthelmintic'] });
  });

  it('keeps the MRP a product has when a later list gives it none (the list writes 0 for "not published")', async () => {
    const k = openImported();
    const [priced] = csvRows().filter((l) => l.mrp_inr !== '');
    const id = importedDrugId('janaushadhi', priced!.drug_code);
    const mrp = Number(paiseText(priced!.mrp_inr));
    expect(k.c.ok('formulary.get', { id }, k.doctor).mrpPaise).toBe(mrp);
    const logBefore = drugLog(k).length;
    for (const blank of ['', '0', '0.00']) {
      const file = csvFile(`drug_code,generic_name,unit_size,mrp_inr,group_name\n${priced!.drug_code},"${priced!.generic_name}","${priced!.unit_size}",${blank},"${priced!.group_name}"\n`);
      const { finished } = await importFile(k, file);
      expect(finished.result).toMatchObject({ imported: 1, updated: 0, unchanged: 1 });
      expect(k.c.ok('formulary.get', { id }, k.doctor).mrpPaise).toBe(mrp);
    }
    expect(drugLog(k)).toHaveLength(logBefore);
  });

  it('fails a file without the expected columns and imports nothing', async () => {
    const k = freshClinic();
    const file = csvFile('drug_code,generic_name,mrp\n1,Paracetamol Tablets 500 mg,1.00\n');
    const { finished } = await importFile(k, file);
    expect(finished).toMatchObject({ status: 'failed', message: `${file} has no unit_size, mrp_inr, group_name column(s). Expected: drug_code,generic_name,unit_size,mrp_inr,group_name` });
    expect(sqlite(k).prepare("SELECT count(*) FROM drugs WHERE source = 'janaushadhi'").pluck().get()).toBe(0);
    expect(drugLog(k)).toEqual([]);
  });
});
