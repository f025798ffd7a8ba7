/**
 * The pushes of one clinic, taken in turns by device. A clinic's pushes are applied one at a time
 * anyway (applyPush holds the clinic's lock); left to the lock, they go in the order they arrive,
 * so a desk that sends its backlog as many pushes at once is served all of them before another
 * desk's single change, and each waiting push holds a database connection other clinics need.
 * Here each clinic runs one push at a time, and the next push is the oldest of the desk that has
 * waited longest (round robin by device): a desk with a backlog of ten pushes lets the others in
 * between each of its own. The database lock stays: it orders pushes across server instances.
 */
type Job = () => void;

class ClinicTurns {
  /** Waiting pushes by device, devices in the order they are to be served. */
  private readonly waiting = new Map<string, Job[]>();
  private running: string | null = null;

  constructor(private readonly onIdle: () => void) {}

  add(deviceId: string, job: Job) {
    const queue = this.waiting.get(deviceId);
    if (queue) queue.push(job);
    else this.waiting.set(deviceId, [job]);
    if (this.running === null) this.next(null);
  }

  private next(served: string | null) {
    // The device just served goes last: another device waiting is served first.
    let deviceId: string | undefined;
    for (const id of this.waiting.keys()) {
      if (id !== served) {
        deviceId = id;
        break;
      }
    }
    deviceId ??= served !== null && this.waiting.has(served) ? served : undefined;
    if (deviceId === undefined) {
      this.running = null;
      return this.onIdle();
    }
    const queue = this.waiting.get(deviceId)!;
    const job = queue.shift()!;
    this.waiting.delete(deviceId);
    if (queue.length > 0) this.waiting.set(deviceId, queue);
    this.running = deviceId;
    job();
  }

  done() {
    // The next turn is chosen after the event loop has read what arrived meanwhile: on PGlite a
    // push runs without giving way to the network, so choosing at once would only ever see the
    // pushes that were already waiting (the backlog's) and never the desk that just sent one.
    const served = this.running;
    setImmediate(() => this.next(served));
  }
}

export class PushTurns {
  private readonly clinics = new Map<string, ClinicTurns>();

  /** Runs `apply` when it is this device's turn in its clinic; resolves or rejects with it. */
  run<T>(clinicId: string, deviceId: string, apply: () => Promise<T>): Promise<T> {
    let turns = this.clinics.get(clinicId);
    if (!turns) {
      turns = new ClinicTurns(() => this.clinics.delete(clinicId));
      this.clinics.set(clinicId, turns);
    }
    const clinic = turns;
    return new Promise<T>((resolve, reject) => {
      clinic.add(deviceId, () => {
        apply()
          .then(resolve, reject)
          .finally(() => clinic.done());
      });
    });
  }
}
