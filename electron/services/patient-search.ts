import type Database from '../../db/sqlite';
import { normalisePhone } from '../../shared/phone';
import { apostropheParts, isLatinWord, nameWords, phoneticKey } from './phonetic';

/**
 * The local patient search index: `patient_search` (rank, mobile reversed) plus the `patient_fts`
 * name index whose rowid is the rank. A higher rank means a more recent registration or visit.
 * Raw SQL here because FTS5 and rowid streaming are outside what the query builder expresses.
 */
export interface Indexable {
  id: string;
  givenName: string;
  familyName: string | null;
  mobile: string | null;
}

export function displayName(p: { givenName: string; familyName: string | null }): string {
  return p.familyName ? `${p.givenName} ${p.familyName}` : p.givenName;
}

/** The mobile's digits reversed (so its last digits are an index prefix), or null without any. */
export function reversedDigits(mobile: string | null): string | null {
  const digits = mobile?.replace(/\D/g, '') ?? '';
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- ASCII digits only, so code points and code units agree
  return digits.length > 0 ? [...digits].reverse().join('') : null;
}

const INDEX_SQL = {
  rankOf: 'SELECT rank FROM patient_search WHERE patient_id = ?',
  dropFts: 'DELETE FROM patient_fts WHERE rowid = ?',
  dropRank: 'DELETE FROM patient_search WHERE rank = ?',
  top: 'SELECT MAX(rank) FROM patient_search',
  addRank: 'INSERT INTO patient_search (rank, patient_id, mobile_rev) VALUES (?, ?, ?)',
  addFts: 'INSERT INTO patient_fts (rowid, name, ph) VALUES (?, ?, ?)',
} as const;
type IndexStatements = Record<keyof typeof INDEX_SQL, Database.Statement>;
const prepared = new WeakMap<Database.Database, IndexStatements>();

/**
 * The index's statements, prepared once per database handle: a pull page indexes up to 200
 * patients in one go on the main process, and preparing six statements each time was a third of it.
 */
function indexStatements(sqlite: Database.Database): IndexStatements {
  let s = prepared.get(sqlite);
  if (!s) {
    const p = (sql: string) => sqlite.prepare(sql);
    s = { rankOf: p(INDEX_SQL.rankOf).pluck(), dropFts: p(INDEX_SQL.dropFts), dropRank: p(INDEX_SQL.dropRank), top: p(INDEX_SQL.top).pluck(), addRank: p(INDEX_SQL.addRank), addFts: p(INDEX_SQL.addFts) };
    prepared.set(sqlite, s);
  }
  return s;
}

/** Puts a patient at the top of the recency order and (re)indexes their name and mobile. */
export function indexPatient(sqlite: Database.Database, p: Indexable): void {
  const s = indexStatements(sqlite);
  const previous = s.rankOf.get(p.id) as number | undefined;
  if (previous !== undefined) {
    s.dropFts.run(previous);
    s.dropRank.run(previous);
  }
  const rank = ((s.top.get() as number | null) ?? 0) + 1;
  s.addRank.run(rank, p.id, reversedDigits(p.mobile));
  const text = nameIndexText(displayName(p));
  s.addFts.run(rank, text.name, text.ph);
}

/**
 * What `patient_fts` holds for a name: its normalised words, and their phonetic keys. A word with
 * an apostrophe is held joined and in its parts too, so D'Souza is found as "dsouza", "d'souza"
 * and "d souza".
 */
export function nameIndexText(name: string): { name: string; ph: string } {
  const words = nameWords(name);
  const parts = apostropheParts(name);
  const keys = words.filter(isLatinWord).map(phoneticKey);
  return { name: [...words, ...parts.filter((p) => !words.includes(p))].join(' '), ph: keys.join(' ') };
}

/**
 * Bumped when nameIndexText or the index's tokenizer changes what is held: every name is written
 * again once. 2: names in another script kept, apostrophes joining; 3: the tokenizer keeps marks
 * (migration 0044, which leaves the name index empty).
 */
const NAME_INDEX_VERSION = '3';
const NAME_INDEX_META = 'search.nameIndexVersion';

const NAME_INDEX_CURSOR = 'search.nameIndexCursor';

