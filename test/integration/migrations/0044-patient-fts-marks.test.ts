import { describe, expect, it } from 'vitest';
import { ADMIN, makeClinic } from '../../helpers/app';

/**
 * 0044 builds the name index again with Unicode marks inside words (Devanagari's vowel signs and
 * viramas), and the app writes every name into it once at its next open, each patient keeping their
 * place in the recency order. Played here as an upgrade: a database as the build before left it
 * (the old tokenizer, a Devanagari name indexed as nothing, D'Souza as two words), opened by this one.
 */

const OLD_FTS = `CREATE VIRTUAL TABLE patient_fts USING fts5(name, ph, content = '', contentless_delete = 1, prefix = '1 2 3', tokenize = 'unicode61 remove_diacritics 2')`;

describe('migration 0044_patient_fts_marks', () => {
  it('finds names in Devanagari by their whole words after the upgrade, not by their consonants, and keeps the recency order', () => {
    const before = makeClinic();
    const admin = before.login(ADMIN.username, ADMIN.password);
    const register = (givenName: string, familyName: string) => {
      const r = before.ok('patients.register', { patient: { givenName, familyName, gender: 'female', ageYears: 40 }, acknowledgeDuplicates: [] }, admin);
      if (r.status !== 'registered') throw new Error('not registered');
      return r.patient.id;
    };
    const ids = [register('राम', 'शर्मा'), register('रीमा', 'वर्मा'), register('Maria', "D'Souza"), register('Rekha', 'Rao')];
    const sqlite = before.app.database.sqlite;
    const ranks = () => ids.map((id) => sqlite.prepare('SELECT rank FROM patient_search WHERE patient_id = ?').pluck().get(id) as number);
    const ranksBefore = ranks();
    // The index as the build before wrote it, and the database as it left it: 0044 not applied.
    const oldText = ['', '', 'maria d souza', 'rekha rao'];
    sqlite.exec('DROP TABLE patient_fts');
    sqlite.exec(OLD_FTS);
    ranksBefore.forEach((rank, i) => sqlite.prepare('INSERT INTO patient_fts (rowid, name, ph) VALUES (?, ?, ?)').run(rank, oldText[i], ''));
    sqlite.exec("DELETE FROM __drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations); DELETE FROM local_meta WHERE key = 'search.nameIndexVersion'");
    before.app.close();

    const after = makeClinic({ dataDir: before.dataDir, setup: false });
    const token = after.login(ADMIN.username, ADMIN.password);
    const names = (query: string) => after.ok('patients.search', { query }, token).map((p) => p.name);
    expect(names('राम')).toEqual(['राम शर्मा']);
    expect(names('रीमा')).toEqual(['रीमा वर्मा']);
    expect(names('रा')).toEqual(['राम शर्मा']);
    expect(names('dsouza')).toEqual(["Maria D'Souza"]);
    expect(names('rekha')).toEqual(['Rekha Rao']);
    const again = after.app.database.sqlite;
    expect(ids.map((id) => again.prepare('SELECT rank FROM patient_search WHERE patient_id = ?').pluck().get(id))).toEqual(ranksBefore);
    expect(again.prepare("SELECT value FROM local_meta WHERE key = 'search.nameIndexVersion'").pluck().get()).toBe('3');
  });
});
