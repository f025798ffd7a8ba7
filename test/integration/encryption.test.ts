import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatabaseKeyError, openDatabase } from '../../db/open';
import { connect, isPlainSqliteFile } from '../../db/sqlite';
import {
  fileProtector,
  keyFromEnvironment,
  KeyUnavailableError,
  loadOrCreateKey,
  safeStorageProtector,
  type KeyProtector,
} from '../../electron/keys';
import { ADMIN, makeClinic, TEST_KEY } from '../helpers/app';
import { tempDir } from '../helpers/temp';

const NAME = { givenName: 'Zebulon', familyName: 'Quixotepatel' };

function registerDistinctPatient(c: ReturnType<typeof makeClinic>) {
  const token = c.login(ADMIN.username, ADMIN.password);
  return c.ok(
    'patients.register',
    { patient: { ...NAME, gender: 'male', ageYears: 41, mobile: '9812345678', addressLine1: 'Flat 7, Koregaon Park' } },
    token,
  );
}

function contains(file: string, text: string): boolean {
  if (!fs.existsSync(file)) return false;
  const bytes = fs.readFileSync(file);
  return bytes.includes(Buffer.from(text, 'utf8')) || bytes.includes(Buffer.from(text, 'utf16le'));
}

describe('encryption at rest', () => {
  it('keeps no patient name in clear in the database file or its write-ahead log', () => {
    const c = makeClinic();
    registerDistinctPatient(c);
    const file = c.app.dbFile;
    // Before a checkpoint the new pages are in the WAL; after it, in the main file.
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
    for (const f of [file, `${file}-wal`]) {
      expect(contains(f, NAME.familyName), f).toBe(false);
      expect(contains(f, 'Koregaon'), f).toBe(false);
    }
    c.app.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    expect(contains(file, NAME.familyName)).toBe(false);
    expect(contains(file, NAME.givenName)).toBe(false);
    expect(contains(file, '9812345678')).toBe(false);
    expect(isPlainSqliteFile(file)).toBe(false);
    // The same search through the app still finds the patient.
    const token = c.login(ADMIN.username, ADMIN.password);
    expect(JSON.stringify(c.ok('patients.search', { query: 'Quixotepatel' }, token))).toContain(NAME.familyName);
  });

  it('cannot be opened without the key or with a wrong key, and a failed open leaves the file untouched', () => {
    const c = makeClinic();
    registerDistinctPatient(c);
    const file = c.app.dbFile;
    c.app.close();
    const before = fs.readFileSync(file);
    const wrong = randomBytes(32);
    expect(() => openDatabase(file)).toThrow(DatabaseKeyError);
    expect(() => openDatabase(file, { key: wrong })).toThrow(DatabaseKeyError);
    expect(() => openDatabase(file, { key: wrong })).toThrow(/encrypted and the key is wrong or missing/);
    expect(() => connect(file, { key: wrong, readonly: true })).toThrow(DatabaseKeyError);
    expect(() => makeClinic({ dataDir: c.dataDir, setup: false, key: null })).toThrow(/key is wrong or missing/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0).toBe(0);
    // The right key opens it, with everything in it.
    const again = makeClinic({ dataDir: c.dataDir, setup: false });
    const token = again.login(ADMIN.username, ADMIN.password);
    expect(again.ok('patients.search', { query: 'Zebulon' }, token)).toHaveLength(1);
  });

  it('encrypts an existing plain database once, in place, and then opens it only with the key', () => {
    const plain = makeClinic({ key: null });
    registerDistinctPatient(plain);
    const file = plain.app.dbFile;
    plain.app.close();
    expect(isPlainSqliteFile(file)).toBe(true);
    expect(contains(file, NAME.familyName) || contains(`${file}-wal`, NAME.familyName)).toBe(true);

    const migrated = makeClinic({ dataDir: plain.dataDir, setup: false });
    expect(migrated.app.database.encrypted).toBe(true);
    const token = migrated.login(ADMIN.username, ADMIN.password);
    expect(migrated.ok('patients.search', { query: 'Quixotepatel' }, token)).toHaveLength(1);
    const audit = migrated.ok('audit.list', { action: 'database.encrypted' }, token);
    expect(audit.rows).toHaveLength(1);
    migrated.app.close();

    expect(isPlainSqliteFile(file)).toBe(false);
    expect(contains(file, NAME.familyName)).toBe(false);
    expect(fs.readdirSync(plain.dataDir).filter((f) => f.includes('encrypting'))).toEqual([]);
    expect(() => openDatabase(file)).toThrow(DatabaseKeyError);
    // Once: the next open finds it encrypted and does not touch it again.
    const reopened = makeClinic({ dataDir: plain.dataDir, setup: false });
    expect(reopened.app.database.encrypted).toBeUndefined();
    const t2 = reopened.login(ADMIN.username, ADMIN.password);
    expect(reopened.ok('patients.search', { query: 'Zebulon' }, t2)).toHaveLength(1);
  });

  it('leaves a plain database as it was if encrypting it cannot finish', () => {
    const plain = makeClinic({ key: null });
    registerDistinctPatient(plain);
    const file = plain.app.dbFile;
    plain.app.close();
    const before = fs.readFileSync(file);
    // A directory where the temporary copy must go makes the copy fail.
    fs.mkdirSync(`${file}.encrypting`);
    fs.writeFileSync(path.join(`${file}.encrypting`, 'x'), 'x');
    expect(() => openDatabase(file, { key: TEST_KEY })).toThrow();
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(isPlainSqliteFile(file)).toBe(true);
  });
});

