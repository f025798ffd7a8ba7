import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSystemPath } from '../../electron/services/file-access';
import { routes } from '../../electron/api';
import { PERMISSIONS } from '../../shared/permissions';
import { ADMIN, makeClinic } from '../helpers/app';
import { tempDir } from '../helpers/temp';

// Imports and backups name files on this computer: only the ones the administrator meant.

function clinic() {
  const c = makeClinic();
  const admin = c.login('admin', ADMIN.password);
  c.ok('staff.create', { username: 'rita', fullName: 'Rita Dsouza', password: 'rita-password', roles: ['receptionist'] }, admin);
  return { c, admin, reception: c.login('rita', 'rita-password'), imports: path.join(c.dataDir, 'imports') };
}

const ICD = 'code,title,category,chapter\nA000,"Cholera due to Vibrio cholerae 01, biovar cholerae",A00,1\n';

describe('which files an import may read', () => {
  it('refuses system files and the root, whatever the route, and starts no job', () => {
    const { c, admin } = clinic();
    for (const p of ['/etc/passwd', '/proc/self/environ', '/', '/dev/zero', '/sys/kernel/notes']) {
      const r = c.call('reference.importIcd10', { path: p }, admin);
      expect(r.ok, p).toBe(false);
      if (!r.ok) expect(Object.keys(r.error.fields ?? {}), p).toEqual(['path']);
    }
    expect(c.call('reference.importLgd', { folder: '/etc' }, admin)).toMatchObject({ ok: false, error: { fields: { folder: expect.any(String) } } });
    // Picked in the dialog or not, a system file stays out of reach.
    c.pick('/etc/hostname');
    expect(c.call('reference.importIcd10', { path: '/etc/hostname' }, admin)).toMatchObject({ ok: false, error: { code: 'forbidden', fields: { path: 'A system location' } } });
    expect(c.app.jobs.list()).toEqual([]);
  });

  it('reads a file picked in the Open dialog, or kept in the import folder, and nothing else', async () => {
    const { c, admin, imports } = clinic();
    const elsewhere = path.join(tempDir(), 'icd.csv');
    fs.writeFileSync(elsewhere, ICD);
    const refused = c.call('reference.importIcd10', { path: elsewhere }, admin);
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden', fields: { path: 'Choose the file, or put it in the import folder' } } });
    expect(refused.ok ? '' : refused.error.message).toContain(imports);

    c.pick(elsewhere);
    const picked = c.ok('reference.importIcd10', { path: elsewhere }, admin);
    expect((await c.app.jobs.wait(picked.id)).status).toBe('done');

    const inFolder = path.join(imports, 'icd.csv');
    fs.writeFileSync(inFolder, ICD);
    const started = c.ok('reference.importIcd10', { path: inFolder }, admin);
    expect((await c.app.jobs.wait(started.id)).status).toBe('done');
  });

  it('follows links before judging: a link in the import folder to a system file is refused', () => {
    const { c, admin, imports } = clinic();
    const link = path.join(imports, 'innocent.csv');
    fs.symlinkSync('/etc/passwd', link);
    expect(c.call('reference.importIcd10', { path: link }, admin)).toMatchObject({ ok: false, error: { code: 'forbidden', fields: { path: 'A system location' } } });
    const up = path.join(imports, '..', '..', 'elsewhere.csv');
    fs.writeFileSync(up, ICD);
    expect(c.call('reference.importIcd10', { path: up }, admin)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('never puts what a wrong file holds into the job’s message', async () => {
    const { c, admin, imports } = clinic();
    const secret = 'sk_live_ABCDEF0123456789';
    const file = path.join(imports, 'not-a-csv.csv');
    // The reader's own message would quote the header and the field ("a quote is found on field …").
    fs.writeFileSync(file, `code,title,category,chapter,${secret}\nA00,Cholera,A00,1,ab"c\n`);
    const started = c.ok('reference.importIcd10', { path: file }, admin);
    const job = await c.app.jobs.wait(started.id);
    expect(job.status).toBe('failed');
    expect(job.message).toMatch(/not a CSV file the app can read/);
    expect(JSON.stringify(job)).not.toContain(secret);
  });

  it('lets the administrator move the import folder, but not to a system location, and nobody else', () => {
    const { c, admin, reception } = clinic();
    const mine = tempDir();
    expect(c.ok('files.setImportFolder', { folder: mine }, admin).folder).toBe(fs.realpathSync(mine));
    expect(c.ok('files.importFolder', {}, admin)).toEqual({ folder: fs.realpathSync(mine), canChoose: false });
    expect(c.call('files.setImportFolder', { folder: '/etc' }, admin)).toMatchObject({ ok: false, error: { fields: { folder: 'A system location' } } });
    expect(c.call('files.setImportFolder', { folder: '/' }, admin)).toMatchObject({ ok: false, error: { fields: { folder: 'A system location' } } });
    expect(c.call('files.setImportFolder', { folder: tempDir() }, reception)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(c.call('files.importFolder', {}, reception)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // The browser host has no Open dialog, and says where to put the file instead.
    expect(c.call('files.choose', { kind: 'csv' }, admin)).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining(fs.realpathSync(mine)) } });
  });
});

describe('the desktop app’s Open dialog', () => {
  it('lets what was picked be imported, a picked folder’s own files but not its subfolders, and asks for the import folder to be picked too', async () => {
    const picks: string[] = [];
    const c = makeClinic({ chooseFile: async () => picks.shift() ?? null });
    const admin = c.login('admin', ADMIN.password);
    const home = tempDir();
    fs.writeFileSync(path.join(home, 'icd.csv'), ICD);
    fs.mkdirSync(path.join(home, '.ssh'));
    fs.writeFileSync(path.join(home, '.ssh', 'id_ed25519.csv'), ICD);
    expect(c.ok('files.importFolder', {}, admin).canChoose).toBe(true);

    picks.push(home);
    const chosen = await c.app.jobs.wait(c.ok('files.choose', { kind: 'folder' }, admin).id);
    expect(chosen.result).toEqual({ path: fs.realpathSync(home) });
    const direct = c.ok('reference.importIcd10', { path: path.join(home, 'icd.csv') }, admin);
    expect((await c.app.jobs.wait(direct.id)).status).toBe('done');
    expect(c.call('reference.importIcd10', { path: path.join(home, '.ssh', 'id_ed25519.csv') }, admin)).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    // Cancelled: nothing picked, nothing granted.
    const cancelled = await c.app.jobs.wait(c.ok('files.choose', { kind: 'csv' }, admin).id);
    expect(cancelled.result).toEqual({ path: null });

    // A typed import folder would open a whole folder without the dialog: it must be picked.
    const other = tempDir();
    expect(c.call('files.setImportFolder', { folder: other }, admin)).toMatchObject({ ok: false, error: { code: 'forbidden', fields: { folder: 'Choose the folder in the dialog' } } });
    picks.push(other);
    await c.app.jobs.wait(c.ok('files.choose', { kind: 'folder' }, admin).id);
    expect(c.ok('files.setImportFolder', { folder: other }, admin).folder).toBe(fs.realpathSync(other));
  });
});

describe('backup folders and files', () => {
  it('refuses system locations as the backup folder, and system files as backups to read', () => {
    const { c, admin } = clinic();
    for (const folder of ['/', '/etc', '/proc/self', '/usr/local/backups']) {
      expect(c.call('backups.configure', { folder }, admin), folder).toMatchObject({ ok: false, error: { fields: { folder: expect.any(String) } } });
    }
    for (const file of ['/etc/passwd', '/proc/self/environ']) {
      expect(c.call('backups.verify', { file }, admin), file).toMatchObject({ ok: false, error: { code: 'forbidden', fields: { file: 'A system location' } } });
    }
    // Not a file at all: never opened (reading it would never end).
    expect(c.call('backups.verify', { file: '/dev/zero' }, admin)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(c.ok('backups.configure', { folder: tempDir() }, admin).folder).toBeTruthy();
  });
});

describe('who may name files', () => {
  it('is exactly those who may run an import that reads a file', () => {
    const importers = Object.entries(routes)
      .filter(([name]) => /\.import/.test(name))
      .flatMap(([, def]) => (def.access === 'public' || def.access === 'session' ? ['everyone'] : [...PERMISSIONS[def.access]]));
    expect(importers.length).toBeGreaterThan(0);
    expect([...PERMISSIONS['files.import']].sort()).toEqual([...new Set(importers)].sort());
  });
});

describe('what counts as a system location', () => {
  it('knows Windows’ own folders and drive roots too', () => {
    expect(isSystemPath('C:\\', 'win32')).toBe(true);
    expect(isSystemPath('c:\\Windows\\System32\\config\\SAM', 'win32')).toBe(true);
    expect(isSystemPath('C:\\Program Files\\Clinic', 'win32')).toBe(true);
    expect(isSystemPath('D:\\ClinicBackups', 'win32')).toBe(false);
    expect(isSystemPath('C:\\Users\\asha\\Downloads\\icd10.csv', 'win32')).toBe(false);
    expect(isSystemPath('/home/asha/Downloads/icd10.csv', 'linux')).toBe(false);
    expect(isSystemPath('/media/usb/clinic-backups', 'linux')).toBe(false);
    expect(isSystemPath('/usr/share/doc', 'linux')).toBe(true);
  });
});
