import { eq } from 'drizzle-orm';
import type { ServerDb } from './db/open';
import { devices } from './db/schema';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];

/**
 * Whether the pushing workstation is still enrolled, read again inside the push's transaction once
 * the clinic's lock is held (docs/SYNC.md "Trust model"). The check before the lock can race a
 * revocation that commits while the push waits for the lock; a revocation is itself applied under
 * that lock, so what is read here is final for this push. The reason, or null.
 */
export async function revokedUnderLock(tx: Tx, deviceId: string): Promise<string | null> {
  const [d] = await tx.select({ revokedAt: devices.revokedAt }).from(devices).where(eq(devices.id, deviceId));
  if (!d) return 'This workstation is not enrolled with the server.';
  return d.revokedAt ? 'This workstation has been removed from the clinic.' : null;
}
