import type Database from '../../db/sqlite';
import { applyPulled } from '../../electron/sync/apply';
import { columnsOf, fromStorage } from '../../db/sync-tables';
import type { PulledRow } from '../../shared/sync-protocol';
import { HybridClock } from '../../shared/hlc';
import type { ServiceKind } from '../../shared/enums';
import { prng } from './prng';
import { ReportRows } from './report-rows';

/**
 * A randomized clinic for checking the reports' per-day sums (migration 0026) against the rows:
 * bills of every kind (with and without a doctor, discounted, void, draft), payments, refunds by
 * line with their credit notes and refund vouchers, notes with coded, oddly typed, repeated and
 * uncoded diagnoses (completed and drafts), then the edits the sums must follow: bills voided and
 * removed, drafts completed, notes and visits removed and restored, visits moved to another day,
 * rows deleted outright (as sync sets a row aside), and rows pulled from another desk through the
 * real sync apply (new rows, a note arriving before its visit, and updates of rows already here).
 */

export const SPAN = { from: '2026-10-20', to: '2026-12-05' };
const DOCTORS = ['doc-a', 'doc-b', 'doc-c'];
const DX: [string | null, string][] = [
  ['J06.9', 'Acute upper respiratory infection'], [' j06.9 ', 'URI as typed'], ['I10', 'Essential hypertension'], ['E11.9', 'Diabetes'],
  ['X99.1', 'Local wording one'], ['X99.1', 'Another wording'], ['x99.1', 'Lower case wording'], [null, 'Body ache'], ['', 'Weakness'], ['  ', 'Tired'],
];
const KINDS: ServiceKind[] = ['consultation', 'follow-up', 'lab', 'medicine', 'procedure'];

