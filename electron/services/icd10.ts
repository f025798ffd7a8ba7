import type Database from '../../db/sqlite';
import { importCsv } from './csv-import';
import type { JobControl } from './jobs';
import { personalCodes, type PersonalCode } from './icd10-personal';
import { layTermCodes, wordsOf } from './lay-terms';
import { spellingVariants } from './spelling';

export interface IcdHit {
  code: string;
  title: string;
  billable: boolean;
}

const CODE_LIKE = /^[A-Za-z][\dA-Za-z]{1,2}(\.[\dA-Za-z]{0,4})?$/;
/** Lay terms fill at most this many places, so title matches still show for a broad word. */
const LAY_MAX = 6;

type Row = { code: string; title: string; billable: number };

/** Whose search it is: their recent and favourite diagnoses come first. */
export interface Searcher {
  doctorId: string;
  /** The first day (ISO) whose consultations count as recent. */
  since: string;
  /** The clinic clock (ms), for how long the doctor's list is kept. */
  now: number;
}

/**
 * Codes by code prefix ("E11", "j06.9"), everyday words ("piles", "pet dard": the lay terms), and
 * titles by words in any order and prefixes ("diab typ 2"), offline. The searcher's own recent and
 * favourite diagnoses that match come first; then codes, lay terms, and titles, where the everyday
 * OPD codes (the starter list) lead, then billable codes, then shorter titles.
 */
export function searchIcd10(sqlite: Database.Database, query: string, limit: number, searcher?: Searcher): IcdHit[] {
  const q = query.trim();
  if (q.length === 0) return [];
  const lay = layTermCodes(q, Math.min(LAY_MAX, limit));
  const hits: IcdHit[] = [];
  const seen = new Set<string>();
  const add = (rows: (Row | PersonalCode)[]) => {
    for (const r of rows) {
      if (hits.length >= limit || seen.has(r.code)) continue;
      seen.add(r.code);
      hits.push({ code: r.code, title: r.title, billable: r.billable === true || r.billable === 1 });
    }
  };
  const layCodes = lay.map((m) => m.code);
  if (searcher) add(personalCodes(sqlite, searcher.doctorId, searcher.since, searcher.now).filter((p) => matchesQuery(p, q, layCodes)));
  if (CODE_LIKE.test(q)) add(codePrefixHits(sqlite, q.toUpperCase(), limit));
  const layRows = codeRows(sqlite, layCodes);
  // A lay term typed whole ("piles") leads; one only begun or misspelt ("hypert" of "hyperthyroid")
  // waits behind the everyday codes whose titles match ("hypert": Essential hypertension).
  add(layRows.filter((r) => lay.some((m) => m.whole && m.code === r.code)));
  const titles = hits.length < limit ? titleHits(sqlite, q, limit) : [];
  add(titles.filter((r) => r.common === 1));
  add(layRows);
  add(titles);
  return hits;
}

/** Codes whose titles hold every typed word (as a word start, in either spelling), everyday codes first. */
function titleHits(sqlite: Database.Database, q: string, limit: number): (Row & { common: number })[] {
  const words = wordsOf(q);
  if (words.length === 0) return [];
  // Each word in either spelling: "anaemia" finds ICD-10-CM's "Anemia", "anemia" the starter list's "Anaemia".
  const match = words.map((w) => `(${spellingVariants(w).map((v) => `title:"${v}"*`).join(' OR ')})`).join(' AND ');
  return sqlite
    .prepare(
      `SELECT c.code, c.title, c.billable, c.common FROM icd10_fts f JOIN icd10_codes c ON c.id = f.rowid
       WHERE icd10_fts MATCH ? ORDER BY c.common DESC, c.billable DESC, length(c.title), c.code LIMIT ?`,
    )
    .all(match, limit) as (Row & { common: number })[];
}

/** Codes starting with what was typed; a code not in ICD-10-CM (WHO's "R10.4") falls back to its nearest parent. */
function codePrefixHits(sqlite: Database.Database, code: string, limit: number): Row[] {
  const stmt = sqlite.prepare('SELECT code, title, billable FROM icd10_codes WHERE code >= ? AND code < ? ORDER BY common DESC, length(code), code LIMIT ?');
  for (let prefix = code; ; prefix = prefix.slice(0, -1).replace(/\.$/, '')) {
    const rows = stmt.all(prefix, prefix + '~', limit) as Row[];
    if (rows.length > 0 || prefix.length <= 3) return rows;
  }
}

/** The loaded rows of these codes, in the order given (a code this workstation lacks is left out). */
function codeRows(sqlite: Database.Database, codes: string[]): Row[] {
  const rows = sqlite.prepare(`SELECT code, title, billable FROM icd10_codes WHERE code IN (${codes.map(() => '?').join(',')})`).all(...codes) as Row[];
  return codes.flatMap((c) => rows.filter((r) => r.code === c));
}

/** A personal code shows for a query naming it by code prefix, by a lay term, or by words of its title. */
function matchesQuery(p: PersonalCode, q: string, lay: string[]): boolean {
  if (lay.includes(p.code)) return true;
  if (CODE_LIKE.test(q) && p.code.startsWith(q.toUpperCase())) return true;
  const titleWords = wordsOf(p.title);
  const typed = wordsOf(q);
  return typed.length > 0 && typed.every((w) => spellingVariants(w).some((v) => titleWords.some((t) => t.startsWith(v))));
}

export function countIcd10(sqlite: Database.Database): number {
  return sqlite.prepare('SELECT count(*) FROM icd10_codes').pluck().get() as number;
}

/**
 * Loads an ICD-10 CSV (code,title,category,chapter[,billable]) in batches. Existing codes are
 * updated only where something differs; bad rows are skipped and reported with their line numbers.
 */
export async function importIcd10Csv(sqlite: Database.Database, file: string, job: JobControl) {
  const result = await importCsv(sqlite, file, job, {
    columns: ['code', 'title', 'category', 'chapter'],
    sql: `INSERT INTO icd10_codes (code, title, category, chapter, billable) VALUES (@code, @title, @category, @chapter, @billable)
     ON CONFLICT(code) DO UPDATE SET title = excluded.title, category = excluded.category, chapter = excluded.chapter, billable = excluded.billable
     WHERE title <> excluded.title OR category <> excluded.category OR chapter <> excluded.chapter OR billable <> excluded.billable`,
    row: (record) => {
      const code = (record.code ?? '').toUpperCase();
      const chapter = Number(record.chapter);
      if (!/^[A-Z][\dA-Z]{2}(\.[\dA-Z]{1,4})?$/.test(code) || !record.title || !record.chapter || !Number.isInteger(chapter) || chapter < 1) {
        return code || '(no code)';
      }
      return { code, title: record.title, category: record.category || code.slice(0, 3), chapter, billable: record.billable === 'N' ? 0 : 1 };
    },
    label: 'codes',
  });
  return { ...result, total: countIcd10(sqlite) };
}
