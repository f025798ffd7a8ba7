import type Database from '../../db/sqlite';
import type { z } from 'zod';
import type { Db } from '../../db/open';
import type { AuditOutcome } from '../../db/schema';
import { Writer, type WriteRecord } from '../../db/write';
import { appendAudit } from '../services/audit';
import { cupsSpooler, type Spooler } from '../services/printing';
import { hashToken, resolveSession } from '../services/auth';
import { SessionKeys, sessionSigner } from '../services/session-keys';
import { SessionCache } from '../services/session-cache';
import { changeSigner, type ChangeSigner } from '../services/signing-keys';

import { localDate } from '../../shared/clinic-time';
import type { BackupService } from '../services/backups';
import type { FileAccess } from '../services/file-access';
import type { JobRunner } from '../services/jobs';
import { hasPermission } from '../../shared/permissions';
import { SyncRuleError } from '../../shared/sync-rules';
import type { HybridClock } from '../../shared/hlc';
import {
  ApiFailure,
  type AnyMethod,
  type ApiError,
  type AppSettings,
  type AuditSubject,
  type ErrorCode,
  type Result,
  type ServiceContext,
  type Session,
  type SyncControl,
} from './contract';
import { scrubInput } from './text';

export interface RouterDeps {
  db: Db;
  sqlite: Database.Database;
  clock: HybridClock;
  deviceId: string;
  settings: AppSettings;
  jobs: JobRunner;
  sync: SyncControl;
  backups?: BackupService;
  /** Default: CUPS. */
  spooler?: Spooler;
  files: FileAccess;
  now?: () => number;
  /** Told after each commit which tables changed, for live screens. */
  onChanged?: (tables: string[]) => void;
  /** Unexpected errors go here (never to the caller, who gets a generic message). */
  onInternalError?: (method: string, error: unknown) => void;
  /** The sessions' signing keys, in memory (default: a new, empty holder). */
  sessionKeys?: SessionKeys;
}

export interface Router {
  call(method: string, input: unknown, token: string | null): Result<unknown>;
  readonly methods: readonly string[];
}

/** Tables whose writes are bookkeeping, not business: not audited row by row, not announced. */
const QUIET_TABLES = new Set(['audit_log', 'change_log', 'sessions', 'local_meta']);

const OUTCOME: Record<ErrorCode, AuditOutcome> = {
  invalid_input: 'invalid',
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  not_found: 'failed',
  conflict: 'failed',
  invalid_credentials: 'failed',
  account_locked: 'failed',
  unknown_method: 'invalid',
  internal: 'error',
};

/** All a session opened on an administrator's password may do: choose a new one, or leave. */
const WHILE_PASSWORD_MUST_CHANGE = new Set(['auth.me', 'auth.changePassword', 'auth.logout']);

/**
 * The one place where a call becomes behaviour: validate, authenticate, authorise, run in one
 * transaction, audit, announce. Whatever happens, the caller gets a Result value.
 */
