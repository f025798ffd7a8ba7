import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpTransport } from '../../electron/transports/http';
import { auditRows, checkIn, failure, openDoctorDesk, type DoctorDesk } from './doctor-fixtures';

// Background jobs make patient documents (prescription and invoice PDFs): who may see them.

const servers: http.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

/** Dr Rao sees Bhavna, prescribes, and saves the prescription as a PDF; returns the finished job. */
async function raoSavesPdf(d: DoctorDesk) {
  const v = checkIn(d, d.bhavna, d.drRao);
  d.c.ok('queue.callNext', {}, d.rao);
  const drug = d.c.ok('formulary.search', { query: 'paracetamol 500', limit: 1 }, d.rao)[0]!;
  const item = {
    drugId: drug.id, genericName: drug.genericName, brand: null, form: drug.form, strength: drug.strength, route: drug.route,
    dose: '1', frequency: '1-0-1', timing: 'after-food', durationDays: 3, quantity: 6, instructions: null, instructionsHi: null, acknowledged: [],
  };
  d.c.ok('prescriptions.save', { visitId: v.visitId, items: [item] }, d.rao);
  const started = d.c.ok('prescriptions.pdf', { visitId: v.visitId }, d.rao);
  const job = await d.c.app.jobs.wait(started.id);
  expect(job.status).toBe('done');
  return job;
}

describe('jobs are private', () => {
  it('shows a prescription PDF job only to the doctor who made it; nobody else lists, reads or downloads it', async () => {
    const d = openDoctorDesk();
    const job = await raoSavesPdf(d);
    expect(job.document).toEqual({ fileName: expect.stringMatching(/^prescription-.*\.pdf$/) });
    expect(JSON.stringify(d.c.ok('jobs.get', { jobId: job.id }, d.rao))).not.toContain('pdfBase64');
    expect(d.c.ok('jobs.list', {}, d.rao).map((j) => j.id)).toContain(job.id);

    for (const [who, token] of [['receptionist', d.reception], ['another doctor', d.iyer], ['administrator', d.admin]] as const) {
      expect(d.c.ok('jobs.list', {}, token).map((j) => j.id), who).not.toContain(job.id);
      expect(failure(d.c.call('jobs.get', { jobId: job.id }, token)).code, who).toBe('not_found');
      expect(failure(d.c.call('jobs.document', { jobId: job.id }, token)).code, who).toBe('not_found');
    }
  });

  it('audits the owner’s download of the PDF against the prescription', async () => {
    const d = openDoctorDesk();
    const job = await raoSavesPdf(d);
    const doc = d.c.ok('jobs.document', { jobId: job.id }, d.rao);
    expect(Buffer.from(doc.pdfBase64, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const rows = auditRows(d, 'jobs.document');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ username: 'meera', outcome: 'ok', entityType: 'prescriptions', detail: expect.stringContaining(doc.fileName) });
  });
});

describe('the event stream', () => {
  async function serve(d: DoctorDesk) {
    const server = createHttpTransport({ app: d.c.app, rendererDir: null });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Opens a stream and collects what it receives until it ends or the test stops listening. */
  async function listen(base: string, token: string) {
    // The renderer's way in: a one-time ticket for the stream, asked for with the session.
    const asked = await fetch(`${base}/api/events`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: '{}' });
    const { ticket } = ((await asked.json()) as { value: { ticket: string } }).value;
    const res = await fetch(`${base}/api/events?ticket=${ticket}`);
    expect(res.status).toBe(200);
    const state = { text: '', ended: false };
    const reader = res.body!.getReader();
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) break;
        state.text += new TextDecoder().decode(value);
      }
      state.ended = true;
    })();
    await until(() => state.text.includes(': connected'));
    return state;
  }

  async function until(ok: () => boolean) {
    for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  }

  it('sends a job’s progress only to its owner, and never the document', async () => {
    const d = openDoctorDesk();
    const base = await serve(d);
    const rao = await listen(base, d.rao);
    const iyer = await listen(base, d.iyer);
    const job = await raoSavesPdf(d);
    await until(() => rao.text.includes(`"status":"done"`));
    expect(rao.text).toContain(`event: progress\ndata: {"id":"${job.id}"`);
    expect(rao.text).not.toContain('pdfBase64');
    expect(rao.text).not.toContain('JVBERi'); // a PDF's first bytes in base64
    expect(iyer.text).not.toContain(job.id);
    expect(iyer.text).toContain('event: changed'); // live screens still refresh
  });

  it('ends at logout: nothing more reaches a stream whose session has ended', async () => {
    const d = openDoctorDesk();
    const base = await serve(d);
    const reception = await listen(base, d.reception);
    d.c.ok('auth.logout', {}, d.reception);
    d.c.ok('patients.update', { id: d.anil, patch: { city: 'Nashik' } }, d.admin);
    await until(() => reception.ended);
    expect(reception.ended).toBe(true);
    expect(reception.text).toContain('event: ended');
    expect(reception.text).not.toContain('"tables"');
  });
});
