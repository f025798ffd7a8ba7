import type Database from '../../../db/sqlite';
import { PAYMENT_MODES, SERVICE_KINDS } from '../../../shared/enums';
import { creditedByDoctor, creditedByService, creditNotesIn, CREDIT_NOTE_LIST_LIMIT } from './credit-notes';
import { doctorName, staffNames, type ReportRange } from './range';

/*
 * Revenue. Money by mode is what the counters took and gave back on the days of the range (as the
 * day-ends count it, all workstations): payments drawn from an advance or a credit kept as advance
 * (mode 'advance') moved no money and are left out. Revenue by service and by doctor is what was
 * billed: issued invoices (void ones left out) by their day of issue, a line at its total after
 * discounts and with GST; the rupee round-off of the bills is its own row so the services add up to
 * the bills. Credited is what credit notes and refund vouchers dated in the range took back off bills
 * (of any day, not void since): a line under its service, a note under its bill's doctor; net is
 * billed less credited.
 */

export const COLLECTED_BY_MODE_SQL = `
  SELECT mode, count(*) AS count, sum(amount_paise) AS paise
  FROM payments
  WHERE received_on BETWEEN @from AND @to AND deleted_at IS NULL AND mode <> 'advance'
  GROUP BY mode`;

export const REFUNDED_BY_MODE_SQL = `
  SELECT mode, count(*) AS count, sum(amount_paise) AS paise
  FROM refunds
  WHERE refunded_on BETWEEN @from AND @to AND deleted_at IS NULL AND mode <> 'advance'
  GROUP BY mode`;

/*
 * Billed is read from the per-day sums that triggers keep as bills are written or pulled (migration
 * 0026: issued, not removed invoices by day and doctor, their lines by day and kind), not from every
 * bill's JSON: a year is a few thousand rows. A kind or doctor whose bills were all voided keeps a
 * zero row, left out as the bills are.
 */
export const BILLED_BY_SERVICE_SQL = `
  SELECT kind, sum(lines) AS lines, sum(paise) AS paise
  FROM report_billed_line_days
  WHERE day BETWEEN @from AND @to
  GROUP BY kind HAVING sum(lines) > 0`;

export const BILLED_BY_DOCTOR_SQL = `
  SELECT CASE WHEN no_doctor THEN NULL ELSE doctor_id END AS doctorId, sum(invoices) AS invoices,
         sum(total_paise) AS paise, sum(round_off_paise) AS roundOffPaise
  FROM report_billed_days
  WHERE day BETWEEN @from AND @to
  GROUP BY doctor_id, no_doctor HAVING sum(invoices) > 0`;

interface ModeRow {
  mode: string;
  count: number;
  paise: number;
}

type Billed = { billed: number; credited: number };
const netOf = (b: Billed) => ({ billedPaise: b.billed, creditedPaise: b.credited, netPaise: b.billed - b.credited });

export function revenueReport(sqlite: Database.Database, range: ReportRange, listLimit = CREDIT_NOTE_LIST_LIMIT) {
  const collected = new Map(sqlite.prepare<ReportRange, ModeRow>(COLLECTED_BY_MODE_SQL).all(range).map((r) => [r.mode, r]));
  const refunded = new Map(sqlite.prepare<ReportRange, ModeRow>(REFUNDED_BY_MODE_SQL).all(range).map((r) => [r.mode, r]));
  const byMode = PAYMENT_MODES.filter((m) => m !== 'advance')
    .map((mode) => {
      const inPaise = collected.get(mode)?.paise ?? 0;
      const outPaise = refunded.get(mode)?.paise ?? 0;
      return { mode, payments: collected.get(mode)?.count ?? 0, collectedPaise: inPaise, refundedPaise: outPaise, netPaise: inPaise - outPaise };
    })
    .filter((m) => m.payments > 0 || m.refundedPaise > 0);
  const names = staffNames(sqlite);
  const doctors = sqlite
    .prepare<ReportRange, { doctorId: string | null; invoices: number; paise: number; roundOffPaise: number }>(BILLED_BY_DOCTOR_SQL)
    .all(range);
  const credits = creditedByDoctor(sqlite, range);
  const perDoctor = new Map<string | null, Billed & { invoices: number; notes: number }>();
  const doctorRow = (id: string | null) => perDoctor.get(id) ?? perDoctor.set(id, { invoices: 0, notes: 0, billed: 0, credited: 0 }).get(id)!;
  for (const d of doctors) Object.assign(doctorRow(d.doctorId), { invoices: d.invoices, billed: d.paise });
  for (const d of credits) Object.assign(doctorRow(d.doctorId), { notes: d.notes, credited: d.paise });
  const byDoctor = [...perDoctor.entries()]
    .map(([doctorId, d]) => ({ doctorId, doctorName: doctorName(names, doctorId), invoices: d.invoices, creditNotes: d.notes, ...netOf(d) }))
    .sort((a, b) => b.netPaise - a.netPaise || a.doctorName.localeCompare(b.doctorName));
  const services = new Map(sqlite.prepare<ReportRange, { kind: string; lines: number; paise: number }>(BILLED_BY_SERVICE_SQL).all(range).map((r) => [r.kind, r]));
  const creditedLines = creditedByService(sqlite, range);
  const byService: { kind: string; lines: number; creditedLines: number; billedPaise: number; creditedPaise: number; netPaise: number }[] = SERVICE_KINDS.filter(
    (k) => services.has(k) || creditedLines.has(k),
  ).map((kind) => ({
    kind,
    lines: services.get(kind)?.lines ?? 0,
    creditedLines: creditedLines.get(kind)?.lines ?? 0,
    ...netOf({ billed: services.get(kind)?.paise ?? 0, credited: creditedLines.get(kind)?.paise ?? 0 }),
  }));
  const roundOff = { billed: doctors.reduce((s, d) => s + d.roundOffPaise, 0), credited: credits.reduce((s, d) => s + d.roundOffPaise, 0) };
  if (roundOff.billed !== 0 || roundOff.credited !== 0) byService.push({ kind: 'round-off', lines: 0, creditedLines: 0, ...netOf(roundOff) });
  const billedPaise = byDoctor.reduce((s, d) => s + d.billedPaise, 0);
  const creditedPaise = byDoctor.reduce((s, d) => s + d.creditedPaise, 0);
  return {
    ...range,
    collectedPaise: byMode.reduce((s, m) => s + m.collectedPaise, 0),
    refundedPaise: byMode.reduce((s, m) => s + m.refundedPaise, 0),
    netCollectedPaise: byMode.reduce((s, m) => s + m.netPaise, 0),
    billedPaise,
    creditedPaise,
    netBilledPaise: billedPaise - creditedPaise,
    invoices: byDoctor.reduce((s, d) => s + d.invoices, 0),
    byMode,
    byService,
    byDoctor,
    creditNotes: creditNotesIn(sqlite, range, listLimit),
  };
}
