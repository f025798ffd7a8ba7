import Database from '../../db/sqlite';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatabaseTooNewError, openDatabase } from '../../db/open';
import { changeLog, facility } from '../../db/schema';
import { Writer, type WriteRecord } from '../../db/write';
import { HybridClock } from '../../shared/hlc';
import type { Role } from '../../shared/enums';
import { SyncRuleError } from '../../shared/sync-rules';
import { tempDir } from '../helpers/temp';

function writerFor(file: string, roles: Role[] = ['admin']) {
  const opened = openDatabase(file);
  const clock = new HybridClock('device-1', () => 1_700_000_000_000);
  const records: WriteRecord[] = [];
  const writer = new Writer({
    db: opened.db,
    deviceId: 'device-1',
    now: () => 1_700_000_000_000,
    tick: () => clock.tick(),
    userId: 'user-1',
    roles,
    record: (r) => records.push(r),
  });
  return { ...opened, writer, records };
}

describe('openDatabase', () => {
  it('creates a WAL database with foreign keys on and every migration applied', () => {
    const file = path.join(tempDir(), 'clinic.db');
    const { sqlite } = openDatabase(file);
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type='table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['users', 'facility', 'audit_log', 'change_log', 'sessions', 'local_meta']));
    sqlite.close();
    // Opening again is a no-op, not a second migration.
    const again = openDatabase(file);
    const applied = again.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get();
    expect(applied).toBe(fs.readdirSync('db/migrations').filter((f) => f.endsWith('.sql')).length);
    again.sqlite.close();
  });

  it('refuses a database written by a newer app and leaves it untouched', () => {
    const file = path.join(tempDir(), 'clinic.db');
    openDatabase(file).sqlite.close();
    const raw = new Database(file);
    raw.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('future', 4_000_000_000_000);
    raw.close();
    const before = fs.readFileSync(file);
    expect(() => openDatabase(file)).toThrow(DatabaseTooNewError);
    expect(() => openDatabase(file)).toThrow(/newer version/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });
});

describe('the write helper', () => {
  it('stamps sync columns and appends to change_log in the same transaction', () => {
    const { sqlite, db, writer, records } = writerFor(path.join(tempDir(), 'clinic.db'));
    const row = sqlite.transaction(() => writer.insert(facility, { name: 'A', address: 'B', phone: '0201234567' }))();
    expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(row).toMatchObject({ createdAt: 1_700_000_000_000, deviceId: 'device-1', deletedAt: null });
    expect(row.hlc).toContain('device-1');

    const updated = sqlite.transaction(() => writer.update(facility, row.id, { name: 'A2', address: 'B' }))();
    expect(updated.name).toBe('A2');
    expect(updated.hlc > row.hlc).toBe(true);
    sqlite.transaction(() => writer.remove(facility, row.id))();

    const log = db.select().from(changeLog).all();
    expect(log.map((l) => l.op)).toEqual(['insert', 'update', 'delete']);
    expect(log[0]!.columns).toMatchObject({ name: 'A', device_id: 'device-1' });
    // Only what changed travels: the unchanged address is not in the update.
    expect(Object.keys(log[1]!.columns)).toEqual(expect.arrayContaining(['name', 'updated_at', 'hlc']));
    expect(log[1]!.columns).not.toHaveProperty('address');
    expect(log[2]!.columns).toHaveProperty('deleted_at', 1_700_000_000_000);
    expect(records[1]).toMatchObject({ op: 'update', old: { name: 'A' }, new: { name: 'A2' } });
  });

  it('leaves neither the row nor its change_log entry when the transaction fails', () => {
    const { sqlite, db, writer } = writerFor(path.join(tempDir(), 'clinic.db'));
    expect(() =>
      sqlite.transaction(() => {
        writer.insert(facility, { name: 'A', address: 'B', phone: '0201234567' });
        throw new Error('power cut');
      })(),
    ).toThrow('power cut');
    expect(db.select().from(facility).all()).toHaveLength(0);
    expect(db.select().from(changeLog).all()).toHaveLength(0);
  });

  it('refuses a write the sync rule book forbids, before the row or its change_log entry exists', () => {
    const { sqlite, db, writer } = writerFor(path.join(tempDir(), 'clinic.db'), ['receptionist']);
    const attempt = () => sqlite.transaction(() => writer.insert(facility, { name: 'A', address: 'B', phone: '0201234567' }))();
    expect(attempt).toThrow(SyncRuleError);
    expect(attempt).toThrow('a receptionist may not change facility');
    expect(db.select().from(facility).all()).toHaveLength(0);
    expect(db.select().from(changeLog).all()).toHaveLength(0);
  });

  it('makes the audit log insert-only at the database level', () => {
    const { sqlite } = openDatabase(path.join(tempDir(), 'clinic.db'));
    sqlite
      .prepare(
        "INSERT INTO audit_log (id, created_at, updated_at, hlc, device_id, at, action, outcome) VALUES ('a', 1, 1, 'h', 'd', 1, 'x', 'ok')",
      )
      .run();
    expect(() => sqlite.prepare("UPDATE audit_log SET action = 'y'").run()).toThrow(/insert-only/);
    expect(() => sqlite.prepare('DELETE FROM audit_log').run()).toThrow(/insert-only/);
  });
});
