import { useState } from 'react';
import { call } from '../api/client';
import { downloadJobDocument, waitForJob } from '../api/jobs';

/**
 * Print or save a certificate as PDF (both background jobs; both audited against the certificate):
 * the doctor right after issuing, reception when handing the patient a copy.
 */
export function useCertificateOutput() {
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function output(id: string, kind: 'print' | 'pdf') {
    setError(null);
    setDone(null);
    setBusy(`${id}:${kind}`);
    try {
      const r = kind === 'print' ? await call('certificates.print', { id }) : await call('certificates.pdf', { id });
      if (!r.ok) return setError(r.error.message);
      const job = await waitForJob(r.value.id);
      if (job.status === 'failed') return setError(job.message);
      if (kind === 'pdf') {
        const failed = await downloadJobDocument(job);
        if (failed) return setError(failed);
      }
      const printer = job.result?.printer;
      setDone(kind === 'print' ? `Sent to ${typeof printer === 'string' ? printer : 'the printer'}` : 'PDF saved');
    } finally {
      setBusy(null);
    }
  }
  return { output, busy, done, error };
}
