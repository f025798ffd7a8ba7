import { eq } from 'drizzle-orm';
import type { Db } from '../../db/open';
import { sessions } from '../../db/schema';
import type { Session } from '../core/context';
import { hashToken } from './auth';
import { changeSigner, type ChangeSigner, type SigningKey } from './signing-keys';

/**
 * The signing keys of the open sessions of this process, by the session token's hash. Held in
 * memory only: never written anywhere, gone when the process ends (a session that outlives the
 * process must log in again, see sessionSigner). Owned by the router's deps.
 */
export class SessionKeys {
  private readonly keys = new Map<string, { userId: string; key: SigningKey }>();

  put(tokenHash: string, userId: string, key: SigningKey): void {
    this.keys.set(tokenHash, { userId, key });
  }

  get(tokenHash: string): { userId: string; key: SigningKey } | undefined {
    return this.keys.get(tokenHash);
  }

  /** A signer for `userId` if they have a session open in this process now (any desk work of theirs). */
  signerFor(userId: string): ChangeSigner | null {
    for (const held of this.keys.values()) if (held.userId === userId) return changeSigner(userId, held.key);
    return null;
  }

  drop(tokenHash: string): void {
    this.keys.delete(tokenHash);
  }

  get size(): number {
    return this.keys.size;
  }
}

export type SignedSession = { ok: true; session: Session; signer: ChangeSigner | null } | { ok: false; reason: string };

/**
 * Who signs the changes of a live session. A session with no key in this process (it was restarted
 * since the login, so the key was never unwrapped here; or the session predates signed changes,
 * its person having no key yet) must log in again rather than write changes the server would
 * refuse as unsigned: the session ends. The login unwraps their key, or gives a person from before
 * signing their first one (services/auth.ts login).
 */
export function sessionSigner(ctx: { db: Db; now: () => number }, keys: SessionKeys, token: string, session: Session): SignedSession {
  const tokenHash = hashToken(token);
  const held = keys.get(tokenHash);
  if (held && held.userId === session.userId) return { ok: true, session, signer: changeSigner(session.userId, held.key) };
  ctx.db.update(sessions).set({ endedAt: ctx.now() }).where(eq(sessions.tokenHash, tokenHash)).run();
  return { ok: false, reason: 'Please log in again.' };
}
