import type Database from '../../db/sqlite';
import { importCsv } from './csv-import';
import type { JobControl } from './jobs';
import { spellingVariants } from './spelling';

export interface IcdHit {
  code: string;
  title: string;
  billable: boolean;
}

const CODE_LIKE = /^[A-Za-z][\dA-Za-z]{1,2}(\.[\dA-Za-z]{0,4})?$/;

/**
 * Codes by code prefix ("E11", "j06.9") or titles by words in any order and prefixes ("diab typ 2"),
 * offline. Everyday OPD codes (the starter list) come first, then billable codes, then shorter titles.
 */
export function searchIcd10(sqlite: Database.Database, query: string, limit: number): IcdHit[] {
  const q = query.trim();
  if (q.length === 0) return [];
  const hits: IcdHit[] = [];
  const seen = new Set<string>();
  const add = (rows: { code: string; title: string; billable: number }[]) => {
    for (const r of rows) {
      if (hits.length >= limit || seen.has(r.code)) continue;
      seen.add(r.code);
      hits.push({ code: r.code, title: r.title, billable: r.billable === 1 });
    }
  };
  if (CODE_LIKE.test(q)) {
    const code = q.toUpperCase();
    add(
      sqlite
        .prepare('SELECT code, title, billable FROM icd10_codes WHERE code >= ? AND code < ? ORDER BY common DESC, length(code), code LIMIT ?')
        .all(code, code + '~', limit) as { code: string; title: string; billable: number }[],
    );
  }
  const words = q
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
  if (words.length > 0 && hits.length < limit) {
    // Each word in either spelling: "anaemia" finds ICD-10-CM's "Anemia", "anemia" the starter list's "Anaemia".
    const match = words.map((w) => `(${spellingVariants(w).map((v) => `title:"${v}"*`).join(' OR ')})`).join(' AND ');
    add(
      sqlite
        .prepare(
          `SELECT c.code, c.title, c.billable FROM icd10_fts f JOIN icd10_codes c ON c.id = f.rowid
           WHERE icd10_fts MATCH ? ORDER BY c.common DESC, c.billable DESC, length(c.title), c.code LIMIT ?`,
        )
        .all(match, limit) as { code: string; title: string; billable: number }[],
    );
  }
  return hits;
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
