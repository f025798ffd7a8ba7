import { v7 as uuidv7 } from 'uuid';

/**
 * Long actions (imports, prints, backups) run as background jobs: the call that starts one returns
 * at once with the job, and progress is announced as it goes, so the UI can show a bar and the main
 * process stays responsive (each job yields between its batches).
 *
 * Jobs are private. A job belongs to the user whose call started it; a document it makes (a
 * prescription or invoice PDF) is kept apart from the job's view, so neither the view, the job
 * list nor a progress event ever carries patient documents: the owner fetches the bytes with an
 * audited call (jobs.document).
 */
export interface JobView {
  id: string;
  kind: string;
  status: 'running' | 'done' | 'failed';
  done: number;
  total: number | null;
  message: string;
  startedAt: number;
  finishedAt: number | null;
  /** A summary (counts, numbers, the printer); never document bytes. */
  result: Record<string, unknown> | null;
  /** The file the job made, fetched with jobs.document by the job's owner. */
  document: { fileName: string } | null;
}

/** Who started a job and what record it is about (for the audit row of a document read). */
export interface JobOwner {
  /** Null for work nobody's session started (scheduled backups, joining a clinic before setup). */
  userId: string | null;
  entityType?: string | null;
  entityId?: string | null;
}

export interface JobDocument {
  fileName: string;
  pdfBase64: string;
}

export interface JobControl {
  progress(done: number, total: number | null, message?: string): void;
  /** Lets other work (calls, events) run between batches. */
  yieldNow(): Promise<void>;
}

export type JobWork = (control: JobControl) => Promise<Record<string, unknown>>;

/** What a service may do with jobs during a call: start one owned by the caller. */
export interface JobStarter {
  start(kind: string, work: JobWork): JobView;
}

interface JobRecord {
  view: JobView;
  owner: JobOwner;
  document: JobDocument | null;
}

/** Jobs are forgotten after this many, oldest first, so a long-running desk keeps no pile of PDFs. */
const KEEP_JOBS = 200;

export class JobRunner {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly finished = new Map<string, Promise<JobView>>();

  constructor(
    private readonly emit: (job: JobView, owner: JobOwner) => void,
    private readonly now: () => number = Date.now,
  ) {}

  start(kind: string, work: JobWork, owner: JobOwner = { userId: null }): JobView {
    const view: JobView = { id: uuidv7(), kind, status: 'running', done: 0, total: null, message: 'Starting…', startedAt: this.now(), finishedAt: null, result: null, document: null };
    const record: JobRecord = { view, owner: { ...owner }, document: null };
    this.jobs.set(view.id, record);
    this.forgetOld();
    let lastEmit = 0;
    const control: JobControl = {
      progress: (done, total, message) => {
        Object.assign(view, { done, total, message: message ?? view.message });
        if (this.now() - lastEmit > 100) {
          lastEmit = this.now();
          this.emit({ ...view }, record.owner);
        }
      },
      yieldNow: () => new Promise((r) => setImmediate(r)),
    };
    const finished = (async () => {
      await control.yieldNow();
      try {
        const { pdfBase64, ...summary } = await work(control);
        if (typeof pdfBase64 === 'string') {
          const fileName = typeof summary.fileName === 'string' ? summary.fileName : `${kind}.pdf`;
          record.document = { fileName, pdfBase64 };
          view.document = { fileName };
        }
        view.result = summary;
        view.status = 'done';
        view.message = 'Finished';
      } catch (error) {
        view.status = 'failed';
        view.message = error instanceof Error ? error.message : String(error);
      }
      view.finishedAt = this.now();
      this.emit({ ...view }, record.owner);
      return { ...view };
    })();
    this.finished.set(view.id, finished);
    return { ...view };
  }

  /** A starter that makes every job it starts belong to `owner`. */
  startedBy(owner: () => JobOwner): JobStarter {
    return { start: (kind, work) => this.start(kind, work, owner()) };
  }

  get(id: string): JobView | undefined {
    const record = this.jobs.get(id);
    return record ? { ...record.view } : undefined;
  }

  ownerOf(id: string): JobOwner | undefined {
    const record = this.jobs.get(id);
    return record ? { ...record.owner } : undefined;
  }

  document(id: string): JobDocument | null {
    return this.jobs.get(id)?.document ?? null;
  }

  list(): { view: JobView; owner: JobOwner }[] {
    return [...this.jobs.values()].map((r) => ({ view: { ...r.view }, owner: { ...r.owner } }));
  }

  /** Resolves when the job ends (used by tests and by shutdown). */
  wait(id: string): Promise<JobView> {
    return this.finished.get(id) ?? Promise.reject(new Error(`No job ${id}`));
  }

  private forgetOld() {
    if (this.jobs.size <= KEEP_JOBS) return;
    for (const [id, record] of this.jobs) {
      if (this.jobs.size <= KEEP_JOBS) break;
      if (record.view.status === 'running') continue;
      this.jobs.delete(id);
      this.finished.delete(id);
    }
  }
}
