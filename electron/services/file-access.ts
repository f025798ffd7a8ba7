import fs from 'node:fs';
import path from 'node:path';
import type Database from '../../db/sqlite';
import { ApiFailure } from '../core/context';

/**
 * Which files of this computer the app may read on an administrator's word, and where it may
 * write backups. A logged-in session (or a stolen token) must not turn the app into a way to read
 * the system's files: an import reads a file only if the administrator picked it in the desktop
 * app's Open dialog, or put it in the import folder they chose. System locations are refused
 * whatever the route, after links are followed.
 */

const POSIX_SYSTEM = ['/etc', '/proc', '/sys', '/dev', '/boot', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/usr', '/var/lib', '/var/log', '/var/run', '/run', '/System', '/Library', '/private/etc', '/private/var/db', '/private/var/log', '/private/var/lib', '/private/var/run'];
const WINDOWS_SYSTEM = ['\\windows', '\\program files', '\\program files (x86)', '\\programdata', '\\system volume information', '\\$recycle.bin'];

/** True for the file system's root and the places the operating system keeps its own files. */
export function isSystemPath(real: string, platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'win32') {
    const p = path.win32.normalize(real).toLowerCase();
    const rest = p.replace(/^[a-z]:/, '').replace(/\\+$/, '');
    if (rest === '' || p.startsWith('\\\\.\\') || p.startsWith('\\\\?\\')) return true;
    return WINDOWS_SYSTEM.some((s) => rest === s || rest.startsWith(`${s}\\`));
  }
  const p = path.posix.normalize(real).replace(/\/+$/, '');
  if (p === '') return true;
  return POSIX_SYSTEM.some((s) => p === s || p.startsWith(`${s}/`));
}

/** Paths compare as the file system does: Windows ignores case. */
function samePathKey(p: string): string {
  return process.platform === 'win32' ? p.toLowerCase() : p;
}

/** Files and folders picked in the Open dialog during this run of the app (real paths). */
export class FileGrants {
  private readonly granted = new Set<string>();

  grant(file: string): string {
    const real = fs.realpathSync(file);
    this.granted.add(samePathKey(real));
    return real;
  }

  /** Exactly what was picked (a folder chosen as the import folder must have been). */
  has(real: string): boolean {
    return this.granted.has(samePathKey(real));
  }

  /**
   * A picked file, or a file directly inside a picked folder (the LGD folder's three lists): not
   * the folder's whole subtree, so picking one's home folder does not open ~/.ssh to imports.
   */
  covers(real: string): boolean {
    return this.has(real) || this.has(path.dirname(real));
  }
}

const IMPORT_FOLDER_KEY = 'imports.folder';

export function importFolder(sqlite: Database.Database, fallback: string): string {
  const v = sqlite.prepare('SELECT value FROM local_meta WHERE key = ?').pluck().get(IMPORT_FOLDER_KEY) as string | undefined;
  return v && v.length > 0 ? v : fallback;
}

/**
 * The administrator's import folder: an existing, readable folder outside system locations. In
 * the desktop app it must have been picked in the Open dialog, like any file an import reads; only
 * the browser host, which has no dialog, takes a typed one.
 */
