import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ED25519_SPKI_PREFIX, SODIUM_PATH } from './ed25519';

/**
 * One signature to check: a public key (base64 SPKI DER, as user_keys holds it), the signed text
 * (verified as its UTF-8 bytes; text crosses to a worker much more cheaply than many small byte
 * arrays), the signature (base64).
 */
export interface VerifyJob {
  publicKey: string;
  text: string;
  sig: string;
}

/**
 * Ed25519 verification off the main thread. A push of 500 signed changes costs 500 verifications
 * (about 45-100 µs each on a small server): on the main thread that is the server's largest cost
 * per change and stalls every other desk's pull meanwhile. The workers only answer "does this
 * signature match these bytes under this key"; every decision stays in server/signatures.ts,
 * which verifies on the main thread whenever the pool has no answer (no workers, a worker died).
 *
 * The workers run plain JavaScript from a string (eval), so they start the same under tsx, vitest
 * and a bundle; they load libsodium from the path the main thread resolved and check exactly as
 * server/ed25519.ts does (the same key header, lengths and call).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const sodium = require(workerData.sodiumPath);
const prefix = Buffer.from(workerData.spkiPrefix, 'hex');
const keys = new Map();
const rawKey = (spki) => {
  const der = Buffer.from(spki, 'base64');
  return der.length === prefix.length + 32 && der.subarray(0, prefix.length).equals(prefix) ? Buffer.from(der.subarray(prefix.length)) : null;
};
parentPort.on('message', ({ id, jobs }) => {
  const out = new Uint8Array(jobs.length);
  for (let i = 0; i < jobs.length; i++) {
    const j = jobs[i];
    try {
      let key = keys.get(j.publicKey);
      if (key === undefined) {
        if (keys.size >= 10000) keys.clear();
        key = rawKey(j.publicKey);
        keys.set(j.publicKey, key);
      }
      const sig = Buffer.from(j.sig, 'base64');
      out[i] = key !== null && sig.length === 64 && sodium.crypto_sign_verify_detached(sig, Buffer.from(j.text, 'utf8'), key) ? 1 : 0;
    } catch {
      out[i] = 0;
    }
  }
  parentPort.postMessage({ id, out }, [out.buffer]);
});
`;

/** How long a worker may take for one chunk (50 signatures take a few ms) before it counts as stuck. */
const ANSWER_TIMEOUT_MS = 10_000;

/** Below this many signatures a push verifies on the main thread: the round trip would cost more. */
export const MIN_JOBS_FOR_WORKERS = 8;

interface Pending {
  resolve: (out: Uint8Array) => void;
  reject: (error: Error) => void;
}

class VerifyWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  dead = false;
  /** Whether it ever answered: a worker that dies before its first answer could not start. */
  answered = false;
  /** Why it died, if it did. */
  reason = '';

  constructor(sodiumPath: string) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { sodiumPath, spkiPrefix: ED25519_SPKI_PREFIX.toString('hex') } });
    // An idle pool never keeps the server (or a test) alive.
    this.worker.unref();
    const fail = (error: Error) => {
      if (!this.dead) this.reason = error.message;
      this.dead = true;
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
    this.worker.on('message', (m: { id: number; out: Uint8Array }) => {
      const p = this.pending.get(m.id);
      this.answered = true;
      this.pending.delete(m.id);
      p?.resolve(m.out);
    });
    this.worker.on('error', fail);
    this.worker.on('exit', () => fail(new Error('signature worker exited')));
  }

  /**
   * The worker's answers; rejected after ANSWER_TIMEOUT_MS (a stuck worker must not hold the
   * clinic's lock: the caller verifies on its own thread instead), and the worker is replaced.
   */
  run(jobs: VerifyJob[]): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const id = this.next++;
      const timer = setTimeout(() => {
        if (!this.pending.delete(id)) return;
        this.dead = true;
        void this.worker.terminate();
        reject(new Error('signature worker did not answer'));
      }, ANSWER_TIMEOUT_MS);
      timer.unref();
      const settle = <T>(f: (v: T) => void) => (v: T) => {
        clearTimeout(timer);
        f(v);
      };
      this.pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
      this.worker.postMessage({ id, jobs });
    });
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}

/**
 * How many workers: SYNC_VERIFY_THREADS when set (0: verify on the main thread), else one per
 * core beyond the first (the main thread keeps one), at least one, at most four.
 */
export function verifyThreads(env: NodeJS.ProcessEnv = process.env): number {
  const set = env.SYNC_VERIFY_THREADS;
  if (set !== undefined && set !== '' && Number.isInteger(Number(set))) return Math.max(0, Math.min(16, Number(set)));
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/** Workers that die before their first answer, after which the pool stops starting them. */
const MAX_FAILED_STARTS = 3;

export class VerifyPool {
  private workers: VerifyWorker[] = [];
  private failedStarts = 0;

  constructor(
    private readonly size: number = verifyThreads(),
    private readonly log: (message: string) => void = (m) => console.error(m),
    private readonly sodiumPath: string = SODIUM_PATH,
  ) {}

  /** Whether `n` signatures are worth sending to the workers. */
  worthIt(n: number): boolean {
    return this.size > 0 && this.failedStarts < MAX_FAILED_STARTS && n >= MIN_JOBS_FOR_WORKERS;
  }

  /**
   * Whether each signature matches (1) or not (0), in the jobs' order, split across the workers.
   * Rejects if a worker fails: the caller then verifies on its own thread.
   */
  async verify(jobs: VerifyJob[]): Promise<Uint8Array> {
    const parts = await Promise.all(this.inChunks(jobs, Math.ceil(jobs.length / Math.max(1, this.size))).map((c) => c.answers));
    const out = new Uint8Array(jobs.length);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  /**
   * The jobs in chunks of `size`, handed to the workers in turn, each answered on its own: the
   * first changes of a push can be applied while the workers still check the later ones.
   */
  inChunks(jobs: VerifyJob[], size: number): { start: number; answers: Promise<Uint8Array> }[] {
    for (const w of this.workers) {
      if (!w.dead || w.answered) continue;
      // Workers that cannot start (libsodium missing for this platform, say) are not started again
      // for every push: the main thread verifies, and the server says so once.
      if (++this.failedStarts === MAX_FAILED_STARTS) this.log(`Signature workers could not start (${w.reason}); signatures are checked on the main thread.`);
    }
    this.workers = this.workers.filter((w) => !w.dead);
    while (this.workers.length < this.size && this.failedStarts < MAX_FAILED_STARTS) this.workers.push(new VerifyWorker(this.sodiumPath));
    const chunks: { start: number; answers: Promise<Uint8Array> }[] = [];
    if (this.workers.length === 0) return [{ start: 0, answers: Promise.reject(new Error('no signature workers')) }];
    for (let start = 0, i = 0; start < jobs.length; start += size, i++) chunks.push({ start, answers: this.workers[i % this.workers.length]!.run(jobs.slice(start, start + size)) });
    return chunks;
  }

  async stop(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.stop()));
  }
}
