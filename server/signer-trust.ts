import { and, desc, eq, sql } from 'drizzle-orm';
import type { FirstKeyInfo } from '../shared/sync-protocol';
import type { ServerDb } from './db/open';
import { devices, rows, userKeys } from './db/schema';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];

/**
 * Why a keyless user's first key may not be registered from this workstation, or null. A user from
 * before signed changes has nothing to prove who they are but their password, which any enrolled
 * desk could have seen typed; so their first key is taken only from a desk they are known to have
 * worked on: one that has pushed an audit entry of something they did (outcome ok, in their name,
 * stamped with that desk). Those entries now need their signature, so none can be made up for a
 * desk they never used. Anywhere else, an administrator's password reset gives them a key.
 */
export async function firstKeyRefusal(tx: Tx, clinicId: string, userId: string, deviceId: string, who: string): Promise<string | null> {
  const [seen] = await tx
    .select({ id: rows.rowId })
    .from(rows)
    .where(
      and(
        eq(rows.clinicId, clinicId),
        eq(rows.tableName, 'audit_log'),
        sql`${rows.data}->>'user_id' = ${userId}`,
        sql`${rows.data}->>'device_id' = ${deviceId}`,
        sql`${rows.data}->>'outcome' = 'ok'`,
      ),
    )
    .limit(1);
  if (seen) return null;
  return `${who}'s first signing key can only come from a workstation they have worked on before: log in there first, or an administrator resets their password`;
}

/** First keys users registered themselves (trust on first use), newest first: for administrators to check. */
export async function firstKeys(db: ServerDb, clinicId: string): Promise<FirstKeyInfo[]> {
  const found = await db
    .select({ userId: userKeys.userId, deviceId: userKeys.registeredByDevice, deviceName: devices.name, at: userKeys.registeredAt, user: rows.data })
    .from(userKeys)
    .leftJoin(devices, eq(devices.id, userKeys.registeredByDevice))
    .leftJoin(rows, and(eq(rows.clinicId, userKeys.clinicId), eq(rows.tableName, 'users'), eq(rows.rowId, userKeys.userId)))
    .where(and(eq(userKeys.clinicId, clinicId), eq(userKeys.firstUse, true)))
    .orderBy(desc(userKeys.registeredAt));
  return found.map((f) => ({
    userId: f.userId,
    username: typeof f.user?.username === 'string' ? f.user.username : null,
    deviceId: f.deviceId,
    deviceName: f.deviceName,
    at: f.at.getTime(),
  }));
}
