/** Desks, clinics and users a clinic's keys are kept for (each map forgotten all at once beyond it). */
const MAX_REMEMBERED = 10_000;
const MAX_USERS_PER_CLINIC = 2_000;

/**
 * What the server last read of the desks and of each clinic's signers' keys, so a push whose desk
 * and signers are known starts its signatures (store.ts authenticateForPush) without a statement
 * of its own: under a hundred desks, that read was a round trip per push. Neither is trusted: a
 * desk's id, clinic and series never change, and whether it is still enrolled, and which key is
 * right, are read again under the clinic's lock (push-open.ts, signatures.ts check), which
 * verifies again itself when a key changed since.
 */
export class PushMemory<D extends { id: string }> {
  private readonly devices = new Map<string, D>();
  private readonly keys = new Map<string, Map<string, string[]>>();

  device(deviceId: string): D | undefined {
    return this.devices.get(deviceId);
  }

  remember(device: D): void {
    if (!this.devices.has(device.id) && this.devices.size >= MAX_REMEMBERED) this.devices.clear();
    this.devices.set(device.id, device);
  }

  /** A desk revoked here: its next push reads its row again (and is refused before its turn). */
  forget(deviceId: string): void {
    this.devices.delete(deviceId);
  }

  /**
   * The signers' public keys as last read, or null when one of them has none there: not read yet,
   * or none held when it was read (a key the same turn then registered would be missed).
   */
  heldKeys(clinicId: string, signers: readonly string[]): string[] | null {
    const byUser = this.keys.get(clinicId);
    const held: string[] = [];
    for (const id of signers) {
      const keys = byUser?.get(id);
      if (!keys || keys.length === 0) return null;
      held.push(...keys);
    }
    return held;
  }

  /**
   * The keys a turn leaves its users with (each user's whole list, retired keys included). A user
   * with none is not kept: a desk can name any user id, and heldKeys reads such a user again anyway.
   */
  rememberKeys(clinicId: string, byUser: ReadonlyMap<string, readonly { publicKey: string }[]>): void {
    let known = this.keys.get(clinicId);
    for (const [userId, keys] of byUser) {
      if (keys.length === 0) continue;
      if (!known) {
        if (this.keys.size >= MAX_REMEMBERED) this.keys.clear();
        known = new Map();
        this.keys.set(clinicId, known);
      }
      if (!known.has(userId) && known.size >= MAX_USERS_PER_CLINIC) known.clear();
      known.set(userId, keys.map((k) => k.publicKey));
    }
  }

  /** How many users' keys are kept for a clinic (for tests). */
  usersKept(clinicId: string): number {
    return this.keys.get(clinicId)?.size ?? 0;
  }
}
