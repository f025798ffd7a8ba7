import type Database from '../../db/sqlite';
import { CsvError, parse, type Options } from 'csv-parse';
import { parse as parseNow } from 'csv-parse/sync';
import fs from 'node:fs';
import { pipeline } from 'node:stream';
import zlib from 'node:zlib';
import { ApiFailure } from '../core/context';
import type { JobControl } from './jobs';

const BATCH = 500;

interface CsvImportBase<R> {
  /** Header columns that must be present. */
  columns: string[];
  /** The row to write for a record, or a short note on why the row is skipped. */
  row: (record: Record<string, string>) => R | string;
  /** What the rows are, for progress messages ("codes", "districts"). */
  label: string;
  /**
   * A statement that replaces the old contents (e.g. a DELETE), run with the first rows, once the
   * header has been checked: a file that fails its header check leaves the table as it was.
   */
  replace?: string;
}

/**
 * Each row is written either by one named-parameter statement (`sql`, for reference tables) or by
 * `apply`, called inside the batch's transaction (for synced tables written through a Writer).
 */
export type CsvImportSpec<R = Record<string, unknown>> = CsvImportBase<R> &
  ({ sql: string; apply?: never } | { apply: (row: R) => void; sql?: never });

export interface CsvImportResult {
  imported: number;
  rejected: number;
  rejectedExamples: string[];
}

/**
 * The file to import must be a readable file. Checked when the import is asked for, so that call
 * is refused (a job started on a missing file would only fail later, out of sight). Returns its size.
 */
export function checkImportFile(file: string, field = 'path'): number {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new Error('not a file');
    fs.accessSync(file, fs.constants.R_OK);
    return stat.size;
  } catch {
    throw new ApiFailure('invalid_input', `${field}: Cannot read ${file}`, { [field]: 'File not found or not readable' });
  }
}

/** A `.gz` file is read through gunzip (the lists shipped with the app are stored compressed). */
const gzipped = (file: string) => file.toLowerCase().endsWith('.gz');

/**
 * A row with too few or too many fields is a bad row, not a bad file; `info` gives each record's
 * line in the file, which blank lines and quoted line breaks would otherwise shift.
 */
function csvOptions<R>(file: string, spec: CsvImportSpec<R>): Options {
  const columns = (header: string[]) => {
    const missing = spec.columns.filter((c) => !header.includes(c));
    if (missing.length > 0) throw new Error(`${file} has no ${missing.join(', ')} column(s). Expected: ${spec.columns.join(',')}`);
    return header;
  };
  return { columns, bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, info: true };
}

type Parsed = { record: Record<string, string>; info: { lines: number } };

/**
 * Streams a CSV (or a gzipped one, `.gz`) into the database in batches of 500 rows, one
 * transaction each, yielding between batches so the app stays responsive. The header is checked
 * before any row is written; rows that do not fit are skipped and reported by their line in the
 * file. Progress counts the bytes read of the file itself, compressed or not.
 */
export async function importCsv<R>(sqlite: Database.Database, file: string, job: JobControl, spec: CsvImportSpec<R>): Promise<CsvImportResult> {
  const size = checkImportFile(file);
  const writeRow = rowWriter(sqlite, spec);
  const replace = spec.replace ? sqlite.prepare(spec.replace) : null;
  let replaced = replace === null;
  const writeBatch = sqlite.transaction((rows: R[]) => {
    if (!replaced) {
      replace?.run();
      replaced = true;
    }
    for (const r of rows) writeRow(r);
  });
  const stream = fs.createReadStream(file);
  const parser = parse(csvOptions(file, spec));
  // pipeline hands a read or gunzip failure to the parser, so the loop below throws it.
  pipeline(gzipped(file) ? [stream, zlib.createGunzip(), parser] : [stream, parser], () => {});
  let batch: R[] = [];
  let imported = 0;
  let rejected = 0;
  const rejectedExamples: string[] = [];
  try {
    for await (const { record, info } of parser as AsyncIterable<Parsed>) {
      const row = spec.row(record);
      if (typeof row === 'string') {
        rejected += 1;
        if (rejectedExamples.length < 10) rejectedExamples.push(`line ${info.lines}: ${row}`);
        continue;
      }
      batch.push(row);
      if (batch.length >= BATCH) {
        writeBatch(batch);
        imported += batch.length;
        batch = [];
        job.progress(stream.bytesRead, size, `${imported.toLocaleString('en-IN')} ${spec.label}`);
        await job.yieldNow();
      }
    }
  } catch (error) {
    throw withoutContents(error);
  }
  if (batch.length > 0 || !replaced) writeBatch(batch);
  imported += batch.length;
  job.progress(size, size, `${imported.toLocaleString('en-IN')} ${spec.label}`);
  return { imported, rejected, rejectedExamples };
}

/**
 * The same import done at once, in one transaction, for a small file (the LGD directory, 8,000
 * rows, a few hundred milliseconds) when the app opens a database: no job exists yet, and the
 * pickers must be full before the first screen asks for them.
 */
export function importCsvNow<R>(sqlite: Database.Database, file: string, spec: CsvImportSpec<R>): CsvImportResult {
  checkImportFile(file);
  const bytes = fs.readFileSync(file);
  let parsed: Parsed[];
  try {
    parsed = parseNow(gzipped(file) ? zlib.gunzipSync(bytes) : bytes, csvOptions(file, spec)) as unknown as Parsed[];
  } catch (error) {
    throw withoutContents(error);
  }
  const writeRow = rowWriter(sqlite, spec);
  const rejectedExamples: string[] = [];
  let imported = 0;
  let rejected = 0;
  sqlite.transaction(() => {
    if (spec.replace) sqlite.prepare(spec.replace).run();
    for (const { record, info } of parsed) {
      const row = spec.row(record);
      if (typeof row === 'string') {
        rejected += 1;
        if (rejectedExamples.length < 10) rejectedExamples.push(`line ${info.lines}: ${row}`);
        continue;
      }
      writeRow(row);
      imported += 1;
    }
  })();
  return { imported, rejected, rejectedExamples };
}

function rowWriter<R>(sqlite: Database.Database, spec: CsvImportSpec<R>): (row: R) => void {
  if (spec.apply) return spec.apply;
  const statement = sqlite.prepare(spec.sql);
  return (row) => statement.run(row);
}

/**
 * The CSV reader's own messages quote the text it choked on, which for a wrong file is whatever
 * that file holds (a password file, a key): the job's message says where and what kind of fault.
 */
function withoutContents(error: unknown): Error {
  if (error instanceof CsvError) {
    const lines = (error as CsvError & { lines?: unknown }).lines;
    const where = typeof lines === 'number' ? ` near line ${lines}` : '';
    return new Error(`This is not a CSV file the app can read (${error.code.replace(/^CSV_/, '').toLowerCase().replace(/_/g, ' ')}${where}). Check that it is the right file.`);
  }
  if (isZlibError(error)) return new Error('This is not a gzip file the app can read (.gz). Check that it is the right file.');
  return error instanceof Error ? error : new Error(String(error));
}

function isZlibError(error: unknown): boolean {
  return error instanceof Error && typeof (error as Error & { code?: unknown }).code === 'string' && /^Z_/.test((error as Error & { code: string }).code);
}
