import fs from 'node:fs';
import path from 'node:path';
import { refuseSystemFolder } from '../file-access';
import { localDate } from '../../../shared/clinic-time';
import { type BackupKind, BackupError } from './types';

/* The backup folder and its files: names, periods, checks and removal. */

export function backupName(workstation: string, kind: BackupKind, at: number): string {
  return `clinic-${workstation}-${kind}-${stamp(at)}.db`;
}

function stamp(at: number): string {
  return new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

export function parseStamp(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s)!;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** The day, ISO week or month (in the clinic's time zone) that a moment falls in. */
export function periodOf(kind: 'daily' | 'weekly' | 'monthly', at: number, timeZone: string): string {
  const date = localDate(at, timeZone);
  if (kind === 'daily') return date;
  if (kind === 'monthly') return date.slice(0, 7);
  const d = new Date(`${date}T00:00:00Z`);
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day); // the Thursday of this ISO week names its year
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export function checkFolder(folder: string, dbFile: string): void {
  if (!path.isAbsolute(folder)) throw new BackupError('The backup folder must be a full path, e.g. E:\\ClinicBackups or /media/usb/clinic-backups.', 'invalid');
  refuseSystemFolder(folder, 'folder');
  if (path.resolve(folder) === path.resolve(path.dirname(dbFile))) {
    throw new BackupError("The backup folder must not be the app's own data folder: a backup there is lost with the computer.", 'invalid');
  }
  try {
    fs.mkdirSync(folder, { recursive: true });
    const probe = path.join(folder, `.clinic-write-test-${process.pid}`);
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
  } catch (error) {
    throw new BackupError(
      `The backup folder ${folder} cannot be written (${(error as NodeJS.ErrnoException).code ?? messageOf(error)}). Is the disk plugged in?`,
      'invalid',
    );
  }
}

export function removeWithSidecars(file: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}

export function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // the folder itself is gone
  }
}

export function mb(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
