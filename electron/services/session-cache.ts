import type Database from '../../db/sqlite';
import type { Session } from '../core/context';
import { TOUCH_EVERY_MS } from './auth';
import type { SessionKeys } from './session-keys';

interface Checked {
  /** auth_generation's n when the session was checked in full. */
  generation: number;
  userId: string;
  lastSeenAt: number;
  session: Session;
}

/**
 * Sessions the router has checked in full (resolveSession + sessionSigner), kept in memory so a
 * call does not look its session up again (about a fifth of a search's time, issue #20). An entry
 * is trusted only while nothing that decides a session has changed: the auth_generation counter
 * (migration 0027) moves on every change to users or sessions, wherever it comes from (a logout,
 * a password or role change, a deactivation, a lockout's session ending, a sync pull), and any
 * move sends every session back through the full check. The time rules are applied here exactly
 * as the full check applies them: past the idle limit, or due a touch, the full check runs (and
 * ends or touches the session itself). The signing key is looked up in memory every time.
 */
export class SessionCache {
  private readonly checked = new Map<string, Checked>();
  private readonly generationStmt: Database.Statement;
  private readonly lastSeenStmt: Database.Statement;

  constructor(
    sqlite: Database.Database,
    private readonly keys: SessionKeys,
  ) {
    this.generationStmt = sqlite.prepare('SELECT n FROM auth_generation WHERE id = 1').pluck();
    this.lastSeenStmt = sqlite.prepare('SELECT user_id AS userId, last_seen_at AS lastSeenAt FROM sessions WHERE token_hash = ?');
  }

  private generation(): number {
    return this.generationStmt.get() as number;
  }

  /** The session, if it was checked and nothing about it can have changed since; null: check it in full. */
  get(tokenHash: string, now: number, idleMs: number): Session | null {
    const hit = this.checked.get(tokenHash);
    if (!hit) return null;
    const held = this.keys.get(tokenHash);
    const fresh =
      hit.generation === this.generation() &&
      now - hit.lastSeenAt <= idleMs &&
      now - hit.lastSeenAt <= TOUCH_EVERY_MS &&
      held !== undefined &&
      held.userId === hit.userId;
    if (fresh) return hit.session;
    this.checked.delete(tokenHash);
    return null;
  }

  /** Remembers a session the full check has just accepted (inside its transaction, after any touch). */
  remember(tokenHash: string, session: Session): void {
    const row = this.lastSeenStmt.get(tokenHash) as { userId: string; lastSeenAt: number } | undefined;
    if (!row || row.userId !== session.userId) return;
    const generation = this.generation();
    // Sessions ended by logout or timeout are never presented again: once the map grows, drop
    // every entry from an older generation (none of them can be trusted any more anyway).
    if (this.checked.size >= 64) for (const [key, entry] of this.checked) if (entry.generation !== generation) this.checked.delete(key);
    this.checked.set(tokenHash, { generation, userId: row.userId, lastSeenAt: row.lastSeenAt, session });
  }

  forget(tokenHash: string): void {
    this.checked.delete(tokenHash);
  }
}
