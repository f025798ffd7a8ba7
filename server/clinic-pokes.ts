/**
 * "Something changed" for a clinic's desks after pushes commit, sent once per clinic however many
 * of its pushes were applied together. A clinic's pushes are applied in groups (server/push-queue.ts)
 * and a group's pushes are answered in the same tick: poking every desk after every push cost
 * nine socket writes per push under ten desks a clinic (most of the server's writes under load), a
 * NOTIFY for the other instances, and a pull on each desk for every one of them.
 *
 * `send` gets the desks whose pushes were applied since the last call: when that is one desk, it
 * has nothing to learn from its own changes and is left out, as before; when several, each has the
 * others' changes to pull, so every desk is poked.
 */
export class ClinicPokes {
  private readonly pending = new Map<string, Set<string>>();
  private scheduled = false;

  constructor(private readonly send: (clinicId: string, pushers: ReadonlySet<string>) => void) {}

  /** A push of `deviceId` was applied (committed) in `clinicId`. */
  applied(clinicId: string, deviceId: string): void {
    let pushers = this.pending.get(clinicId);
    if (!pushers) {
      pushers = new Set();
      this.pending.set(clinicId, pushers);
    }
    pushers.add(deviceId);
    if (this.scheduled) return;
    this.scheduled = true;
    // After the current tick: the other pushes of the same group are answered in it.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const due = [...this.pending];
    this.pending.clear();
    for (const [clinicId, pushers] of due) {
      try {
        this.send(clinicId, pushers);
      } catch {
        // A poke is a hint (desks also pull on a timer); one clinic's failure must not stop the others'.
      }
    }
  }
}
