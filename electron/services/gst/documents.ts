import type Database from '../../../db/sqlite';
import type { GstRange } from './period';

/*
 * GSTR-1 table 13, documents issued in the period, per series: invoices (numbers given on the
 * period's days, by their issue events: a void invoice keeps its number and counts as cancelled,
 * and so does the second number of a bill issued at two desks while offline), credit notes, and
 * refund vouchers (the clinic's document for a refund of exempt lines only). Every workstation
 * numbers its own series per financial year, so a series is the number without its running digits.
 */

export const DOC_TYPES = {
  1: 'Invoices for outward supply',
  5: 'Credit Note',
  8: 'Refund Voucher',
} as const;
export type DocNum = keyof typeof DOC_TYPES;

export interface DocSeries {
  /** The number without its running digits: "2627/A/", "2627/A/C". */
  series: string;
  from: string;
  to: string;
  total: number;
  cancelled: number;
  /** Numbers between from and to that were not issued in the period: a gap in a series is worth a look before filing. */
  missing: number;
}

export interface DocGroup {
  docNum: DocNum;
  label: string;
  series: DocSeries[];
}

const NUMBERS_SQL = `
  SELECT x.invoice_number AS number, x.invoice_id AS invoiceId FROM invoice_issues x
  WHERE x.issued_on BETWEEN @from AND @to AND x.deleted_at IS NULL
  UNION
  SELECT i.invoice_number, i.id FROM invoices i
  WHERE i.issued_on BETWEEN @from AND @to AND i.invoice_number IS NOT NULL AND i.deleted_at IS NULL`;

const STATES_SQL = `
  SELECT id, invoice_number AS number, status FROM invoices
  WHERE id IN (SELECT invoice_id FROM invoice_issues WHERE issued_on BETWEEN @from AND @to)
     OR issued_on BETWEEN @from AND @to`;

const NOTES_SQL = `
  SELECT number, kind FROM credit_notes WHERE issued_on BETWEEN @from AND @to AND deleted_at IS NULL`;

/** Invoice numbers of the period, each cancelled or not. */
function invoiceNumbers(sqlite: Database.Database, range: GstRange): { number: string; cancelled: boolean }[] {
  const states = new Map(sqlite.prepare<GstRange, { id: string; number: string | null; status: string }>(STATES_SQL).all(range).map((r) => [r.id, r]));
  const seen = new Map<string, boolean>();
  for (const n of sqlite.prepare<GstRange, { number: string; invoiceId: string }>(NUMBERS_SQL).all(range)) {
    const inv = states.get(n.invoiceId);
    const cancelled = !inv || inv.status === 'void' || inv.number !== n.number;
    seen.set(n.number, (seen.get(n.number) ?? false) || cancelled);
  }
  return [...seen].map(([number, cancelled]) => ({ number, cancelled }));
}

/** Numbers grouped by series, lowest to highest. */
export function seriesOf(numbers: readonly { number: string; cancelled: boolean }[]): DocSeries[] {
  const groups = new Map<string, { seq: number; number: string; cancelled: boolean }[]>();
  for (const n of numbers) {
    const m = /^(.*?)(\d+)$/.exec(n.number);
    const series = m ? m[1]! : n.number;
    const seq = m ? Number(m[2]) : 0;
    groups.set(series, [...(groups.get(series) ?? []), { seq, number: n.number, cancelled: n.cancelled }]);
  }
  return [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([series, list]) => {
      list.sort((a, b) => a.seq - b.seq);
      const first = list[0]!;
      const last = list[list.length - 1]!;
      return { series, from: first.number, to: last.number, total: list.length, cancelled: list.filter((n) => n.cancelled).length, missing: last.seq - first.seq + 1 - list.length };
    });
}

/** Table 13: the document types that have numbers in the period. */
export function documentsIssued(sqlite: Database.Database, range: GstRange): DocGroup[] {
  const notes = sqlite.prepare<GstRange, { number: string; kind: string }>(NOTES_SQL).all(range);
  const ofKind = (kind: string) => notes.filter((n) => n.kind === kind).map((n) => ({ number: n.number, cancelled: false }));
  const groups: DocGroup[] = [
    { docNum: 1, label: DOC_TYPES[1], series: seriesOf(invoiceNumbers(sqlite, range)) },
    { docNum: 5, label: DOC_TYPES[5], series: seriesOf(ofKind('credit-note')) },
    { docNum: 8, label: DOC_TYPES[8], series: seriesOf(ofKind('refund-voucher')) },
  ];
  return groups.filter((g) => g.series.length > 0);
}
