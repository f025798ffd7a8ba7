import { v7 as uuidv7 } from 'uuid';

/**
 * Long actions (imports) run as background jobs: the call that starts one returns at once with
 * the job, and progress is announced as it goes, so the UI can show a bar and the main process
 * stays responsive (each job yields between its batches).
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
  result: Record<string, unknown> | null;
}

export interface JobControl {
  progress(done: number, total: number | null, message?: string): void;
  /** Lets other work (calls, events) run between batches. */
  yieldNow(): Promise<void>;
}

export class JobRunner {
  private readonly jobs = new Map<string, JobView>();
  private readonly finished = new Map<string, Promise<JobView>>();

  constructor(
    private readonly emit: (job: JobView) => void,
    private readonly now: () => number = Date.now,
  ) {}

  start(kind: string, work: (control: JobControl) => Promise<Record<string, unknown>>): JobView {
    const job: JobView = { id: uuidv7(), kind, status: 'running', done: 0, total: null, message: 'Starting…', startedAt: this.now(), finishedAt: null, result: null };
    this.jobs.set(job.id, job);
    let lastEmit = 0;
    const control: JobControl = {
      progress: (done, total, message) => {
        Object.assign(job, { done, total, message: message ?? job.message });
        if (this.now() - lastEmit > 100) {
          lastEmit = this.now();
          this.emit({ ...job });
        }
      },
      yieldNow: () => new Promise((r) => setImmediate(r)),
    };
    const finished = (async () => {
      await control.yieldNow();
      try {
        job.result = await work(control);
        job.status = 'done';
        job.message = 'Finished';
      } catch (error) {
        job.status = 'failed';
        job.message = error instanceof Error ? error.message : String(error);
      }
      job.finishedAt = this.now();
      this.emit({ ...job });
      return { ...job };
    })();
    this.finished.set(job.id, finished);
    return { ...job };
  }

  get(id: string): JobView | undefined {
    const job = this.jobs.get(id);
    return job ? { ...job } : undefined;
  }

  list(): JobView[] {
    return [...this.jobs.values()].map((j) => ({ ...j }));
  }

  /** Resolves when the job ends (used by tests and by shutdown). */
  wait(id: string): Promise<JobView> {
    return this.finished.get(id) ?? Promise.reject(new Error(`No job ${id}`));
  }
}
