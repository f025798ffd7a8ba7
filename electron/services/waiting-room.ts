import crypto from 'node:crypto';
import os from 'node:os';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/open';
import { localMeta, patients, users, visits, type Priority } from '../../db/schema';
import { ApiFailure } from '../core/context';

/**
 * The waiting-room display: a page for a TV on the clinic's network that shows, per doctor, the
 * token being seen and the next ones. It is served by this workstation only when an administrator
 * turns it on, to whoever holds its key (a link typed once into the TV's browser). It shows tokens
 * and initials, never names, numbers or ages: the waiting room is public.
 */
export interface DisplaySettings {
  enabled: boolean;
  port: number;
  /** 32 hex characters; shown to administrators to open the page on the TV. */
  key: string;
}

export const DEFAULT_DISPLAY_PORT = 5299;
const KEYS = { enabled: 'display.enabled', port: 'display.port', key: 'display.key' } as const;

export function getDisplaySettings(db: Db): DisplaySettings {
  const rows = db.select().from(localMeta).where(inArray(localMeta.key, Object.values(KEYS))).all();
  const get = (k: string) => rows.find((r) => r.key === k)?.value;
  const port = Number(get(KEYS.port) ?? DEFAULT_DISPLAY_PORT);
  return { enabled: get(KEYS.enabled) === '1', port: Number.isInteger(port) ? port : DEFAULT_DISPLAY_PORT, key: get(KEYS.key) ?? '' };
}

function put(db: Db, key: string, value: string): void {
  db.insert(localMeta).values({ key, value }).onConflictDoUpdate({ target: localMeta.key, set: { value } }).run();
}

export function newDisplayKey(): string {
  return crypto.randomBytes(16).toString('hex');
}

/** Turning the display on makes a key if there is none; a new key locks out every TV that had the old one. */
export function setDisplaySettings(db: Db, input: { enabled?: boolean | undefined; port?: number | undefined; newKey?: boolean | undefined }): DisplaySettings {
  const before = getDisplaySettings(db);
  if (input.port !== undefined) {
    if (!Number.isInteger(input.port) || input.port < 1024 || input.port > 65535) {
      throw new ApiFailure('invalid_input', 'port: The display port must be a number from 1024 to 65535.', { port: 'From 1024 to 65535' });
    }
    put(db, KEYS.port, String(input.port));
  }
  if (input.enabled !== undefined) put(db, KEYS.enabled, input.enabled ? '1' : '0');
  if (input.newKey || (input.enabled && !before.key)) put(db, KEYS.key, newDisplayKey());
  return getDisplaySettings(db);
}

/** The links a TV on this network can open (one per IPv4 address of this computer). */
export function displayLinks(settings: DisplaySettings): string[] {
  if (!settings.enabled || !settings.key) return [];
  const addresses = Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
  return (addresses.length ? addresses : ['127.0.0.1']).map((a) => `http://${a}:${settings.port}/display?key=${settings.key}`);
}

export interface BoardToken {
  token: string;
  initials: string;
  urgent: boolean;
}

export interface BoardDoctor {
  doctor: string;
  calling: BoardToken | null;
  next: BoardToken[];
  waiting: number;
}

export interface Board {
  date: string;
  /** The clinic's, so the TV's clock shows the clinic's time whatever the TV is set to. */
  timeZone: string;
  clinic: string;
  doctors: BoardDoctor[];
}

const SHOWN_NEXT = 4;
const PRIORITY_ORDER: Record<Priority, number> = { emergency: 0, urgent: 1, regular: 2 };

/** "Ravi Kumar" → "R. K."; letters only, so a number or a title typed into a name never shows. */
export function initials(givenName: string, familyName: string | null): string {
  return [givenName, familyName ?? '']
    .map((n) => n.trim().match(/\p{L}/u)?.[0]?.toLocaleUpperCase('en-IN'))
    .filter((c): c is string => Boolean(c))
    .map((c) => `${c}.`)
    .join(' ');
}

/** Today's board: who is being seen and who is next, per doctor, in the queue's own order. */
export function waitingRoomBoard(db: Db, date: string, clinic: string, timeZone: string): Board {
  const rows = db
    .select({ doctorId: visits.doctorId, doctor: users.fullName, token: visits.tokenLabel, status: visits.status, priority: visits.priority, checkedInAt: visits.checkedInAt, calledAt: visits.calledAt, given: patients.givenName, family: patients.familyName })
    .from(visits)
    .innerJoin(patients, eq(patients.id, visits.patientId))
    .innerJoin(users, eq(users.id, visits.doctorId))
    .where(and(eq(visits.date, date), isNull(visits.deletedAt), inArray(visits.status, ['waiting', 'with-doctor'])))
    .all();
  const byDoctor = new Map<string, { doctor: string; rows: typeof rows }>();
  for (const r of rows) {
    const d = byDoctor.get(r.doctorId) ?? { doctor: r.doctor, rows: [] };
    d.rows.push(r);
    byDoctor.set(r.doctorId, d);
  }
  const token = (r: (typeof rows)[number]): BoardToken => ({ token: r.token, initials: initials(r.given, r.family), urgent: r.priority !== 'regular' });
  const doctors = [...byDoctor.values()].map(({ doctor, rows: rs }) => {
    const withDoctor = rs.filter((r) => r.status === 'with-doctor').sort((a, b) => (b.calledAt ?? 0) - (a.calledAt ?? 0));
    const waiting = rs.filter((r) => r.status === 'waiting').sort((a, b) => PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority] || a.checkedInAt - b.checkedInAt);
    return { doctor, calling: withDoctor[0] ? token(withDoctor[0]) : null, next: waiting.slice(0, SHOWN_NEXT).map(token), waiting: waiting.length };
  });
  return { date, timeZone, clinic, doctors: doctors.sort((a, b) => a.doctor.localeCompare(b.doctor)) };
}
