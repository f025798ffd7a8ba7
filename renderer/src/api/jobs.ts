import { call, type Output } from './client';

type Job = Output<'jobs.get'>;

/** Waits for a background job (print, PDF, import) to finish. */
export async function waitForJob(jobId: string): Promise<Job> {
  for (;;) {
    const r = await call('jobs.get', { jobId });
    if (r.ok && r.value.status !== 'running') return r.value;
    await new Promise((res) => setTimeout(res, 250));
  }
}

/** Hands a PDF from a job's result to the browser as a download. */
export function downloadPdf(fileName: string, base64: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