/** Records that the name index is as this build writes it (a database built row by row, the bench's seed). */
export function markNameIndexCurrent(sqlite: Database.Database): void {
  sqlite.prepare('INSERT INTO local_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(NAME_INDEX_META, NAME_INDEX_VERSION);
  sqlite.prepare('DELETE FROM local_meta WHERE key = ?').run(NAME_INDEX_CURSOR);
}

/**
 * One slice of writing every patient's name index again after an upgrade that changed it: up to
 * `maxRows` names, the most recent visitors first (they are searched for first), each keeping its
 * place in the recency order (patient_search is not touched), in one transaction that also moves
 * the cursor, so a restart goes on where it stopped. A patient registered or edited meanwhile is
 * indexed as usual under a new rank above the cursor. `done` once every name is written (and from
 * then on, at once). A million names take about 24 s in one go on the 2-core machine, which is why
 * the app writes them in slices between calls (electron/app.ts) rather than before it opens.
 */
export function refreshNameIndexSlice(sqlite: Database.Database, maxRows: number): { rows: number; done: boolean } {
  const meta = sqlite.prepare('SELECT value FROM local_meta WHERE key = ?').pluck();
  if (meta.get(NAME_INDEX_META) === NAME_INDEX_VERSION) return { rows: 0, done: true };
  return sqlite.transaction(() => {
    const cursor = Number(meta.get(NAME_INDEX_CURSOR) ?? Number.MAX_SAFE_INTEGER);
    const rows = sqlite
      .prepare(
        `SELECT s.rank, p.given_name AS givenName, p.family_name AS familyName FROM patient_search s JOIN patients p ON p.id = s.patient_id
         WHERE s.rank < ? ORDER BY s.rank DESC LIMIT ?`,
      )
      .all(cursor, maxRows) as { rank: number; givenName: string; familyName: string | null }[];
    const s = indexStatements(sqlite);
    for (const r of rows) {
      const text = nameIndexText(displayName(r));
      s.dropFts.run(r.rank);
      s.addFts.run(r.rank, text.name, text.ph);
    }
    if (rows.length < maxRows) {
      markNameIndexCurrent(sqlite);
      return { rows: rows.length, done: true };
    }
    sqlite.prepare('INSERT INTO local_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(NAME_INDEX_CURSOR, String(rows.at(-1)!.rank));
    return { rows: rows.length, done: false };
  })();
}

/** Every remaining slice at once (tests, tools); the number of names written. */
export function refreshNameIndex(sqlite: Database.Database): number {
  let total = 0;
  for (;;) {
    const slice = refreshNameIndexSlice(sqlite, 5_000);
    total += slice.rows;
    if (slice.done) return total;
  }
}

export function unindexPatient(sqlite: Database.Database, patientId: string): void {
  const rank = sqlite.prepare('SELECT rank FROM patient_search WHERE patient_id = ?').pluck().get(patientId) as number | undefined;
  if (rank === undefined) return;
  sqlite.prepare('DELETE FROM patient_fts WHERE rowid = ?').run(rank);
  sqlite.prepare('DELETE FROM patient_search WHERE rank = ?').run(rank);
}

export type MatchKind = 'abha' | 'mrn' | 'mobile' | 'name' | 'name-prefix' | 'sounds-like';
export interface SearchHit {
  patientId: string;
  match: MatchKind;
}

/** The search's few statements, compiled once per connection (each plucks the one id column it selects). */
const searchStatements = new WeakMap<Database.Database, Map<string, Database.Statement>>();
function searchStatement(sqlite: Database.Database, sql: string): Database.Statement {
  let byText = searchStatements.get(sqlite);
  if (!byText) {
    byText = new Map();
    searchStatements.set(sqlite, byText);
  }
  let s = byText.get(sql);
  if (!s) {
    s = sqlite.prepare(sql).pluck();
    byText.set(sql, s);
  }
  return s;
}

const quote = (w: string) => `"${w.replace(/"/g, '')}"`;

/**
 * Finds patients for whatever the receptionist typed: an ABHA number or address, an MRN, a full
 * mobile or its last digits, or words of a name in any order. Exact matches come before prefix
 * matches, which come before sound-alike matches; within each, the most recent visitors first.
 */
export function searchPatients(sqlite: Database.Database, query: string, limit: number): SearchHit[] {
  const q = query.trim();
  if (q.length === 0) return [];
  const hits: SearchHit[] = [];
  const seen = new Set<string>();
  const add = (ids: string[], match: MatchKind) => {
    for (const id of ids) {
      if (hits.length >= limit) return;
      if (!seen.has(id)) {
        seen.add(id);
        hits.push({ patientId: id, match });
      }
    }
  };
  const ids = (sql: string, ...params: unknown[]) => searchStatement(sqlite, sql).all(...params) as string[];

  if (q.includes('@')) {
    add(ids('SELECT id FROM patients WHERE abha_address = ? AND deleted_at IS NULL', q.toLowerCase()), 'abha');
    return hits;
  }

  // "+91 98765 43210" and "098765 43210" are the same mobile as "9876543210".
  const digits = normalisePhone(q);
  if (/^\d+$/.test(digits)) {
    if (digits.length === 14) add(ids('SELECT id FROM patients WHERE abha_number = ? AND deleted_at IS NULL', digits), 'abha');
    if (digits.length >= 4) {
      // eslint-disable-next-line @typescript-eslint/no-misused-spread -- ASCII digits only, so code points and code units agree
      const rev = [...digits].reverse().join('');
      add(
        ids(
          `SELECT s.patient_id FROM patient_search s WHERE s.mobile_rev >= ? AND s.mobile_rev < ? ORDER BY s.rank DESC LIMIT ?`,
          rev,
          rev + ':',
          limit,
        ),
        'mobile',
      );
    }
  }

  if (/^[a-z0-9]+-\d+$/i.test(q)) {
    // An MRN is an identifier, not a name: "A-000123" must not go on to list everyone named "A…".
    add(ids('SELECT id FROM patients WHERE mrn = ? AND deleted_at IS NULL', q.toUpperCase()), 'mrn');
    return hits;
  }

  const words = nameWords(q).filter((w) => /\p{L}/u.test(w));
  if (words.length === 0 || hits.length >= limit) return hits;
  const byRank = (match: string) =>
    ids(
      `SELECT s.patient_id FROM patient_fts f JOIN patient_search s ON s.rank = f.rowid
       WHERE patient_fts MATCH ? ORDER BY f.rowid DESC LIMIT ?`,
      match,
      limit,
    );
  add(byRank(words.map((w) => `name:${quote(w)}`).join(' AND ')), 'name');
  if (hits.length < limit) add(byRank(words.map((w) => `name:${quote(w)}*`).join(' AND ')), 'name-prefix');
  if (hits.length < limit) {
    const soundsLike = words.map((w) => {
      const key = phoneticKey(w);
      return w.length >= 3 && key.length >= 2 ? `(name:${quote(w)}* OR ph:${quote(key)}*)` : `name:${quote(w)}*`;
    });
    add(byRank(soundsLike.join(' AND ')), 'sounds-like');
  }
  return hits;
}
