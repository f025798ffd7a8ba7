import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect, isPlainSqliteFile } from '../../db/sqlite';
import { createRestartableClinicApp } from '../../electron/app';
import type { JobView } from '../../electron/services/jobs';
import { backupName, periodOf, RETENTION, type BackupKind } from '../../electron/services/backups';
import { ADMIN, FACILITY, makeClinic, TEST_KEY, type TestClinic } from '../helpers/app';
import { tempDir } from '../helpers/temp';

let serial = 0;
function patient(n = ++serial) {
  return { givenName: `Backup${'abcdefghij'[n % 10]}${n}`, familyName: 'Rathore', gender: 'female' as const, ageYears: 30 + (n % 40), mobile: `98${String(n).padStart(8, '0')}` };
}

function register(c: TestClinic, token: string): string {
  const p = patient();
  let r = c.ok('patients.register', { patient: p }, token);
  if (r.status === 'duplicates') r = c.ok('patients.register', { patient: p, acknowledgeDuplicates: r.candidates.map((x) => x.id) }, token);
  if (r.status !== 'registered') throw new Error('not registered');
  return r.patient.mrn;
}

function setUp(opts: Parameters<typeof makeClinic>[0] = {}) {
  const c = makeClinic(opts);
  const token = c.login(ADMIN.username, ADMIN.password);
  const folder = tempDir('clinic-backups-');
  c.ok('backups.configure', { folder }, token);
  return { c, token, folder };
}

async function finished(c: TestClinic, job: JobView): Promise<JobView> {
  const done = await c.app.jobs.wait(job.id);
  if (done.status !== 'done') throw new Error(`backup failed: ${done.message}`);
  return done;
}

