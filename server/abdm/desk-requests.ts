import { and, eq, lt } from 'drizzle-orm';
import type { Socket } from 'socket.io';
import { DESK_REQUEST_EVENT, DESK_REQUEST_MAX_AGE_MS, deskBodies, deskRequest, deskRequestSigningText, type DeskAnswer, type DeskKind, type DeskRequest } from '../../shared/abdm-desk';
import type { Role } from '../../shared/enums';
import { hasPermission, type Permission } from '../../shared/permissions';
import type { ServerDb } from '../db/open';
import { abdmDeskRequestIds, rows, userKeys } from '../db/schema';
import { rawEd25519Key, verifyEd25519 } from '../ed25519';
import type { AbhaService, Asker } from './abha';
import { AbhaEnrolment } from './abha-create';
import { checkConnection } from './connection-check';

/**
 * The server's end of the desk -> server ABDM channel (shared/abdm-desk.ts, docs/ABDM.md "Desk
 * requests"). The device is authenticated by its connection; each request must also be signed by
 * the person asking, with their current key, within DESK_REQUEST_MAX_AGE_MS, never seen before,
 * and that person must hold the kind's permission in the server's own copy of their users row:
 * a desk (or anyone holding its credential) cannot ask in the name of someone who did not.
 */

/** Who may ask what; checked here against the server's copy of the person's roles. */
const PERMISSION_OF: Record<DeskKind, Permission> = {
  'abha.requestOtp': 'abdm.abha',
  'abha.verifyOtp': 'abdm.abha',
  'abha.enrolRequestOtp': 'abdm.abha',
  'abha.enrolByAadhaar': 'abdm.abha',
  'abha.enrolVerifyMobile': 'abdm.abha',
  'abha.enrolAddress': 'abdm.abha',
  'abdm.status': 'patients.read',
  'abdm.check': 'facility.manage',
};

/** Forgotten request ids are cleared once in this many requests (they are stale by then anyway). */
const PRUNE_EVERY = 500;

export interface DeskRequestOptions {
  db: ServerDb;
  now?: () => number;
  /** Null when ABDM is not configured: every request then gets "not connected to ABDM". */
  abha: AbhaService | null;
  /** The Facility screen's connection check (server/abdm/connection-check.ts); absent: "not configured". */
  check?: () => Promise<DeskAnswer>;
}

export type DeskRequestHandler = (device: { deviceId: string; clinicId: string }, raw: unknown) => Promise<DeskAnswer>;

const refuse = (code: string, message: string): DeskAnswer => ({ ok: false, code, message });

