import type Database from '../../../db/sqlite';
import type { ReportRange } from './range';

/*
 * Credit notes and refund vouchers issued on the days of the range (every workstation's), by the
 * note's own date: what was taken back off bills, line by line, and the GST it reverses. The
 * revenue report nets them off what was billed (by service and by the bill's doctor) and lists them.
 *
 * A note on a bill voided since (a refund voucher on an unpaid line does not block the void) is left
 * out, as the GST export leaves it out (gst/supplies.ts): billed already leaves the void bill out
 * whole, so taking its voucher off as well would count the same lines off twice (net below zero).
 * The note keeps its number: it stays on the bill and on the day-end of its day.
 */

/** The notes listed one by one; a longer range shows the latest ones and says how many in all. */
export const CREDIT_NOTE_LIST_LIMIT = 500;

/**
 * A note's lines by the service of the bill line each took back. The rule book checks only that
 * `lines` is JSON, so a faulty desk can push a line that is not an object (json_extract on a text
 * line throws "malformed JSON"), or one whose `line` is not an index: such lines are skipped, with
 * the same guards as migration 0026's report triggers, so one odd note never stops the report.
 */
export const CREDITED_BY_SERVICE_SQL = `
  SELECT json_extract(CASE WHEN json_valid(i.lines) THEN i.lines END, '$[' || json_extract(CASE WHEN l.type = 'object' THEN l.value END, '$.line') || '].kind') AS kind,
         count(*) AS lines, coalesce(sum(json_extract(CASE WHEN l.type = 'object' THEN l.value END, '$.amountPaise')), 0) AS paise
  FROM credit_notes n JOIN invoices i ON i.id = n.invoice_id, json_each(CASE WHEN json_valid(n.lines) THEN n.lines END) l
  WHERE n.issued_on BETWEEN @from AND @to AND n.deleted_at IS NULL AND i.status <> 'void'
    AND l.type = 'object' AND json_type(CASE WHEN l.type = 'object' THEN l.value END, '$.line') = 'integer'
    AND json_extract(CASE WHEN l.type = 'object' THEN l.value END, '$.line') >= 0
  GROUP BY kind`;

/** By the bill's doctor: the notes' totals (round-off given back with the last line included). */
export const CREDITED_BY_DOCTOR_SQL = `
  SELECT i.doctor_id AS doctorId, count(*) AS notes, sum(n.total_paise) AS paise, sum(n.round_off_paise) AS roundOffPaise
  FROM credit_notes n JOIN invoices i ON i.id = n.invoice_id
  WHERE n.issued_on BETWEEN @from AND @to AND n.deleted_at IS NULL AND i.status <> 'void'
  GROUP BY i.doctor_id`;

/** The list, so its sums are what was credited: void bills' notes left out as above (a note whose bill is not here yet stays). */
export const CREDIT_NOTES_SQL = `
  SELECT n.issued_on AS day, n.kind, n.number, n.invoice_number AS invoiceNumber,
         n.taxable_paise AS taxablePaise, n.cgst_paise AS cgstPaise, n.sgst_paise AS sgstPaise, n.total_paise AS totalPaise
  FROM credit_notes n
  WHERE n.issued_on BETWEEN @from AND @to AND n.deleted_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.id = n.invoice_id AND i.status = 'void')
  ORDER BY n.issued_on DESC, n.number DESC`;

export interface CreditNoteRow {
  day: string;
  kind: 'credit-note' | 'refund-voucher';
  number: string;
  invoiceNumber: string;
  taxablePaise: number;
  cgstPaise: number;
  sgstPaise: number;
  totalPaise: number;
}

export function creditedByService(sqlite: Database.Database, range: ReportRange) {
  return new Map(sqlite.prepare<ReportRange, { kind: string; lines: number; paise: number }>(CREDITED_BY_SERVICE_SQL).all(range).map((r) => [r.kind, r]));
}

export function creditedByDoctor(sqlite: Database.Database, range: ReportRange) {
  return sqlite.prepare<ReportRange, { doctorId: string | null; notes: number; paise: number; roundOffPaise: number }>(CREDITED_BY_DOCTOR_SQL).all(range);
}

/** The notes of the range with their sums; `listLimit` caps the list, never the sums. */
export function creditNotesIn(sqlite: Database.Database, range: ReportRange, listLimit = CREDIT_NOTE_LIST_LIMIT) {
  const rows = sqlite.prepare<ReportRange, CreditNoteRow>(CREDIT_NOTES_SQL).all(range);
  const sum = (k: 'taxablePaise' | 'cgstPaise' | 'sgstPaise' | 'totalPaise') => rows.reduce((s, r) => s + r[k], 0);
  return {
    count: rows.length,
    creditNotes: rows.filter((r) => r.kind === 'credit-note').length,
    refundVouchers: rows.filter((r) => r.kind === 'refund-voucher').length,
    taxablePaise: sum('taxablePaise'),
    cgstPaise: sum('cgstPaise'),
    sgstPaise: sum('sgstPaise'),
    totalPaise: sum('totalPaise'),
    latest: rows.slice(0, listLimit),
  };
}
