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

/** Fetches the PDF a finished job made (only its owner may; the read is audited) and saves it. */
export async function downloadJobDocument(job: Job): Promise<string | null> {
  if (!job.document) return 'The job made no document.';
  const r = await call('jobs.document', { jobId: job.id });
  if (!r.ok) return r.error.message;
  downloadPdf(r.value.fileName, r.value.pdfBase64);
  return null;
}

/** Hands a PDF to the browser as a download. */
export function downloadPdf(fileName: string, base64: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