export function setImportFolder(sqlite: Database.Database, files: FileAccess, folder: string): string {
  const real = realOrRefuse(folder, 'folder', 'folder');
  if (!fs.statSync(real).isDirectory()) throw new ApiFailure('invalid_input', `folder: ${folder} is not a folder`, { folder: 'Not a folder' });
  if (files.choose && !files.grants.has(real)) {
    throw new ApiFailure('forbidden', 'folder: Choose the import folder with "Choose…"', { folder: 'Choose the folder in the dialog' });
  }
  sqlite.prepare('INSERT INTO local_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(IMPORT_FOLDER_KEY, real);
  return real;
}

export interface ImportAccess {
  grants: FileGrants;
  /** The import folder in force (setting, else the default beside the database). */
  folder: string;
}

export type FileChoice = { kind: 'file'; title: string; extensions: string[] } | { kind: 'folder'; title: string };

/** What the app may know and do about the computer's files; one per app. */
export interface FileAccess {
  grants: FileGrants;
  /** The import folder when the administrator has not chosen one: `imports` beside the database. */
  defaultImportFolder: string;
  /**
   * The reference lists shipped with the app (resources/reference): app files, read without a
   * grant, and only by the loader that knows their names.
   */
  shippedLists: string;
  /** The desktop app's Open dialog (null when cancelled); absent in the browser host. */
  choose?: (choice: FileChoice) => Promise<string | null>;
}

export function importAccess(files: FileAccess, sqlite: Database.Database): ImportAccess {
  return { grants: files.grants, folder: importFolder(sqlite, files.defaultImportFolder) };
}

/** A file named by an administrator for reading whole (a backup to verify or restore). */
export function readableFile(requested: string, field: string): string {
  const real = realOrRefuse(requested, field, 'file');
  if (!fs.statSync(real).isFile()) throw new ApiFailure('invalid_input', `${field}: ${requested} is not a file`, { [field]: 'Not a file' });
  return real;
}

/**
 * The real path of a file (or folder) to import, if the app may read it: picked in the dialog, or
 * inside the import folder. Refusals name the field and never say what the file holds.
 */
export function importPath(access: ImportAccess, requested: string, field: string, kind: 'file' | 'folder' = 'file'): string {
  const real = realOrRefuse(requested, field, kind);
  const stat = fs.statSync(real);
  if (kind === 'file' ? !stat.isFile() : !stat.isDirectory()) {
    throw new ApiFailure('invalid_input', `${field}: ${requested} is not a ${kind}`, { [field]: `Not a ${kind}` });
  }
  if (access.grants.covers(real)) return real;
  const folder = safeReal(access.folder);
  if (folder !== null && isInside(real, folder)) return real;
  throw new ApiFailure(
    'forbidden',
    `${field}: The app reads only files chosen with "Choose…" or kept in the import folder (${access.folder}). Copy the ${kind} there, or choose it.`,
    { [field]: `Choose the ${kind}, or put it in the import folder` },
  );
}

/** A backup folder: absolute, outside system locations (it is created if missing; see backups.ts). */
export function refuseSystemFolder(folder: string, field: string): void {
  let probe = path.resolve(folder);
  // The folder may not exist yet: judge the nearest part of it that does, after links.
  while (!fs.existsSync(probe) && path.dirname(probe) !== probe) probe = path.dirname(probe);
  const real = safeReal(probe) ?? probe;
  const full = path.join(real, path.relative(probe, path.resolve(folder)));
  if (isSystemPath(full)) {
    throw new ApiFailure('invalid_input', `${field}: ${folder} is a system location; choose a folder of your own or a backup disk`, { [field]: 'A system location' });
  }
}

function realOrRefuse(requested: string, field: string, kind: 'file' | 'folder'): string {
  if (!path.isAbsolute(requested)) throw new ApiFailure('invalid_input', `${field}: Give the full path of the ${kind}`, { [field]: 'Must be a full path' });
  const real = safeReal(requested);
  if (real === null) throw new ApiFailure('invalid_input', `${field}: Cannot read ${requested}`, { [field]: `${kind === 'file' ? 'File' : 'Folder'} not found or not readable` });
  if (isSystemPath(real)) {
    throw new ApiFailure('forbidden', `${field}: ${requested} is in a system location the app does not read`, { [field]: 'A system location' });
  }
  try {
    fs.accessSync(real, fs.constants.R_OK);
  } catch {
    throw new ApiFailure('invalid_input', `${field}: Cannot read ${requested}`, { [field]: `${kind === 'file' ? 'File' : 'Folder'} not found or not readable` });
  }
  return real;
}

function isInside(real: string, folder: string): boolean {
  const r = samePathKey(real);
  const f = samePathKey(folder);
  return r === f || r.startsWith(f.endsWith(path.sep) ? f : f + path.sep);
}

function safeReal(p: string): string | null {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}
