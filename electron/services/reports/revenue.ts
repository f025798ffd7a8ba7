import type Database from '../../../db/sqlite';
import { PAYMENT_MODES, SERVICE_KINDS } from '../../../shared/enums';
import { doctorName, staffNames, type ReportRange } from './range';

/*
 * Revenue. Money by mode is what the counters took and gave back on the days of the range (as the
 * day-ends count it, all workstations): payments drawn from an advance or a credit kept as advance
 * (mode 'advance') moved no money and are left out. Revenue by service and by doctor is what was
 * billed: issued invoices (void ones left out) by their day of issue, a line at its total after
 * discounts and with GST; the rupee round-off of the bills is its own row so the services add up to
 * the bills.
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

export const BILLED_BY_SERVICE_SQL = `
  SELECT json_extract(l.value, '$.kind') AS kind, count(*) AS lines, sum(json_extract(l.value, '$.totalPaise')) AS paise
  FROM invoices i, json_each(i.lines) l
  WHERE i.issued_on BETWEEN @from AND @to AND i.status = 'issued' AND i.deleted_at IS NULL
  GROUP BY kind`;

export const BILLED_BY_DOCTOR_SQL = `
  SELECT doctor_id AS doctorId, count(*) AS invoices,
         sum(json_extract(totals, '$.totalPaise')) AS paise,
         sum(json_extract(totals, '$.roundOffPaise')) AS roundOffPaise
  FROM invoices
  WHERE issued_on BETWEEN @from AND @to AND status = 'issued' AND deleted_at IS NULL
  GROUP BY doctor_id`;

interface ModeRow {
  mode: string;
  count: number;
  paise: number;
}

export function revenueReport(sqlite: Database.Database, range: ReportRange) {
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
  const byDoctor = doctors
    .map((d) => ({ doctorId: d.doctorId, doctorName: doctorName(names, d.doctorId), invoices: d.invoices, billedPaise: d.paise }))
    .sort((a, b) => b.billedPaise - a.billedPaise || a.doctorName.localeCompare(b.doctorName));
  const services = new Map(sqlite.prepare<ReportRange, { kind: string; lines: number; paise: number }>(BILLED_BY_SERVICE_SQL).all(range).map((r) => [r.kind, r]));
  const byService: { kind: string; lines: number; billedPaise: number }[] = SERVICE_KINDS.filter((k) => services.has(k)).map((kind) => ({
    kind,
    lines: services.get(kind)!.lines,
    billedPaise: services.get(kind)!.paise,
  }));
  const roundOffPaise = doctors.reduce((s, d) => s + d.roundOffPaise, 0);
  if (roundOffPaise !== 0) byService.push({ kind: 'round-off', lines: 0, billedPaise: roundOffPaise });
  return {
    ...range,
    collectedPaise: byMode.reduce((s, m) => s + m.collectedPaise, 0),
    refundedPaise: byMode.reduce((s, m) => s + m.refundedPaise, 0),
    netCollectedPaise: byMode.reduce((s, m) => s + m.netPaise, 0),
    billedPaise: byDoctor.reduce((s, d) => s + d.billedPaise, 0),
    invoices: byDoctor.reduce((s, d) => s + d.invoices, 0),
    byMode,
    byService,
    byDoctor,
  };
}