/** Makes the database big enough (about 30 MB) that a backup takes a while. */
function addBulk(c: TestClinic) {
  const s = c.app.database.sqlite;
  s.exec('CREATE TABLE zz_bulk (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const ins = s.prepare('INSERT INTO zz_bulk (body) VALUES (?)');
  s.transaction(() => {
    for (let i = 0; i < 150_000; i++) ins.run(`${i} ${randomBytes(90).toString('hex')}`);
  })();
}

describe('backups', () => {
  it('are for admins only', () => {
    const c = makeClinic();
    const admin = c.login(ADMIN.username, ADMIN.password);
    c.ok('staff.create', { username: 'rita', fullName: 'Rita Dsouza', password: 'rita-secret-1', roles: ['receptionist', 'doctor', 'cashier'] }, admin);
    const rita = c.login('rita', 'rita-secret-1');
    for (const [m, input] of [
      ['backups.status', {}],
      ['backups.runNow', {}],
      ['backups.list', {}],
      ['backups.verify', { file: '/tmp/x.db' }],
      ['backups.restore', { file: '/tmp/x.db' }],
    ] as const) {
      const r = c.call(m, input, rita);
      expect(r.ok ? 'ok' : r.error.code, m).toBe('forbidden');
    }
  });

  it('need a writable folder given as a full path, away from the data folder', () => {
    const c = makeClinic();
    const token = c.login(ADMIN.username, ADMIN.password);
    const relative = c.call('backups.configure', { folder: 'backups' }, token);
    expect(relative.ok ? null : relative.error).toMatchObject({ code: 'invalid_input', fields: { folder: expect.stringMatching(/full path/) } });
    const own = c.call('backups.configure', { folder: c.dataDir }, token);
    expect(own.ok ? null : own.error.message).toMatch(/data folder/);
    const blocked = path.join(tempDir(), 'file');
    fs.writeFileSync(blocked, 'x');
    const notDir = c.call('backups.configure', { folder: path.join(blocked, 'sub') }, token);
    expect(notDir.ok ? null : notDir.error.message).toMatch(/cannot be written/);
    expect(c.call('backups.runNow', {}, token)).toMatchObject({ ok: false, error: { code: 'conflict', message: /folder first/ } });
    const audit = c.ok('audit.list', { action: 'backups.configure' }, token);
    expect(audit.rows.length).toBeGreaterThanOrEqual(3);
  });

  it('made while the app keeps writing is encrypted, consistent, holds every row committed before it started, and restores', async () => {
    // The real clock: job progress is announced at most every 100 ms of it.
    const { c, token, folder } = setUp({ realTime: true });
    addBulk(c);
    const before = Array.from({ length: 25 }, () => register(c, token));
    const progress: JobView[] = [];
    let duringProgress = 0;
    c.app.onEvent(({ event, payload }) => {
      const job = payload as JobView;
      if (event !== 'progress' || job.kind !== 'backup') return;
      progress.push(job);
      // Interleave router writes with the backup's own progress callbacks.
      if (job.status === 'running') {
        register(c, token);
        duringProgress++;
      }
    });

    const job = c.ok('backups.runNow', {}, token);
    expect(job).toMatchObject({ kind: 'backup', status: 'running' });
    // The same job while it runs; and a restore must wait for it.
    expect(c.ok('backups.runNow', {}, token).id).toBe(job.id);
    let during = 0;
    while (c.app.jobs.get(job.id)!.status === 'running') {
      register(c, token);
      during++;
      await new Promise((r) => setImmediate(r));
    }
    const done = await finished(c, job);
    console.info(`backup during writes: ${done.finishedAt! - done.startedAt} ms, ${during} writes between ticks and ${duringProgress} in progress callbacks, ${progress.length} progress events`);
    expect(during + duringProgress).toBeGreaterThan(5);
    expect(progress.some((p) => p.status === 'running' && p.total !== null && p.done > 0)).toBe(true);
    const file = String(done.result!.file);
    expect(path.dirname(file)).toBe(folder);
    expect(path.basename(file)).toMatch(/^clinic-A-manual-\d{8}T\d{6}Z\.db$/);
    expect(fs.readdirSync(folder).filter((f) => f.endsWith('.partial'))).toEqual([]);

    // Encrypted with the same key: opens with it, not without, and no name in clear.
    expect(isPlainSqliteFile(file)).toBe(false);
    expect(fs.readFileSync(file).includes(Buffer.from('Rathore'))).toBe(false);
    expect(() => connect(file, { readonly: true })).toThrow(/key is wrong or missing/);
    expect(() => connect(file, { key: randomBytes(32), readonly: true })).toThrow(/key is wrong or missing/);
    const copy = connect(file, { key: TEST_KEY, readonly: true });
    let inBackup: number;
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      const mrns = new Set(copy.prepare('SELECT mrn FROM patients').pluck().all() as string[]);
      for (const m of before) expect(mrns.has(m), m).toBe(true);
      inBackup = mrns.size;
      // No half transaction: every patient has its change_log insert and audit row, and back.
      expect(copy.prepare("SELECT count(*) FROM patients p WHERE NOT EXISTS (SELECT 1 FROM change_log l WHERE l.row_id = p.id AND l.op = 'insert')").pluck().get()).toBe(0);
      expect(copy.prepare("SELECT count(*) FROM change_log l WHERE l.table_name = 'patients' AND NOT EXISTS (SELECT 1 FROM patients p WHERE p.id = l.row_id)").pluck().get()).toBe(0);
      expect(copy.prepare("SELECT count(*) FROM patients p WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity_id = p.id AND a.action = 'patients.register')").pluck().get()).toBe(0);
      expect(copy.prepare('SELECT count(*) FROM zz_bulk').pluck().get()).toBe(150_000);
    } finally {
      copy.close();
    }

    // Verify, through the API.
    const v = c.ok('backups.verify', { file: path.basename(file) }, token);
    expect(v).toMatchObject({ ok: true, problems: [], encrypted: true, integrity: 'ok', facilityName: FACILITY.name, schema: { tooNew: false } });
    expect(v.counts.patients).toBe(inBackup);
    expect(c.ok('backups.list', {}, token).map((f) => f.name)).toContain(path.basename(file));

    // Restore: staged, then put in place by the next start, keeping the replaced database.
    const after = register(c, token);
    const liveCount = c.app.database.sqlite.prepare('SELECT count(*) FROM patients').pluck().get() as number;
    const staged = c.ok('backups.restore', { file }, token);
    expect(staged).toMatchObject({ staged: true, restarting: false, message: /Close and start the app again/ });
    c.app.close();
    const restored = makeClinic({ dataDir: c.dataDir, setup: false });
    expect(restored.app.database.restored?.replacedFile).toMatch(/clinic\.replaced-\d{8}-\d{6}\.db$/);
    const r = restored.app.database.sqlite;
    expect(r.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(r.prepare('SELECT count(*) FROM patients').pluck().get()).toBe(inBackup);
    expect(r.prepare('SELECT count(*) FROM patients WHERE mrn = ?').pluck().get(after)).toBe(0);
    const t2 = restored.login(ADMIN.username, ADMIN.password);
    expect(restored.ok('audit.list', { action: 'backups.restored' }, t2).rows).toHaveLength(1);

    const replaced = restored.app.database.restored!.replacedFile!;
    expect(fs.existsSync(`${replaced}-wal`)).toBe(false);
    const old = connect(replaced, { key: TEST_KEY, readonly: true });
    try {
      expect(old.prepare('SELECT count(*) FROM patients').pluck().get()).toBe(liveCount);
      expect(old.prepare('SELECT count(*) FROM patients WHERE mrn = ?').pluck().get(after)).toBe(1);
      // The restore call itself was audited in the database it replaced.
      expect(old.prepare("SELECT count(*) FROM audit_log WHERE action = 'backups.restore' AND outcome = 'ok'").pluck().get()).toBe(1);
    } finally {
      old.close();
    }
    expect(fs.existsSync(path.join(c.dataDir, 'clinic.restore-pending.db'))).toBe(false);
  }, 60_000);

  it('a restore interrupted after the live database was moved aside is finished by the next start', async () => {
    const { c, token } = setUp();
    register(c, token);
    const done = await finished(c, c.ok('backups.runNow', {}, token));
    register(c, token);
    c.ok('backups.restore', { file: String(done.result!.file) }, token);
    c.app.close();
    // As if the power went off between the two renames: the live file is already set aside.
    fs.renameSync(c.app.dbFile, path.join(c.dataDir, 'clinic.replaced-20261121-000000.db'));
    const again = makeClinic({ dataDir: c.dataDir, setup: false });
    expect(again.app.database.restored).toEqual({ replacedFile: null });
    expect(again.app.database.sqlite.prepare('SELECT count(*) FROM patients').pluck().get()).toBe(1);
    expect(fs.existsSync(path.join(c.dataDir, 'clinic.restore-pending.db'))).toBe(false);
  });

  it('verify refuses a damaged file, one from a newer app version, one made with another key, and a file that is no database', async () => {
    const { c, token, folder } = setUp();
    register(c, token);
    const done = await finished(c, c.ok('backups.runNow', {}, token));
    const good = String(done.result!.file);
    const scratch = tempDir();

    // Bytes flipped in the middle of the file.
    const damaged = path.join(scratch, 'damaged.db');
    const bytes = fs.readFileSync(good);
    const middle = Math.floor(bytes.length / 2);
    for (let i = 0; i < 64; i++) bytes[middle + i] = bytes[middle + i]! ^ 0xff;
    fs.writeFileSync(damaged, bytes);
    const vd = c.ok('backups.verify', { file: damaged }, token);
    expect(vd.ok).toBe(false);
    expect(vd.problems.join(' ')).toMatch(/damaged|cannot be read/);
    expect(c.call('backups.restore', { file: damaged }, token)).toMatchObject({ ok: false, error: { code: 'conflict', message: /cannot be restored/ } });

    // Its first page damaged: it cannot even be opened.
    const headless = path.join(scratch, 'headless.db');
    const b2 = fs.readFileSync(good);
    for (let i = 20; i < 120; i++) b2[i] = b2[i]! ^ 0x55;
    fs.writeFileSync(headless, b2);
    expect(c.ok('backups.verify', { file: headless }, token)).toMatchObject({ ok: false, problems: [expect.stringMatching(/cannot be opened/)] });

    // Written by a newer version of the app.
    const newer = path.join(scratch, 'newer.db');
    fs.copyFileSync(good, newer);
    const w = connect(newer, { key: TEST_KEY });
    w.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('future', 4_000_000_000_000);
    w.close();
    const vn = c.ok('backups.verify', { file: newer }, token);
    expect(vn).toMatchObject({ ok: false, integrity: 'ok', schema: { tooNew: true } });
    expect(vn.problems.join(' ')).toMatch(/newer version/);
    expect(c.call('backups.restore', { file: newer }, token)).toMatchObject({ ok: false, error: { code: 'conflict' } });

    // Made by another installation, with another key.
    const other = setUp({ key: randomBytes(32) });
    const otherDone = await finished(other.c, other.c.ok('backups.runNow', {}, other.token));
    const vo = c.ok('backups.verify', { file: String(otherDone.result!.file) }, token);
    expect(vo).toMatchObject({ ok: false, encrypted: true, problems: [expect.stringMatching(/another key/)] });

    // Not a database at all, and a file that does not exist.
    const junk = path.join(scratch, 'junk.db');
    fs.writeFileSync(junk, 'hello '.repeat(1000));
    expect(c.ok('backups.verify', { file: junk }, token).ok).toBe(false);
    expect(c.call('backups.verify', { file: path.join(folder, 'nope.db') }, token)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // Nothing was staged by any of the refusals, and the good one still verifies.
    expect(fs.existsSync(path.join(c.dataDir, 'clinic.restore-pending.db'))).toBe(false);
    expect(c.ok('backups.verify', { file: good }, token).ok).toBe(true);
    const audited = c.ok('audit.list', { action: 'backups.verify' }, token);
    expect(audited.rows.length).toBeGreaterThanOrEqual(5);
  }, 30_000);

  it('run automatically every 15 minutes only when something changed, and keep the first of each day, week and month', async () => {
    const { c, token, folder } = setUp({ settings: { sessionIdleMs: 365 * 86_400_000 } });
    c.ok('backups.configure', { enabled: true }, token);
    const backups = c.app.backups;
    const kinds = () =>
      c
        .ok('backups.list', {}, token)
        .map((f) => f.kind)
        .sort();

    const first = backups.tick();
    expect(first).not.toBeNull();
    await finished(c, first!);
    expect(kinds()).toEqual(['daily', 'monthly', 'quarter-hourly', 'weekly']);
    expect(backups.tick()).toBeNull(); // not 15 minutes yet
    c.clock.now += 16 * 60_000;
    expect(c.ok('backups.status', {}, token)).toMatchObject({ changedSinceLast: false, enabled: true });
    expect(backups.tick()).toBeNull(); // nothing written since
    register(c, token);
    expect(c.ok('backups.status', {}, token).changedSinceLast).toBe(true);
    c.clock.now += 5 * 60_000;
    await finished(c, backups.tick()!);
    expect(kinds()).toEqual(['daily', 'monthly', 'quarter-hourly', 'quarter-hourly', 'weekly']);

    // Sunday (same ISO week as Saturday the 21st): a new daily copy only.
    c.clock.now += 24 * 3_600_000;
    register(c, token);
    await finished(c, backups.tick()!);
    expect(kinds().filter((k) => k === 'daily')).toHaveLength(2);
    expect(kinds().filter((k) => k === 'weekly')).toHaveLength(1);
    // Tuesday: a new week.
    c.clock.now += 2 * 24 * 3_600_000;
    register(c, token);
    await finished(c, backups.tick()!);
    expect(kinds().filter((k) => k === 'weekly')).toHaveLength(2);
    expect(kinds().filter((k) => k === 'monthly')).toHaveLength(1);
    // December: a new month.
    c.clock.now += 8 * 24 * 3_600_000;
    register(c, token);
    await finished(c, backups.tick()!);
    expect(kinds().filter((k) => k === 'monthly')).toHaveLength(2);

    // Switched off: nothing happens however much changes.
    c.ok('backups.configure', { enabled: false }, token);
    c.clock.now += 60 * 60_000;
    register(c, token);
    expect(backups.tick()).toBeNull();
    expect(fs.readdirSync(folder).filter((f) => f.startsWith('.'))).toEqual([]);
    const status = c.ok('backups.status', {}, token);
    expect(status.last).toMatchObject({ ok: true, kind: 'quarter-hourly' });
  }, 30_000);

  it('report a failed backup (the disk is gone) and try again later', async () => {
    const { c, token, folder } = setUp();
    c.ok('backups.configure', { enabled: true }, token);
    fs.rmSync(folder, { recursive: true });
    fs.writeFileSync(folder, 'not a folder any more');
    const job = c.app.backups.tick()!;
    const done = await c.app.jobs.wait(job.id);
    expect(done).toMatchObject({ status: 'failed', message: /backup failed.*cannot be written/ });
    expect(c.ok('backups.status', {}, token).last).toMatchObject({ ok: false, error: /cannot be written/ });
    expect(c.app.backups.tick()).toBeNull();
  });

  it('rotation keeps the newest 96 quarter-hourly, 7 daily, 4 weekly and 12 monthly files of this workstation, and every manual one', () => {
    const { c, folder } = setUp();
    const base = Date.UTC(2026, 0, 1);
    const make = (ws: string, kind: BackupKind, count: number, stepMs: number) =>
      Array.from({ length: count }, (_, i) => {
        const name = backupName(ws, kind, base + i * stepMs);
        fs.writeFileSync(path.join(folder, name), 'x');
        return name;
      });
    const quarter = make('A', 'quarter-hourly', 110, 15 * 60_000);
    const daily = make('A', 'daily', 10, 86_400_000);
    const weekly = make('A', 'weekly', 6, 7 * 86_400_000);
    const monthly = make('A', 'monthly', 14, 31 * 86_400_000);
    const manual = make('A', 'manual', 20, 3_600_000);
    const others = make('B', 'quarter-hourly', 100, 15 * 60_000);
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'not a backup');

    const removed = c.app.backups.rotate(folder, 'A');
    expect(removed).toHaveLength(14 + 3 + 2 + 2);
    const left = new Set(fs.readdirSync(folder));
    expect(quarter.filter((n) => left.has(n))).toEqual(quarter.slice(-RETENTION['quarter-hourly']));
    expect(daily.filter((n) => left.has(n))).toEqual(daily.slice(-7));
    expect(weekly.filter((n) => left.has(n))).toEqual(weekly.slice(-4));
    expect(monthly.filter((n) => left.has(n))).toEqual(monthly.slice(-12));
    expect(manual.every((n) => left.has(n))).toBe(true);
    expect(others.every((n) => left.has(n))).toBe(true);
    expect(left.has('notes.txt')).toBe(true);
    // The list reads kind, time and workstation back from the names, newest first.
    const list = c.app.backups.list();
    expect(list).toHaveLength(96 + 7 + 4 + 12 + 20 + 100);
    expect(list[0]!.at).toBeGreaterThanOrEqual(list[1]!.at);
    expect(list.find((f) => f.name === monthly.at(-1))).toMatchObject({ kind: 'monthly', workstation: 'A', at: base + 13 * 31 * 86_400_000 });
  });

  it('periods follow the clinic’s calendar and ISO weeks', () => {
    const tz = 'Asia/Kolkata';
    // 20:00 UTC on 31 Dec is already 1 January in India.
    expect(periodOf('daily', Date.UTC(2026, 11, 31, 20), tz)).toBe('2027-01-01');
    expect(periodOf('monthly', Date.UTC(2026, 11, 31, 20), tz)).toBe('2027-01');
    expect(periodOf('weekly', Date.UTC(2026, 10, 21, 6), tz)).toBe('2026-W47');
    expect(periodOf('weekly', Date.UTC(2026, 10, 22, 6), tz)).toBe('2026-W47');
    expect(periodOf('weekly', Date.UTC(2026, 10, 23, 6), tz)).toBe('2026-W48');
    expect(periodOf('weekly', Date.UTC(2027, 0, 1, 6), tz)).toBe('2026-W53');
    expect(periodOf('weekly', Date.UTC(2027, 0, 4, 6), tz)).toBe('2027-W01');
  });

  it('restore in the browser host reopens the database in place', async () => {
    const dataDir = tempDir();
    const folder = tempDir('clinic-backups-');
    const failures: unknown[] = [];
    const app = createRestartableClinicApp({ dataDir, key: TEST_KEY, backupScheduler: false }, (e) => failures.push(e));
    try {
      const call = (m: string, input: unknown, token: string | null = null) => {
        const r = app.router.call(m, input, token);
        if (!r.ok) throw new Error(`${m}: ${r.error.message}`);
        return r.value as Record<string, unknown>;
      };
      call('setup.initialize', { facility: FACILITY, admin: ADMIN });
      let token = String(call('auth.login', { username: ADMIN.username, password: ADMIN.password }).token);
      const changes: unknown[] = [];
      app.onEvent((e) => changes.push(e));
      call('backups.configure', { folder }, token);
      call('patients.register', { patient: patient() }, token);
      const job = call('backups.runNow', {}, token) as unknown as JobView;
      const done = await app.jobs.wait(job.id);
      expect(done.status).toBe('done');
      call('patients.register', { patient: patient() }, token);
      const firstDb = app.database;
      const staged = call('backups.restore', { file: String(done.result!.file) }, token);
      expect(staged).toMatchObject({ restarting: true, message: /restarts now/ });
      await new Promise((r) => setTimeout(r, 700));
      expect(failures).toEqual([]);
      expect(app.database).not.toBe(firstDb);
      expect(app.database.restored?.replacedFile).toBeTruthy();
      token = String(call('auth.login', { username: ADMIN.username, password: ADMIN.password }).token);
      expect(app.database.sqlite.prepare('SELECT count(*) FROM patients').pluck().get()).toBe(1);
      // Events still reach listeners subscribed before the restart.
      const before = changes.length;
      call('patients.register', { patient: patient() }, token);
      expect(changes.length).toBeGreaterThan(before);
    } finally {
      app.close();
    }
  });
});