describe('the database key', () => {
  const xor: KeyProtector = {
    name: 'test store',
    protect: (s) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
    unprotect: (b) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
  };

  it('is made once per installation, kept through the protector in a file only the owner can read', () => {
    const dir = tempDir();
    const keyFile = path.join(dir, 'db.key');
    const first = loadOrCreateKey({ keyFile, protector: xor, dbFile: path.join(dir, 'clinic.db') });
    expect(first.created).toBe(true);
    expect(first.key).toHaveLength(32);
    const stored = fs.readFileSync(keyFile);
    expect(stored.toString('utf8')).not.toContain(first.key.toString('hex'));
    if (process.platform !== 'win32') expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const second = loadOrCreateKey({ keyFile, protector: xor, dbFile: path.join(dir, 'clinic.db') });
    expect(second.created).toBe(false);
    expect(second.key.equals(first.key)).toBe(true);
    // Two installations get different keys.
    const other = loadOrCreateKey({ keyFile: path.join(tempDir(), 'db.key'), protector: xor, dbFile: path.join(dir, 'none.db') });
    expect(other.key.equals(first.key)).toBe(false);
  });

  it('is never made up for an encrypted database whose key file is gone', () => {
    const c = makeClinic();
    c.app.close();
    expect(() => loadOrCreateKey({ keyFile: path.join(c.dataDir, 'db.key'), protector: fileProtector, dbFile: c.app.dbFile })).toThrow(
      /encrypted but its key .* is missing/,
    );
    expect(fs.existsSync(path.join(c.dataDir, 'db.key'))).toBe(false);
    // A plain database gets a key (and is then encrypted when opened with it).
    const plain = makeClinic({ key: null });
    plain.app.close();
    const made = loadOrCreateKey({ keyFile: path.join(plain.dataDir, 'db.key'), protector: fileProtector, dbFile: plain.app.dbFile });
    expect(made.created).toBe(true);
    const reopened = makeClinic({ dataDir: plain.dataDir, setup: false, key: made.key });
    expect(reopened.app.database.encrypted).toBe(true);
  });

  it('comes from CLINIC_DB_KEY in the browser host and tests, checked for shape', () => {
    expect(keyFromEnvironment({})).toBeNull();
    expect(keyFromEnvironment({ CLINIC_DB_KEY: 'ab'.repeat(32) })?.toString('hex')).toBe('ab'.repeat(32));
    expect(() => keyFromEnvironment({ CLINIC_DB_KEY: 'secret' })).toThrow(KeyUnavailableError);
  });

  it('is kept by safeStorage in the desktop app, and refused when the OS key store is unavailable', () => {
    const dir = tempDir();
    let available = true;
    const fake = {
      isEncryptionAvailable: () => available,
      encryptString: (s: string) => Buffer.from(`sealed:${Buffer.from(s).toString('base64')}`),
      decryptString: (b: Buffer) => Buffer.from(b.toString().slice('sealed:'.length), 'base64').toString(),
      getSelectedStorageBackend: () => 'gnome_libsecret' as const,
    };
    const keyFile = path.join(dir, 'db.key');
    const made = loadOrCreateKey({ keyFile, protector: safeStorageProtector(fake), dbFile: path.join(dir, 'clinic.db') });
    expect(fs.readFileSync(keyFile).toString()).toMatch(/^sealed:/);
    expect(loadOrCreateKey({ keyFile, protector: safeStorageProtector(fake), dbFile: path.join(dir, 'clinic.db') }).key.equals(made.key)).toBe(true);
    available = false;
    expect(() => loadOrCreateKey({ keyFile, protector: safeStorageProtector(fake), dbFile: path.join(dir, 'clinic.db') })).toThrow(/key store is not available/);
  });
});
