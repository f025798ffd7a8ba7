import fs from 'node:fs';
import path from 'node:path';
import type Database from '../../db/sqlite';
import { ApiFailure } from '../core/context';
import type { CsvImportResult } from './csv-import';
import { countIcd10, importIcd10Csv } from './icd10';
import type { JobControl, JobView } from './jobs';
import { importCsv } from './csv-import';
import { importLgdNow, importPincodes, LGD_PARTS, LGD_SPECS, type LgdFiles } from './masters';

/**
 * The reference lists shipped with the app (resources/reference, see SOURCES.md there): the full
 * ICD-10-CM list, the LGD directory and the pincode directory, gzipped CSVs. They are app
 * resources, so reading them needs no file grant. The LGD directory (8,000 rows) is loaded when
 * the app opens a database that has none, so a new clinic can fill in its district at once; the
 * two big lists (76,000 codes, 166,000 post offices, about 20 seconds and 30 MB of database on a
 * clinic computer) are loaded when an administrator asks, in the background with progress.
 */
export const SHIPPED_LISTS = ['lgd', 'icd10', 'pincodes'] as const;
export type ShippedList = (typeof SHIPPED_LISTS)[number];

export const SHIPPED_FILES = {
  icd10: 'icd10cm_codes.csv.gz',
  states: 'lgd_states.csv.gz',
  districts: 'lgd_districts.csv.gz',
  subdistricts: 'lgd_subdistricts.csv.gz',
  pincodes: 'pincodes.csv.gz',
} as const;

const LIST_NAMES: Record<ShippedList, string> = { lgd: 'LGD directory', icd10: 'ICD-10-CM', pincodes: 'Pincode directory' };

const lgdFiles = (dir: string): LgdFiles => ({
  states: path.join(dir, SHIPPED_FILES.states),
  districts: path.join(dir, SHIPPED_FILES.districts),
  subdistricts: path.join(dir, SHIPPED_FILES.subdistricts),
});

const filesOf = (dir: string, list: ShippedList): string[] =>
  list === 'lgd' ? LGD_PARTS.map((p) => lgdFiles(dir)[p]) : [path.join(dir, SHIPPED_FILES[list])];

interface Manifest {
  files: Record<string, { rows: number }>;
}

function readManifest(dir: string): Manifest | null {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    return typeof parsed === 'object' && parsed !== null && 'files' in parsed ? (parsed as Manifest) : null;
  } catch {
    return null;
  }
}

const count = (sqlite: Database.Database, table: string) => sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

export interface ShippedCount {
  list: ShippedList;
  /** What is counted ("codes", "districts"). */
  what: string;
  /** Rows in the app's database now. */
  inApp: number;
  /** Rows in the shipped file; null when the app's copy is missing. */
  shipped: number | null;
}

/** What the app ships and what this workstation has loaded, for the Reference data panel. */
export function shippedStatus(sqlite: Database.Database, dir: string): ShippedCount[] {
  const files = readManifest(dir)?.files ?? {};
  const shipped = (name: string) => (fs.existsSync(path.join(dir, name)) ? (files[name]?.rows ?? null) : null);
  return [
    { list: 'lgd', what: 'LGD districts', inApp: count(sqlite, 'lgd_districts'), shipped: shipped(SHIPPED_FILES.districts) },
    { list: 'lgd', what: 'LGD sub-districts', inApp: count(sqlite, 'lgd_subdistricts'), shipped: shipped(SHIPPED_FILES.subdistricts) },
    { list: 'icd10', what: 'ICD-10 codes', inApp: countIcd10(sqlite), shipped: shipped(SHIPPED_FILES.icd10) },
    { list: 'pincodes', what: 'post offices', inApp: count(sqlite, 'pincode_offices'), shipped: shipped(SHIPPED_FILES.pincodes) },
  ];
}

export type LgdOnOpen = { loaded: true; districts: number; subdistricts: number } | { loaded: false; reason: string };

/**
 * On opening a database whose LGD directory is empty (a new clinic, a workstation joining one, or
 * one set up before the directory was shipped): loads it, at once, so the facility form's pickers
 * are full. A missing or broken copy is reported, not thrown: the app still opens, with the states.
 */
export function loadLgdIfEmpty(sqlite: Database.Database, dir: string): LgdOnOpen {
  if (count(sqlite, 'lgd_districts') > 0) return { loaded: false, reason: 'already loaded' };
  try {
    const r = importLgdNow(sqlite, lgdFiles(dir));
    return { loaded: true, districts: r.districts.imported, subdistricts: r.subdistricts.imported };
  } catch (error) {
    return { loaded: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Each list is refused before a job starts when the app's copy of it is missing (a broken install). */
export function checkShipped(dir: string, lists: readonly ShippedList[]): void {
  for (const list of lists) {
    const missing = filesOf(dir, list).filter((f) => !fs.existsSync(f));
    if (missing.length > 0) {
      throw new ApiFailure('not_found', `The app's copy of the ${LIST_NAMES[list]} is missing (${missing.map((f) => path.basename(f)).join(', ')}). Reinstall the app, or import the list from a file below.`, {
        lists: `${LIST_NAMES[list]} not shipped`,
      });
    }
  }
}

/** A loading job of the same lists is refused while one runs: both would write the same tables. */
export function refuseIfLoading(running: JobView[]): void {
  if (running.some((j) => j.kind === 'reference.loadShipped' && j.status === 'running')) {
    throw new ApiFailure('conflict', 'The shipped lists are being loaded already; wait for that to finish.');
  }
}

/**
 * One progress bar for the whole job: each file's bytes count from where the files before it
 * ended, over the compressed size of all of them; the message names the list.
 */
function within(job: JobControl, before: number, total: number, name: string): JobControl {
  return {
    progress: (done, _fileTotal, message) => job.progress(before + done, total, `${name}: ${message ?? ''}`.trim()),
    yieldNow: () => job.yieldNow(),
  };
}

export type ShippedResult = Partial<Record<ShippedList, Record<string, unknown>>>;

/** Loads the chosen lists in the background, smallest first, through the same importers as files. */
export async function loadShipped(sqlite: Database.Database, dir: string, lists: readonly ShippedList[], job: JobControl): Promise<ShippedResult> {
  const order = SHIPPED_LISTS.filter((l) => lists.includes(l));
  const sizes = new Map(order.flatMap((l) => filesOf(dir, l)).map((f) => [f, fs.statSync(f).size]));
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  let before = 0;
  const step = <T>(file: string, name: string, run: (control: JobControl) => Promise<T>): Promise<T> => {
    const control = within(job, before, total, name);
    before += sizes.get(file) ?? 0;
    return run(control);
  };
  const result: ShippedResult = {};
  for (const list of order) {
    const name = LIST_NAMES[list];
    if (list === 'lgd') {
      const files = lgdFiles(dir);
      const parts: Record<string, CsvImportResult> = {};
      for (const part of LGD_PARTS) parts[part] = await step(files[part], name, (c) => importCsv(sqlite, files[part], c, LGD_SPECS[part]));
      result.lgd = parts;
    } else if (list === 'icd10') {
      const file = path.join(dir, SHIPPED_FILES.icd10);
      result.icd10 = await step(file, name, (c) => importIcd10Csv(sqlite, file, c));
    } else {
      const file = path.join(dir, SHIPPED_FILES.pincodes);
      result.pincodes = { ...(await step(file, name, (c) => importPincodes(sqlite, file, c))) };
    }
  }
  job.progress(total, total, `Loaded: ${order.map((l) => LIST_NAMES[l]).join(', ')}`);
  return result;
}
