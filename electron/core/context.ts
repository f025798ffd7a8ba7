import type Database from '../../db/sqlite';
import type { Db } from '../../db/open';
import type { Role } from '../../shared/enums';
import type { Writer } from '../../db/write';
import type { ErrorCode } from '../../shared/api';
import type { BackupService } from '../services/backups';
import type { Spooler } from '../services/printing';
import type { FileAccess } from '../services/file-access';
import type { JobRunner, JobStarter } from '../services/jobs';
import type { ChangeSigner, SigningKey } from '../services/signing-keys';
import type { SyncStatus } from '../sync/engine';

/*
 * What a service is given for one call, and how it refuses. Services import this, never the API
 * layer above them (electron/api), which declares the methods that call them.
 */

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
  /**
   * The signing keys of this process's sessions (docs/SYNC.md "Signed changes"), kept by the
   * router. Absent where no router runs the call (benchmarks that build a context by hand).
   */
  signing?: SigningControl;
  /** Signs bytes as this call's person (their session's key); null when nobody signs this call. */
  signBytes?: (bytes: Uint8Array) => { sig: string; keyId: string } | null;
}

export interface SigningControl {
  /**
   * Keeps `key` in memory for the session of `token` (a login) and makes it this call's signer
   * from now on (the login's own audit row); returns the signer for writes made as that person.
   */
  open(token: string, userId: string, key: SigningKey): ChangeSigner;
  /** Makes `key` this call's signer from now on without a session (setup, as the first administrator). */
  actAs(userId: string, key: SigningKey): void;
  /** Forgets the key of the session of `token` (a logout). */
  close(token: string): void;
}

/** The context of a call the router has authenticated: its session is never null. */
export type AuthedContext = ServiceContext & { session: Session };

export interface SyncControl {
  status(): SyncStatus;
  /** Re-reads the settings and starts (or stops) syncing accordingly. */
  restart(): void;
  trigger(): void;
  /** Asks the server for the clinic's workstations in the background (kept in local_meta). */
  refreshDevices(): void;
  /** One request to the server (the ABDM desk channel); null when not online with it. */
  ask?(event: string, payload: unknown): Promise<unknown>;
  /** Fetch this attachment's bytes from the server soon (a read found them missing here). */
  fetchAttachment?(sha256: string): void;
}
