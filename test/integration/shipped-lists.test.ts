import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobControl } from '../../electron/services/jobs';
import { loadShipped } from '../../electron/services/shipped-lists';
import { makeClinic } from '../helpers/app';
import { tinyShippedLists } from '../helpers/shipped';
import { bareClinic, failure, freshClinic, openCopy, runImport, shippedFile, snapshot, SHIPPED_DIR, type RefClinic } from './reference-fixtures';

/**
 * The reference lists shipped with the app (resources/reference): the LGD directory loaded as the
 * app opens an empty database, and `reference.loadShipped` for the rest. The big lists' counts
 * are checked where they are searched: ICD-10 in icd10.test.ts, pincodes in lgd.test.ts.
 */

const tableCount = (k: RefClinic, table: string) => k.c.app.database.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
const gzSize = (name: string) => fs.statSync(shippedFile(name)).size;

/** A clinic (with the same logins) whose app takes its shipped lists from `dir`. */
function withLists(dir: string): RefClinic {
  const k = bareClinic();
  const dataDir = path.dirname(k.c.app.dbFile);
  k.c.app.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const file = fs.readFileSync(k.c.app.dbFile);
  k.c.app.close();
  fs.writeFileSync(path.join(dataDir, 'clinic.db'), file);
  return { ...k, c: makeClinic({ setup: false, dataDir, shippedLists: dir }) };
}

describe('what a new clinic has', () => {
  it('says what the app ships and what is loaded: the LGD directory already, ICD-10 and pincodes when asked', () => {
    const k = freshClinic();
    const status = k.c.ok('reference.shipped', {}, k.reception);
    expect(status).toEqual([
      { list: 'lgd', what: 'LGD districts', inApp: 784, shipped: 784 },
      { list: 'lgd', what: 'LGD sub-districts', inApp: 7074, shipped: 7074 },
      { list: 'icd10', what: 'ICD-10 codes', inApp: expect.any(Number), shipped: 76_423 },
      { list: 'pincodes', what: 'post offices', inApp: 0, shipped: 165_627 },
    ]);
    expect(status[2]!.inApp).toBeLessThan(1000);
  });

  it('lets the facility be registered in a district on a new install: the pickers are full before anyone imports', () => {
    const k = freshClinic();
    expect(k.c.ok('reference.lgdDistricts', { stateCode: 27 }, k.reception)).toContainEqual({ code: 490, name: 'Pune' });
    k.c.ok('facility.save', { registration: { stateLgd: 27, districtLgd: 490, subDistrictLgd: 4194 } }, k.admin);
    const missing = k.c.ok('facility.validate', {}, k.admin).missing.map((m) => m.field);
    expect(missing).toContain('registration.ownershipCode');
    expect(missing).not.toContain('registration.stateLgd');
    expect(missing).not.toContain('registration.districtLgd');
    expect(missing).not.toContain('registration.subDistrictLgd');
  });

  it('loads the directory once: a workstation that has it is not loaded again on the next start', () => {
    const k = freshClinic();
    k.c.app.database.sqlite.prepare("UPDATE lgd_districts SET name = 'Poona' WHERE code = 490").run();
    const again = openCopy(snapshot(k));
    expect(again.c.ok('reference.lgdDistricts', { stateCode: 27 }, again.reception)).toContainEqual({ code: 490, name: 'Poona' });
  });
});