export function createDeskRequests(options: DeskRequestOptions): DeskRequestHandler {
  const now = options.now ?? Date.now;
  let sincePrune = 0;
  const enrol = options.abha ? new AbhaEnrolment(options.abha, options.db) : null;

  /**
   * Request ids seen, with when they stop mattering (a replay after that is stale anyway), in the
   * database: a replay sent to another server instance, or after a restart, is refused too.
   */
  async function remember(id: string): Promise<boolean> {
    const t = now();
    if (++sincePrune >= PRUNE_EVERY) {
      sincePrune = 0;
      await options.db.delete(abdmDeskRequestIds).where(lt(abdmDeskRequestIds.until, new Date(t)));
    }
    const taken = await options.db
      .insert(abdmDeskRequestIds)
      .values({ id, until: new Date(t + 2 * DESK_REQUEST_MAX_AGE_MS) })
      .onConflictDoNothing()
      .returning({ id: abdmDeskRequestIds.id });
    return taken.length === 1;
  }

  return async (device, raw) => {
    const parsed = deskRequest.safeParse(raw);
    if (!parsed.success) return refuse('invalid', `Malformed request: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const r = parsed.data;
    const body = deskBodies[r.kind].safeParse(r.body);
    if (!body.success) {
      const issue = body.error.issues[0];
      return refuse('invalid', `${issue?.path.join('.') || 'request'}: ${issue?.message ?? 'invalid'}`);
    }
    if (Math.abs(now() - r.at) > DESK_REQUEST_MAX_AGE_MS) return refuse('stale', 'The request is too old (or this workstation’s clock is wrong); try again.');
    const person = await signedBy(options.db, device, r);
    if (!person.ok) return person;
    // Recorded only once the signature holds, so garbage cannot fill the memory; a replay of a
    // genuine request (same id) is refused here.
    if (!(await remember(r.id))) return refuse('replayed', 'This request was already used; ask again.');
    if (r.kind === 'abdm.check' && !hasPermission(person.roles, 'facility.manage')) return refuse('forbidden', `${person.name}’s role does not allow checking the ABDM connection (administrators only).`);
    if (!hasPermission(person.roles, PERMISSION_OF[r.kind])) return refuse('forbidden', `${person.name}’s role does not allow ABHA verification or creation (receptionists and administrators only).`);
    const asker: Asker = { userId: r.userId, deviceId: device.deviceId, clinicId: device.clinicId };
    if (r.kind === 'abdm.status') return { ok: true, value: { connected: options.abha !== null } };
    if (r.kind === 'abdm.check') return options.check ? options.check() : checkConnection(null, null);
    if (!options.abha || !enrol) return refuse('abdm_off', 'This clinic’s server is not connected to ABDM yet (ask the administrator to set it up).');
    if (r.kind === 'abha.enrolRequestOtp') return enrol.requestOtp(asker, deskBodies['abha.enrolRequestOtp'].parse(r.body));
    if (r.kind === 'abha.enrolByAadhaar') return enrol.enrol(asker, deskBodies['abha.enrolByAadhaar'].parse(r.body));
    if (r.kind === 'abha.enrolVerifyMobile') return enrol.verifyMobile(asker, deskBodies['abha.enrolVerifyMobile'].parse(r.body));
    if (r.kind === 'abha.enrolAddress') return enrol.chooseAddress(asker, deskBodies['abha.enrolAddress'].parse(r.body));
    if (r.kind === 'abha.requestOtp') return options.abha.requestOtp(asker, deskBodies['abha.requestOtp'].parse(r.body));
    return options.abha.verifyOtp(asker, deskBodies['abha.verifyOtp'].parse(r.body));
  };
}

/** The person who signed `r`, with their roles from the server's copy of their row, or why not. */
async function signedBy(db: ServerDb, device: { deviceId: string; clinicId: string }, r: DeskRequest): Promise<{ ok: true; roles: Role[]; name: string } | { ok: false; code: string; message: string }> {
  const [user] = await db
    .select({ data: rows.data })
    .from(rows)
    .where(and(eq(rows.clinicId, device.clinicId), eq(rows.tableName, 'users'), eq(rows.rowId, r.userId)));
  const data = user?.data;
  if (!data || data.deleted_at || data.active === false || data.active === 0) return refuse('unknown_user', 'The server does not know this person (yet): sync, then try again.') as { ok: false; code: string; message: string };
  const keys = await db
    .select({ keyId: userKeys.keyId, publicKey: userKeys.publicKey, retiredAt: userKeys.retiredAt })
    .from(userKeys)
    .where(and(eq(userKeys.clinicId, device.clinicId), eq(userKeys.userId, r.userId)));
  const key = keys.find((k) => k.keyId === r.keyId && k.retiredAt === null);
  const name = typeof data.full_name === 'string' ? data.full_name : 'This person';
  if (!key) return { ok: false, code: 'not_signed', message: `Not signed by ${name}’s current key; log in again.` };
  const { keyId: _k, sig, ...signedPart } = r;
  const raw = rawEd25519Key(key.publicKey);
  const good = raw !== null && verifyEd25519(raw, Buffer.from(deskRequestSigningText(signedPart, device.deviceId), 'utf8'), Buffer.from(sig, 'base64'));
  if (!good) return { ok: false, code: 'not_signed', message: 'The signature does not match this request.' };
  const roles = Array.isArray(data.roles) ? (data.roles as Role[]) : typeof data.roles === 'string' ? (JSON.parse(data.roles) as Role[]) : [];
  return { ok: true, roles, name };
}

/**
 * Serves the channel on a device's socket (server/app.ts calls this once per connection). `authed`
 * names the device its hello proved, or throws; `known` re-checks it has not been revoked since.
 */
export function serveDeskRequests(
  socket: Pick<Socket, 'on'>,
  authed: () => { deviceId: string; clinicId: string },
  known: (deviceId: string, clinicId: string) => Promise<unknown>,
  handler: DeskRequestHandler | undefined,
): void {
  socket.on(DESK_REQUEST_EVENT, async (raw: unknown, reply: (a: DeskAnswer) => void) => {
    if (typeof reply !== 'function') return;
    try {
      const device = authed();
      await known(device.deviceId, device.clinicId);
      if (!handler) return reply(refuse('abdm_off', 'This clinic’s server does not take ABDM requests.'));
      reply(await handler(device, raw));
    } catch (e) {
      reply(refuse('refused', e instanceof Error ? e.message : 'The server could not handle this request.'));
    }
  });
}
