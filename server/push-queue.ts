/**
 * The pushes of one clinic, taken in turns by device and applied in groups. A clinic's pushes are
 * applied one transaction at a time anyway (applyPushes holds the clinic's lock); left to the
 * lock, they go in the order they arrive, so a desk that sends its backlog as many pushes at once
 * is served all of them before another desk's single change, and each waiting push holds a
 * database connection other clinics need. Here each clinic runs one group at a time: the oldest
 * push of each waiting desk, desks in the order they have waited (round robin: a desk with a
 * backlog of ten pushes lets the others in between each of its own), up to GROUP_LIMIT changes.
 * A group shares one transaction, so what a push costs whatever its size is paid once for all
 * (server/store.ts applyPushes). The database lock stays: it orders pushes across server
 * instances.
 */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/** Changes per group at most: as many as one push may carry (shared/sync-protocol.ts PUSH_LIMIT). */
export const GROUP_LIMIT = 500;

interface Job<P, R> {
  deviceId: string;
  payload: P;
  size: number;
  settle: (outcome: Settled<R>) => void;
}

/** Applies a group's payloads in order, one outcome each (the runner isolates a failure). */
export type GroupRunner<P, R> = (payloads: P[]) => Promise<Settled<R>[]>;

class ClinicTurns<P, R> {
  /** Waiting pushes by device, devices in the order they are to be served. */
  private readonly waiting = new Map<string, Job<P, R>[]>();
  private running = false;

  constructor(
    private readonly runGroup: GroupRunner<P, R>,
    private readonly onIdle: () => void,
  ) {}

  add(job: Job<P, R>) {
    const queue = this.waiting.get(job.deviceId);
    if (queue) queue.push(job);
    else this.waiting.set(job.deviceId, [job]);
    if (!this.running) this.next(new Set());
  }

  /** The next group: desks not in the last group first, then those, one push each. */
  private take(served: ReadonlySet<string>): Job<P, R>[] {
    const order = [...this.waiting.keys()].sort((a, b) => Number(served.has(a)) - Number(served.has(b)));
    const group: Job<P, R>[] = [];
    let size = 0;
    for (const deviceId of order) {
      const job = this.waiting.get(deviceId)![0]!;
      if (group.length > 0 && size + job.size > GROUP_LIMIT) continue;
      group.push(job);
      size += job.size;
      const queue = this.waiting.get(deviceId)!;
      queue.shift();
      // Served: to the back of the line (behind every desk that has waited longer).
      this.waiting.delete(deviceId);
      if (queue.length > 0) this.waiting.set(deviceId, queue);
    }
    return group;
  }

  private next(served: ReadonlySet<string>) {
    const group = this.take(served);
    if (group.length === 0) {
      this.running = false;
      return this.onIdle();
    }
    this.running = true;
    const settleAll = (outcomes: readonly Settled<R>[] | null, error: unknown) => {
      // Every push is answered, whatever another's answer does.
      group.forEach((j, i) => {
        try {
          j.settle(outcomes?.[i] ?? { ok: false, error: error ?? new Error('no outcome for this push') });
        } catch {
          // (settle only resolves or rejects a promise)
        }
      });
    };
    this.runGroup(group.map((j) => j.payload))
      .then(
        (outcomes) => settleAll(Array.isArray(outcomes) ? outcomes : null, null),
        (error: unknown) => settleAll(null, error),
      )
      // The next turn is chosen after the event loop has read what arrived meanwhile: on PGlite a
      // push runs without giving way to the network, so choosing at once would only ever see the
      // pushes that were already waiting (the backlog's) and never the desk that just sent one.
      .finally(() => setImmediate(() => this.next(new Set(group.map((j) => j.deviceId)))));
  }
}

export class PushTurns<P, R> {
  private readonly clinics = new Map<string, ClinicTurns<P, R>>();

  constructor(private readonly runGroup: GroupRunner<P, R>) {}

  /** Applies `payload` (a push of `size` changes) in this device's turn in its clinic; resolves or rejects with its outcome. */
  run(clinicId: string, deviceId: string, payload: P, size: number): Promise<R> {
    let turns = this.clinics.get(clinicId);
    if (!turns) {
      turns = new ClinicTurns(this.runGroup, () => this.clinics.delete(clinicId));
      this.clinics.set(clinicId, turns);
    }
    const clinic = turns;
    return new Promise<R>((resolve, reject) => {
      clinic.add({ deviceId, payload, size, settle: (o) => (o.ok ? resolve(o.value) : reject(o.error instanceof Error ? o.error : new Error(String(o.error)))) });
    });
  }
}
