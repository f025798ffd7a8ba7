import type Database from '../../db/sqlite';
import type { z } from 'zod';
import type { Db } from '../../db/open';
import type { Role } from '../../db/schema';
import type { Writer } from '../../db/write';
import type { BackupService } from '../services/backups';
import type { Spooler } from '../services/printing';
import type { FileAccess } from '../services/file-access';
import type { JobRunner, JobStarter } from '../services/jobs';
import type { SyncStatus } from '../sync/engine';
import type { Permission } from '../services/permissions';

export type ErrorCode =
  | 'invalid_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invalid_credentials'
  | 'account_locked'
  | 'unknown_method'
  | 'internal';

export interface ApiError {
  code: ErrorCode;
  message: string;
  /** Field path (dot-separated, as in the input) -> what is wrong with it. */
  fields?: Record<string, string>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_found: 404,
  unknown_method: 404,
  conflict: 409,
  account_locked: 423,
  internal: 500,
};

export interface Session {
  userId: string;
  username: string;
  fullName: string;
  roles: Role[];
  /** The password was set by an administrator: nothing but choosing a new one (see router). */
  mustChangePassword?: boolean;
}

/** Who a failed call was about, so the audit row can name them. */
export interface AuditSubject {
  entityType?: string;
  entityId?: string | null;
  userId?: string | null;
  username?: string | null;
  detail?: string;
}

/**
 * Thrown by services for an expected refusal. The router rolls back the call's transaction,
 * returns the error as a value and audits the refusal.
 */
export class ApiFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    readonly subject?: AuditSubject,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export interface AppSettings {
  /** A session unused for this long must log in again. */
  sessionIdleMs: number;
  /** Wrong passwords in a row that lock an account, and for how long. */
  lockoutAttempts: number;
  lockoutMs: number;
  /** The clinic's time zone: what "today" means for queues, appointments and follow-ups. */
  timeZone: string;
}

/** Everything a service needs for one call. */
export interface ServiceContext {
  db: Db;
  sqlite: Database.Database;
  now: () => number;
  deviceId: string;
  settings: AppSettings;
  write: Writer;
  /** Starts long work in the background (imports, prints), owned by the caller; see services/jobs.ts. */
  jobs: JobStarter;
  /** Every job of this workstation, for reading (visibility is checked by the jobs methods). */
  jobRunner: JobRunner;
  /** Background sync with the central server; see electron/sync/. */
  sync: SyncControl;
  /** Backups and restores of this workstation's database (absent where the host has none). */
  backups?: BackupService;
  /** Where prints and the printer list go (CUPS `lp`, or Electron's print path on Windows). */
  spooler: Spooler;
  /** Which files imports may read (see services/file-access.ts). */
  files: FileAccess;
  session: Session | null;
  /** The bearer token of this call, if any (logout ends it). */
  token: string | null;
  /** Today in the clinic's time zone, YYYY-MM-DD. */
  today: () => string;
  /**
   * For background work started by this call (a print job): runs `fn` later in its own
   * transaction, audited as `action` on behalf of the same user, and announces what it changed.
   */
  afterwards: <T>(action: string, fn: (write: Writer) => T) => T;
  /** Names what the call was about when it writes no business row (login, logout, reads). */
  describe: (subject: AuditSubject) => void;
  /**
   * One more audit row, written only if the call succeeds: for what the call did on someone
   * else's behalf that its business rows do not show (an administrator's password checked for
   * an approval, which must break that account's run of wrong passwords).
   */
  alsoAudit: (action: string, subject: AuditSubject) => void;
}

export interface SyncControl {
  status(): SyncStatus;
  /** Re-reads the settings and starts (or stops) syncing accordingly. */
  restart(): void;
  trigger(): void;
}

export type Access = 'public' | 'session' | Permission;

export interface MethodDef<I extends z.ZodType, O, A extends Access> {
  input: I;
  /** 'public': no session needed; 'session': any logged-in user; else the permission needed. */
  access: A;
  mutates: boolean;
  /** Reads of clinical data set this so every read leaves an audit row. */
  auditReads?: boolean;
  /**
   * Asked with no token at all, the answer is "not logged in" without an audit row: the screens ask
   * this on every start, and a log full of such rows would hide the refusals that matter.
   */
  quietWithoutToken?: boolean;
  run: (ctx: ServiceContext & { session: A extends 'public' ? Session | null : Session }, input: z.output<I>) => O;
}

/** The erased shape the router works with. */
export interface AnyMethod {
  input: z.ZodType;
  access: Access;
  mutates: boolean;
  auditReads?: boolean;
  quietWithoutToken?: boolean;
  run: (ctx: ServiceContext & { session: Session }, input: never) => unknown;
}

export function method<I extends z.ZodType, O, A extends Access>(def: MethodDef<I, O, A>): MethodDef<I, O, A> {
  return def;
}

type Merge<T extends readonly object[]> = T extends readonly [infer H, ...infer R extends readonly object[]]
  ? H & Merge<R>
  : unknown;

/** Joins the per-domain method maps; a name declared twice is a programming error caught at start. */
export function mergeRoutes<const T extends readonly Record<string, AnyMethod>[]>(...maps: T): Merge<T> {
  const merged: Record<string, AnyMethod> = {};
  for (const map of maps) {
    for (const [name, def] of Object.entries(map)) {
      if (Object.hasOwn(merged, name)) throw new Error(`API method "${name}" is declared twice`);
      merged[name] = def;
    }
  }
  return merged as Merge<T>;
}