describe('reference.loadShipped', () => {
  it('loads the LGD directory the app ships into an empty one, in the background, reporting progress over the three files', async () => {
    const k = freshClinic();
    k.c.app.database.sqlite.exec('DELETE FROM lgd_subdistricts; DELETE FROM lgd_districts');
    const run = await runImport(k, 'reference.loadShipped', { lists: ['lgd'] });
    expect(run.started).toMatchObject({ kind: 'reference.loadShipped', status: 'running' });
    expect(run.finished).toMatchObject({
      status: 'done',
      result: {
        lgd: {
          states: { imported: 36, rejected: 0, rejectedExamples: [] },
          districts: { imported: 784, rejected: 0, rejectedExamples: [] },
          subdistricts: { imported: 7074, rejected: 0, rejectedExamples: [] },
        },
      },
    });
    const total = gzSize('lgd_states.csv') + gzSize('lgd_districts.csv') + gzSize('lgd_subdistricts.csv');
    const progress = run.events.filter((e) => e.status === 'running');
    expect(progress.length).toBeGreaterThanOrEqual(1);
    for (const e of progress) {
      expect(e.total).toBe(total);
      expect(e.done).toBeLessThanOrEqual(total);
      expect(e.message).toMatch(/^LGD directory: [\d,]+ (states|districts|sub-districts)$/);
    }
    expect(run.events.at(-1)).toMatchObject({ status: 'done', done: total, total });
    expect(tableCount(k, 'lgd_states')).toBe(36);
    expect(tableCount(k, 'lgd_districts')).toBe(784);
    expect(tableCount(k, 'lgd_subdistricts')).toBe(7074);
    expect(k.c.ok('reference.lgdSubdistricts', { districtCode: 490 }, k.reception)).toContainEqual({ code: 4193, name: 'Haveli' });
  });

  it('loads every list when none is named, smallest first, with one bar over all of them', async () => {
    const dir = tinyShippedLists();
    const events: { done: number; total: number | null; message: string | undefined }[] = [];
    const job: JobControl = { progress: (done, total, message) => events.push({ done, total, message }), yieldNow: async () => {} };
    const k = withLists(dir);
    const run = await runImport(k, 'reference.loadShipped', {});
    expect(run.finished.status).toBe('done');
    expect(Object.keys(run.finished.result ?? {})).toEqual(['lgd', 'icd10', 'pincodes']);
    expect(run.finished.result).toMatchObject({ icd10: { imported: 2 }, pincodes: { imported: 2 }, lgd: { districts: { imported: 3 } } });
    expect(k.c.ok('reference.pincode', { pincode: '411001' }, k.reception)).toMatchObject({ district: 'PUNE', offices: ['Pune H.O'] });
    expect(k.c.ok('reference.icd10Search', { query: 'supplemental oxygen' }, k.reception).map((h) => h.code)).toEqual(['Z99.81']);

    // The service itself, every progress call seen: one total, never going back, each list named in turn.
    await loadShipped(k.c.app.database.sqlite, dir, ['pincodes', 'icd10', 'lgd'], job);
    const total = fs.readdirSync(dir).filter((f) => f.endsWith('.gz')).reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0);
    expect(new Set(events.map((e) => e.total))).toEqual(new Set([total]));
    expect(events.map((e) => e.done)).toEqual([...events.map((e) => e.done)].sort((a, b) => a - b));
    expect(events.at(-1)).toEqual({ done: total, total, message: 'Loaded: LGD directory, ICD-10-CM, Pincode directory' });
    const order = [...new Set(events.slice(0, -1).map((e) => e.message?.split(':')[0]))];
    expect(order).toEqual(['LGD directory', 'ICD-10-CM', 'Pincode directory']);
  });

  it('refuses at once, before any job, a list whose copy is missing, anyone but the administrator, and a second load while one runs', async () => {
    const k = withLists(tinyShippedLists(['pincodes.csv.gz']));
    expect(failure(k.c.call('reference.loadShipped', { lists: ['pincodes'] }, k.admin))).toMatchObject({
      code: 'not_found',
      message: expect.stringContaining('pincodes.csv.gz'),
      fields: { lists: 'Pincode directory not shipped' },
    });
    expect(failure(k.c.call('reference.loadShipped', {}, k.admin)).code).toBe('not_found');
    expect(failure(k.c.call('reference.loadShipped', { lists: ['drugs'] }, k.admin)).code).toBe('invalid_input');
    expect(failure(k.c.call('reference.loadShipped', { lists: [] }, k.admin)).code).toBe('invalid_input');
    expect(failure(k.c.call('reference.loadShipped', { lists: ['lgd'] }, k.reception)).code).toBe('forbidden');
    expect(k.c.app.jobs.list()).toEqual([]);

    const first = k.c.ok('reference.loadShipped', { lists: ['lgd', 'icd10'] }, k.admin);
    expect(failure(k.c.call('reference.loadShipped', { lists: ['icd10'] }, k.admin)).code).toBe('conflict');
    expect(await k.c.app.jobs.wait(first.id)).toMatchObject({ status: 'done' });
    expect(k.c.ok('reference.loadShipped', { lists: ['icd10'] }, k.admin).status).toBe('running');
  });

  it('fails the job with a plain message when a shipped file is damaged, keeping the list as it was', async () => {
    const dir = tinyShippedLists();
    const k = withLists(dir);
    await runImport(k, 'reference.loadShipped', { lists: ['pincodes'] });
    fs.writeFileSync(path.join(dir, 'pincodes.csv.gz'), 'not gzip at all');
    const run = await runImport(k, 'reference.loadShipped', { lists: ['pincodes'] });
    expect(run.finished).toMatchObject({ status: 'failed', message: 'This is not a gzip file the app can read (.gz). Check that it is the right file.' });
    expect(tableCount(k, 'pincode_offices')).toBe(2);
  });
});

describe('an app without its shipped lists', () => {
  it('opens with the starter states and says the lists are not shipped', () => {
    const k = bareClinic();
    expect(k.c.ok('reference.lgdStates', {}, k.reception)).toHaveLength(36);
    expect(k.c.ok('reference.shipped', {}, k.reception).map((s) => s.shipped)).toEqual([null, null, null, null]);
    expect(fs.existsSync(SHIPPED_DIR)).toBe(true);
  });
});