// Long by design: `call` inside it is the one pipeline in order (validate, authenticate, authorise, transaction, audit, announce) over the audit helpers this closure holds; split, that order would be spread over files.
export function createRouter(routes: Record<string, AnyMethod>, deps: RouterDeps): Router {
  const now = deps.now ?? Date.now;
  const tick = () => deps.clock.tick();
  const sessionKeys = deps.sessionKeys ?? new SessionKeys();
  const sessionCache = new SessionCache(deps.sqlite, sessionKeys);
  const audit = (entry: Parameters<typeof appendAudit>[1], signer: ChangeSigner | null) =>
    appendAudit({ db: deps.db, deviceId: deps.deviceId, tick, signer }, entry);

  function refuse(
    action: string,
    error: ApiError,
    who: { session: Session | null; subject?: AuditSubject | undefined; signer?: ChangeSigner | null },
  ): Result<never> {
    const subject = who.subject ?? {};
    const detail = [error.message, error.fields ? JSON.stringify(error.fields) : '', subject.detail ?? '']
      .filter(Boolean)
      .join(' ');
    deps.sqlite.transaction(() =>
      audit({
        at: now(),
        userId: who.session?.userId ?? subject.userId ?? null,
        username: who.session?.username ?? subject.username ?? null,
        action,
        outcome: OUTCOME[error.code],
        entityType: subject.entityType ?? null,
        entityId: subject.entityId ?? null,
        detail,
      }, who.signer ?? null),
    )();
    return { ok: false, error };
  }

  // Long by design: the one pipeline in order (validate, authenticate, authorise, transaction, audit, announce); see createRouter above.
  function call(name: string, rawInput: unknown, token: string | null): Result<unknown> {
    const def = Object.hasOwn(routes, name) ? routes[name] : undefined;
    if (!def) {
      return refuse(name, { code: 'unknown_method', message: `There is no method called "${name}".` }, { session: null });
    }

    // Before the schema, so no method (including one added later) stores what the text rule refuses.
    const scrubbed = scrubInput(rawInput);
    const parsed = def.input.safeParse(scrubbed.input);
    let session: Session | null = null;
    let signer: ChangeSigner | null = null;
    if (token) {
      const tokenHash = hashToken(token);
      // Checked before and nothing about it changed since (services/session-cache.ts): no lookup.
      const cached = sessionCache.get(tokenHash, now(), deps.settings.sessionIdleMs);
      const held = cached ? sessionKeys.get(tokenHash) : undefined;
      if (cached && held) {
        session = cached;
        signer = changeSigner(cached.userId, held.key);
      } else {
        const check = deps.sqlite.transaction(() => {
          const found = resolveSession({ db: deps.db, now, settings: deps.settings }, token);
          const signed = found.ok ? sessionSigner({ db: deps.db, now }, sessionKeys, token, found.session) : found;
          if (signed.ok) sessionCache.remember(tokenHash, signed.session);
          return signed;
        })();
        if (check.ok) {
          session = check.session;
          signer = check.signer;
        } else {
          sessionCache.forget(tokenHash);
          sessionKeys.drop(tokenHash);
          if (def.access !== 'public') return refuse(name, { code: 'unauthenticated', message: check.reason }, { session: null });
        }
      }
    }
    if (def.access !== 'public') {
      if (!session) {
        if (!token && def.quietWithoutToken) return { ok: false, error: { code: 'unauthenticated', message: 'Please log in.' } };
        return refuse(name, { code: 'unauthenticated', message: 'Please log in.' }, { session: null });
      }
      if (session.mustChangePassword && !WHILE_PASSWORD_MUST_CHANGE.has(name)) {
        return refuse(
          name,
          { code: 'forbidden', message: 'An administrator set your password: choose your own (Change my password) before anything else.' },
          { session, signer },
        );
      }
      if (def.access !== 'session' && !hasPermission(session.roles, def.access)) {
        return refuse(
          name,
          { code: 'forbidden', message: 'Your role does not allow this. Ask an administrator if you need it.' },
          { session, signer },
        );
      }
    }
    if (!parsed.success || scrubbed.fields) {
      return refuse(name, validationError(parsed.success ? null : parsed.error, scrubbed.fields), { session, signer });
    }

    const writes: WriteRecord[] = [];
    const extraAudits: { action: string; subject: AuditSubject }[] = [];
    let subject: AuditSubject = {};
    const ctx: ServiceContext = {
      db: deps.db,
      sqlite: deps.sqlite,
      now,
      deviceId: deps.deviceId,
      settings: deps.settings,
      // A job belongs to whoever's call started it, and remembers what the call was about.
      jobs: deps.jobs.startedBy(() => ({ userId: session?.userId ?? null, entityType: subject.entityType ?? null, entityId: subject.entityId ?? null })),
      jobRunner: deps.jobs,
      sync: deps.sync,
      ...(deps.backups ? { backups: deps.backups } : {}),
      spooler: deps.spooler ?? cupsSpooler,
      files: deps.files,
      today: () => localDate(now(), deps.settings.timeZone),
      session,
      token,
      write: new Writer({
        db: deps.db,
        deviceId: deps.deviceId,
        now,
        tick,
        userId: session?.userId ?? null,
        roles: session?.roles ?? [],
        sign: signer?.sign,
        record: (w) => writes.push(w),
      }),
      signing: {
        open: (openedToken, userId, key) => {
          sessionKeys.put(hashToken(openedToken), userId, key);
          signer = changeSigner(userId, key);
          return signer;
        },
        actAs: (userId, key) => {
          signer = changeSigner(userId, key);
        },
        close: (closedToken) => sessionKeys.drop(hashToken(closedToken)),
      },
      signBytes: (bytes) => signer?.sign(bytes) ?? null,
      describe: (s) => {
        subject = { ...subject, ...s };
      },
      alsoAudit: (action, s) => {
        extraAudits.push({ action, subject: s });
      },
      afterwards: (action, fn) => {
        const later: WriteRecord[] = [];
        // What fn describes (e.g. "printed on PDF (PDF-12)") belongs to this action's audit rows.
        const outer = subject;
        subject = {};
        let out: ReturnType<typeof fn>;
        try {
          out = deps.sqlite.transaction(() => {
            const value = fn(ctx.write.withRecorder((w) => later.push(w)));
            auditSuccess(action, ctx, subject, later, signer);
            return value;
          })();
        } finally {
          subject = outer;
        }
        const changed = [...new Set(later.map((w) => w.table))].filter((t) => !QUIET_TABLES.has(t));
        if (changed.length > 0) deps.onChanged?.(changed);
        return out;
      },
    };

    try {
      const value = deps.sqlite.transaction(() => {
        const out = def.run(ctx as ServiceContext & { session: Session }, parsed.data as never);
        if (def.mutates || def.auditReads) auditSuccess(name, ctx, subject, writes, signer);
        for (const extra of extraAudits) auditSuccess(extra.action, ctx, extra.subject, [], signer);
        return out;
      })();
      const tables = [...new Set(writes.map((w) => w.table))].filter((t) => !QUIET_TABLES.has(t));
      if (tables.length > 0) deps.onChanged?.(tables);
      return { ok: true, value };
    } catch (error) {
      if (error instanceof SyncRuleError) {
        // The rule book refused a write the sync server would refuse too: nothing was saved.
        return refuse(name, { code: 'forbidden', message: `This change is not allowed: ${error.reason}.` }, { session, signer: session ? signer : null, subject });
      }
      if (error instanceof ApiFailure) {
        const e: ApiError = { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) };
        return refuse(name, e, { session, signer: session ? signer : null, subject: { ...subject, ...error.subject } });
      }
      deps.onInternalError?.(name, error);
      return refuse(
        name,
        { code: 'internal', message: 'Something went wrong; nothing was saved. Please try again.' },
        { session, signer: session ? signer : null, subject: { ...subject, detail: error instanceof Error ? error.message : String(error) } },
      );
    }
  }

  function auditSuccess(action: string, ctx: ServiceContext, subject: AuditSubject, writes: WriteRecord[], signer: ChangeSigner | null) {
    const base = {
      at: now(),
      userId: ctx.session?.userId ?? subject.userId ?? null,
      username: ctx.session?.username ?? subject.username ?? null,
      action,
      outcome: 'ok' as const,
    };
    const business = writes.filter((w) => !QUIET_TABLES.has(w.table));
    if (business.length === 0) {
      audit({ ...base, entityType: subject.entityType ?? null, entityId: subject.entityId ?? null, detail: subject.detail ?? null }, signer);
      return;
    }
    for (const w of business) {
      audit({ ...base, entityType: w.table, entityId: w.rowId, oldValues: w.old, newValues: w.new, detail: subject.detail ?? null }, signer);
    }
  }

  return { call, methods: Object.keys(routes) };
}

/**
 * The schema's messages come first: they name the field as the screen labels it. The text
 * backstop's (from scrubInput) fill in fields whose schema had nothing to say.
 */
export function validationError(error: z.ZodError | null, textFaults: Record<string, string> | null = null): ApiError {
  const fields: Record<string, string> = {};
  for (const issue of error?.issues ?? []) {
    const key = issue.path.map(String).join('.') || '(input)';
    fields[key] ??= issue.message;
  }
  for (const [key, message] of Object.entries(textFaults ?? {})) fields[key] ??= message;
  const [firstKey, firstMessage] = Object.entries(fields)[0] ?? ['(input)', 'Invalid input'];
  const more = Object.keys(fields).length - 1;
  return {
    code: 'invalid_input',
    message: `${firstKey}: ${firstMessage}${more > 0 ? ` (and ${more} more)` : ''}`,
    fields,
  };
}
