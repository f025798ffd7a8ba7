import { parse } from 'csv-parse/sync';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { expect } from 'vitest';
import type { Result } from '../../shared/api';
import type { ClinicEvent } from '../../electron/bridge';
import type { JobView } from '../../electron/services/jobs';
import { ADMIN, makeClinic, type TestClinic } from '../helpers/app';
import { tempDir } from '../helpers/temp';

/**
 * Facility registration and reference data: a set-up clinic with an administrator, a receptionist
 * (Rita) and a doctor without a profile yet (Dr Meera Rao). Logins cost scrypt hashes and imports
 * take seconds, so each test file builds its clinic once, saves the SQLite file, and every test
 * opens its own copy through the real app and router.
 */

/** The reference lists the app ships (gzipped CSVs, see resources/reference/SOURCES.md). */
export const SHIPPED_DIR = path.resolve('resources/reference');
export const shippedFile = (name: string) => path.join(SHIPPED_DIR, `${name}.gz`);

/** A shipped list as plain text. */
export const shippedText = (name: string) => zlib.gunzipSync(fs.readFileSync(shippedFile(name))).toString('utf8');

/** A folder (in the import folder's place) with the shipped LGD files as plain CSVs, for reference.importLgd. */
export function shippedLgdFolder(): string {
  const dir = tempDir('lgd-shipped-');
  for (const name of ['lgd_states.csv', 'lgd_districts.csv', 'lgd_subdistricts.csv']) fs.writeFileSync(path.join(dir, name), shippedText(name));
  return dir;
}

export interface RefClinic {
  c: TestClinic;
  /** Session tokens. */
  admin: string;
  reception: string;
  /** Dr Meera Rao's staff user id. */
  doctorId: string;
}

export interface Snapshot {
  file: Buffer;
  ids: Omit<RefClinic, 'c'>;
}

/** Writes the WAL back and reads the database file. */
export function snapshot(k: RefClinic): Snapshot {
  k.c.app.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const { c: _c, ...ids } = k;
  return { file: fs.readFileSync(k.c.app.dbFile), ids };
}

/**
 * A fresh copy of a saved clinic for one test. `bare`: the app has no shipped lists (an empty
 * folder in their place), as a broken install would, so an empty LGD directory stays empty.
 */
export function openCopy(s: Snapshot, opts: { bare?: boolean } = {}): RefClinic {
  const dataDir = tempDir();
  fs.writeFileSync(path.join(dataDir, 'clinic.db'), s.file);
  return { c: makeClinic({ setup: false, dataDir, ...(opts.bare ? { shippedLists: tempDir('no-lists-') } : {}) }), ...s.ids };
}

const saved: { fresh?: Snapshot; bare?: Snapshot } = {};

function setUp(bare: boolean): Snapshot {
  const c = makeClinic(bare ? { shippedLists: tempDir('no-lists-') } : {});
  const admin = c.login('admin', ADMIN.password);
  c.ok('staff.create', { username: 'rita', fullName: 'Rita Dsouza', password: 'rita-password', roles: ['receptionist'] }, admin);
  const doctor = c.ok('staff.create', { username: 'meera', fullName: 'Dr Meera Rao', password: 'meera-password', roles: ['doctor'] }, admin);
  return snapshot({ c, admin, reception: c.login('rita', 'rita-password'), doctorId: doctor.id });
}

/** A new clinic as set up: the starter data, and the LGD directory the app loads by itself. */
export const freshSnapshot = (): Snapshot => (saved.fresh ??= setUp(false));
export const freshClinic = (): RefClinic => openCopy(freshSnapshot());

/** A set-up clinic whose app could load no shipped list: the starter states only, no districts. */
export function bareClinic(): RefClinic {
  return openCopy((saved.bare ??= setUp(true)), { bare: true });
}

export interface ImportRun {
  started: JobView;
  finished: JobView;
  /** Every `progress` event seen while the job ran. */
  events: JobView[];
}

/** Starts an import as the administrator and waits for the background job to end. */
export async function runImport(
  k: RefClinic,
  method: 'reference.importLgd' | 'reference.importPincodes' | 'reference.importValueSets' | 'reference.loadShipped',
  input: { folder: string } | { path: string } | { lists?: ('icd10' | 'lgd' | 'pincodes')[] },
): Promise<ImportRun> {
  const events: JobView[] = [];
  const off = k.c.app.onEvent((e: ClinicEvent) => {
    if (e.event === 'progress') events.push(e.payload as JobView);
  });
  try {
    const file = 'folder' in input ? input.folder : 'path' in input ? input.path : null;
    if (file !== null && fs.existsSync(file)) k.c.pick(file);
    const started = k.c.ok(method, input, k.admin);
    const finished = await k.c.app.jobs.wait(started.id);
    return { started, finished, events };
  } finally {
    off();
  }
}

/** A clinic without the shipped lists that imported the LGD directory from a folder of CSVs. */
export async function lgdClinic(): Promise<{ snapshot: Snapshot; run: ImportRun }> {
  const k = bareClinic();
  const run = await runImport(k, 'reference.importLgd', { folder: shippedLgdFolder() });
  if (run.finished.status !== 'done') throw new Error(`LGD import failed: ${run.finished.message}`);
  return { snapshot: snapshot(k), run };
}

/** The rows of a shipped CSV, by header. */
export function readCsv(name: string): Record<string, string>[] {
  return parse<Record<string, string>>(shippedText(name), { columns: true });
}

/** The error of a call that must fail. */
export function failure<T>(r: Result<T>) {
  expect(r.ok, 'the call should have been refused').toBe(false);
  if (r.ok) throw new Error('unreachable');
  return r.error;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A real PNG (8-bit RGB) of the given size. `noise` fills it with pseudo-random pixels stored
 * uncompressed, so the file is about width x height x 3 bytes.
 */
export function png(width: number, height: number, noise = false): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, deflate, no filter, no interlace
  const raw = Buffer.alloc((width * 3 + 1) * height);
  let seed = 12345;
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter: none
    for (let i = 1; i <= width * 3; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      raw[row + i] = noise ? seed >>> 24 : 0x2a;
    }
  }
  const idat = zlib.deflateSync(raw, { level: noise ? 0 : 9 });
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

export const dataUrl = (mime: string, bytes: Buffer) => `data:${mime};base64,${bytes.toString('base64')}`;
