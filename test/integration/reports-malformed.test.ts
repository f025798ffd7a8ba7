import { describe, expect, it } from 'vitest';
import { checkIn, openDoctorDesk } from './doctor-fixtures';

/**
 * The rule book checks only that a note or a bill's lines are JSON objects, so a faulty or tampered
 * desk can get a diagnosis or a line that is not an object through the server. The report summary
 * triggers run on every write, pulled rows included: such a row must not make the write (and so
 * the whole pull, on every desk) fail.
 */
describe('report summaries with malformed rows', () => {
  it('a completed note whose diagnoses are not objects, and a bill line that is not an object, are written and skipped', () => {
    const d = openDoctorDesk();
    const v = checkIn(d, d.anil, d.drRao);
    d.c.ok('queue.callNext', {}, d.rao);
    const saved = d.c.ok('consultations.save', { visitId: v.visitId, note: { diagnoses: [{ code: 'J06.9', title: 'Acute upper respiratory infection, unspecified' }] } }, d.rao);
    const sqlite = d.c.app.database.sqlite;
    // As a pulled row would be written: straight into the table, the triggers firing.
    const write = () => {
      sqlite.prepare(`UPDATE consultations SET status = 'completed', note = json('{"diagnoses":["fever",{"code":"R50.9","title":"Fever, unspecified"}]}') WHERE id = ?`).run(saved.consultationId);
      sqlite.prepare(`UPDATE consultations SET note = json('{"diagnoses":"fever"}') WHERE id = ?`).run(saved.consultationId);
    };
    expect(write).not.toThrow();
    // The object that was there counted while it was there, and nothing is left of it now.
    const rows = sqlite.prepare('SELECT code, consultations, diagnoses FROM report_diagnosis_days WHERE consultations != 0 OR diagnoses != 0').all();
    expect(rows).toEqual([]);
    // The doctor's own recent diagnoses (ICD-10 search) read past it too.
    expect(d.c.call('reference.icd10Search', { query: 'fever' }, d.rao).ok).toBe(true);

    const draft = d.c.ok('billing.createInvoice', { patientId: d.anil, lines: [{ kind: 'consultation', description: 'Consultation', quantity: 1, ratePaise: 50_000 }] }, d.reception);
    const bill = d.c.ok('billing.issueInvoice', { invoiceId: draft.id }, d.reception);
    expect(() => sqlite.prepare(`UPDATE invoices SET lines = json('["consultation", {"kind": "test", "totalPaise": 100}]') WHERE id = ?`).run(bill.id)).not.toThrow();
    expect(sqlite.prepare('SELECT kind, lines, paise FROM report_billed_line_days WHERE lines != 0').all()).toEqual([{ kind: 'test', lines: 1, paise: 100 }]);
  });
});