const day = (d: number) => new Date(Date.parse(`${SPAN.from}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);
const DAYS = Math.round((Date.parse(SPAN.to) - Date.parse(SPAN.from)) / 86_400_000) + 1;

type Rng = ReturnType<typeof prng>;

function diagnoses(rng: Rng) {
  return Array.from({ length: rng.int(0, 3) }, () => {
    const [code, title] = rng.pick(DX);
    return { code, title };
  });
}

function bill(rows: ReportRows, rng: Rng, n: number, v: { patientId: string; doctorId: string | null; date: string; visitId: string | null }) {
  const lines = Array.from({ length: rng.int(1, 3) }, () => {
    const kind = rng.pick(KINDS);
    const gstRateBp = kind === 'medicine' ? 500 : kind === 'procedure' ? rng.pick([0, 1800]) : 0;
    return { kind, description: kind, quantity: rng.int(1, 3), ratePaise: rng.int(50, 900) * 100 + rng.int(0, 99), discountPaise: rng.next() < 0.2 ? 1_000 : 0, gstRateBp, taxInclusive: kind === 'medicine' };
  });
  const discount = rng.next() < 0.15 ? (rng.next() < 0.5 ? ({ kind: 'percent', value: 1000 } as const) : ({ kind: 'amount', value: 2_000 } as const)) : null;
  const status = rng.next() < 0.08 ? 'draft' : rng.next() < 0.05 ? 'void' : 'issued';
  const number = `2627/R/${String(n).padStart(6, '0')}`;
  const inv = rows.invoice({ number, patientId: v.patientId, doctorId: v.doctorId, issuedOn: v.date, issuedBy: 'cashier', lines, discount, visitId: v.visitId, status });
  if (status !== 'issued') return inv.id;
  const mode = rng.pick(['cash', 'upi', 'card']);
  rows.payment({ invoiceId: inv.id, patientId: v.patientId, mode, amountPaise: inv.totalPaise, receivedBy: 'cashier', receivedOn: v.date });
  if (rng.next() < 0.08) {
    const line = rng.int(0, lines.length - 1);
    const ask = rng.next() < 0.5 ? { line, quantity: 1 } : { line, amountPaise: 1_000 };
    rows.refund({ invoiceId: inv.id, patientId: v.patientId, mode, lines: [ask], reason: 'Not done', refundedBy: 'cashier', refundedOn: day(Math.min(DAYS - 1, rng.int(0, DAYS - 1))) });
  }
  return inv.id;
}

/** Lays the clinic out; returns the ids it made, for the edits. */
function layOut(rows: ReportRows, rng: Rng) {
  const made = { visits: [] as string[], consultations: [] as string[], invoices: [] as string[] };
  let n = 0;
  for (let d = 0; d < DAYS; d++) {
    const date = day(d);
    for (let k = rng.int(0, 9); k > 0; k--) {
      const patientId = `P${rng.int(0, 60)}`;
      const doctorId = rng.pick(DOCTORS);
      const followUpDate = rng.next() < 0.5 ? day(d + rng.int(1, 20)) : null;
      const visitId = rows.visit({ patientId, doctorId, date, followUpDate, status: rng.next() < 0.05 ? 'left' : 'done', deleted: rng.next() < 0.03 });
      made.visits.push(visitId);
      if (rng.next() < 0.85) {
        made.consultations.push(rows.consultation({ visitId, patientId, doctorId, date, diagnoses: diagnoses(rng), followUpDate, status: rng.next() < 0.15 ? 'draft' : 'completed' }));
      }
      if (rng.next() < 0.9) made.invoices.push(bill(rows, rng, ++n, { patientId, doctorId, date, visitId }));
    }
    // A walk-in bill with no doctor now and then (the medicine counter).
    if (rng.next() < 0.3) made.invoices.push(bill(rows, rng, ++n, { patientId: `P${rng.int(0, 60)}`, doctorId: null, date, visitId: null }));
  }
  return { made, billed: n };
}

/** Edits as the app makes them: the Writer's updates, and sync setting a row aside (a delete). */
function edit(sqlite: Database.Database, rng: Rng, made: ReturnType<typeof layOut>['made']) {
  const at = Date.UTC(2026, 11, 6);
  const some = (ids: string[], share: number) => ids.filter(() => rng.next() < share);
  for (const id of some(made.invoices, 0.06)) sqlite.prepare("UPDATE invoices SET status = 'void', voided_at = ? WHERE id = ? AND status = 'issued'").run(at, id);
  for (const id of some(made.invoices, 0.03)) sqlite.prepare('UPDATE invoices SET deleted_at = ? WHERE id = ?').run(at, id);
  for (const id of some(made.consultations, 0.1)) {
    const note = JSON.stringify({ diagnoses: diagnoses(rng), followUpDate: null });
    sqlite.prepare("UPDATE consultations SET status = 'completed', note = ? WHERE id = ? AND status = 'draft'").run(note, id);
  }
  for (const id of some(made.consultations, 0.03)) sqlite.prepare('UPDATE consultations SET deleted_at = ? WHERE id = ?').run(at, id);
  for (const id of some(made.visits, 0.03)) sqlite.prepare('UPDATE visits SET deleted_at = ? WHERE id = ?').run(at, id);
  for (const id of some(made.visits, 0.3)) sqlite.prepare('UPDATE visits SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL').run(id);
  for (const id of some(made.visits, 0.03)) sqlite.prepare('UPDATE visits SET date = ? WHERE id = ?').run(day(rng.int(0, DAYS - 1)), id);
  for (const id of some(made.visits, 0.01)) sqlite.prepare('DELETE FROM visits WHERE id = ?').run(id);
  for (const id of some(made.invoices, 0.01)) sqlite.prepare('DELETE FROM invoices WHERE id = ?').run(id);
  for (const id of some(made.consultations, 0.01)) sqlite.prepare('DELETE FROM consultations WHERE id = ?').run(id);
}

/** A row as the server sends it: every column, values as changes carry them. */
function asPulled(sqlite: Database.Database, table: string, id: string, seq: number, over: Record<string, unknown> & { id?: string } = {}): PulledRow {
  const stored = sqlite.prepare(`SELECT * FROM "${table}" WHERE id = ?`).get(id) as Record<string, unknown>;
  // Only the columns this database has: the migration tests lay out a clinic at an older version.
  const data = Object.fromEntries(columnsOf(table).filter((c) => c.name in stored).map((c) => [c.name, fromStorage(c, stored[c.name])]));
  return { table, rowId: over.id ?? id, data: { ...data, device_id: 'device-b', ...over }, fieldHlc: {}, seq };
}

/**
 * Rows from another desk through the real sync apply: copies of rows here under new ids (a note
 * in one pull, its visit in the next), and updates of rows already here (void, removed, restored).
 */
function pull(sqlite: Database.Database, rng: Rng, made: ReturnType<typeof layOut>['made']) {
  const clock = new HybridClock('device-a', () => Date.UTC(2026, 11, 6));
  const present = (table: string, ids: string[]) => ids.filter((id) => sqlite.prepare(`SELECT 1 FROM "${table}" WHERE id = ?`).get(id) !== undefined);
  let seq = 0;
  const firstPull: PulledRow[] = [];
  const secondPull: PulledRow[] = [];
  for (const visitId of present('visits', made.visits).filter(() => rng.next() < 0.05)) {
    const newVisit = `b-${visitId}`;
    const c = sqlite.prepare('SELECT id FROM consultations WHERE visit_id = ?').pluck().get(visitId) as string | undefined;
    if (c) firstPull.push(asPulled(sqlite, 'consultations', c, ++seq, { id: `b-${c}`, visit_id: newVisit, status: 'completed' }));
    secondPull.push(asPulled(sqlite, 'visits', visitId, ++seq, { id: newVisit, date: day(rng.int(0, DAYS - 1)), deleted_at: null, token_label: `B${seq}` }));
  }
  for (const id of present('invoices', made.invoices).filter(() => rng.next() < 0.05)) {
    firstPull.push(asPulled(sqlite, 'invoices', id, ++seq, { id: `b-${id}`, invoice_number: `2627/B/${String(seq).padStart(6, '0')}` }));
  }
  for (const id of present('invoices', made.invoices).filter(() => rng.next() < 0.04)) secondPull.push(asPulled(sqlite, 'invoices', id, ++seq, { status: 'void' }));
  for (const id of present('consultations', made.consultations).filter(() => rng.next() < 0.03)) secondPull.push(asPulled(sqlite, 'consultations', id, ++seq, { deleted_at: Date.UTC(2026, 11, 6) }));
  for (const id of present('visits', made.visits).filter(() => rng.next() < 0.03)) secondPull.push(asPulled(sqlite, 'visits', id, ++seq, { date: day(rng.int(0, DAYS - 1)) }));
  applyPulled(sqlite, firstPull, seq, clock);
  applyPulled(sqlite, secondPull, seq, clock);
  return { pulled: firstPull.length + secondPull.length };
}

/** Lays out, edits and pulls a clinic from `seed`; returns what it did, for the test's own checks. */
export function randomClinic(sqlite: Database.Database, deviceId: string, seed: number) {
  const rng = prng(seed);
  const rows = new ReportRows(sqlite, deviceId);
  const { made, billed } = layOut(rows, rng);
  edit(sqlite, rng, made);
  const { pulled } = pull(sqlite, rng, made);
  return { visits: made.visits.length, consultations: made.consultations.length, invoices: billed, pulled };
}

/** A random range within the span (sometimes one day). */
export function randomRange(rng: Rng) {
  const a = rng.int(0, DAYS - 1);
  const b = rng.next() < 0.2 ? a : rng.int(a, DAYS - 1);
  return { from: day(a), to: day(b) };
}
