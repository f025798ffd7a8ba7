/**
 * The lab report and the sample label, as PDFs from plain data (docs/LAB.md). The report: the
 * clinic's letterhead (or a pad's blank top), the patient, a table of tests with value, unit,
 * reference range and the H/L flag in bold (critical values say so), amendments with the value they
 * replaced, who entered and who verified the results (with the verifier's registration), and page
 * numbers. The label: patient, MRN, sample id, test and date, with the sample id as a QR code (the
 * only barcode library installed is `qrcode`; a desk scanner reading QR reads it as typed text).
 * Pure: no database, no clock (dated with the report's date, so the same input gives the same bytes).
 */
import QRCode from 'qrcode';
import { openDocument, drawFooters } from './counter-page';
import { lineRows, PageFlow, spacer, fitTable, tableBlock, tableRow, type Cell, type FlowBlock } from './flow';
import { FONT } from './fonts';
import { formatDate, mm } from './format';
import { ACCENT, drawLetterhead, type LetterheadClinic } from './letterhead';
import { layout, type Run } from './text';
import { geometry, MUTED, RULE, SEX, STAMP } from './prescription/geometry';
import type { PrescriptionPdfOptions } from './prescription/types';

export interface LabReportRow {
  test: string;
  specimen: string | null;
  sampleId: string | null;
  /** 'verified' rows print their value; the others say why there is none ('amending': a newer value waits for verification). */
  status: 'verified' | 'awaited' | 'amending' | 'cancelled';
  value: string | null;
  unit: string | null;
  range: string | null;
  flag: 'H' | 'L' | null;
  critical: boolean;
  /** The value this one replaced after verification, and why. */
  amended: { was: string; reason: string } | null;
  /** An outside lab's report attached to the result: its title and the document's date (DD-MM-YYYY). */
  attached?: { title: string; date: string } | null;
}

export interface LabReportDoc {
  clinic: Omit<LetterheadClinic, 'extraLines'>;
  patient: { name: string; age: number; sex: 'M' | 'F' | 'O'; mrn: string };
  referredBy: string | null;
  /** YYYY-MM-DD of the visit, and of the report (its print). */
  visitDate: string;
  date: string;
  collected: string | null;
  rows: LabReportRow[];
  enteredBy: string[];
  verifiedBy: { name: string; detail: string }[];
}

export type LabReportOptions = Pick<PrescriptionPdfOptions, 'paper' | 'letterhead' | 'marginTopMm' | 'marginLeftMm'>;

function resultCell(r: LabReportRow, size: number): Cell {
  if (r.status === 'cancelled') return [{ text: 'Cancelled', size, color: MUTED }];
  if (r.status === 'amending') return [{ text: 'Result awaited (amended, to be verified)', size, color: MUTED }];
  if (r.status === 'awaited' || r.value === null) return [{ text: 'Result awaited', size, color: MUTED }];
  const runs: Run[] = [{ text: r.value, size, ...(r.flag || r.critical ? { style: 'bold' as const } : {}) }];
  if (r.flag) runs.push({ text: `  ${r.flag}`, size, style: 'bold', color: r.critical ? STAMP : '#000000' });
  if (r.critical) runs.push({ text: ' (critical)', size, style: 'bold', color: STAMP });
  if (r.amended) runs.push({ text: `  amended; was ${r.amended.was}: ${r.amended.reason}`, size: size * 0.85, color: MUTED });
  if (r.attached) runs.push({ text: `  Outside lab report attached (${r.attached.title}, ${formatDate(r.attached.date)})`, size: size * 0.85, color: MUTED });
  return runs;
}

function patientBlock(doc: PDFKit.PDFDocument, r: LabReportDoc, x: number, w: number, s: number): FlowBlock {
  const small = 8.5 * s;
  const body = 10 * s;
  const label = (text: string): Run => ({ text, size: small, color: MUTED, keep: true });
  const sep: Run = { text: ' · ', size: small, color: MUTED, separator: true };
  const runs: Run[] = [
    label('Patient: '),
    { text: r.patient.name.trim(), size: body, style: 'bold' },
    { text: ` (${r.patient.age} y / ${SEX[r.patient.sex]})`, size: body, keep: true },
    sep,
    label('MRN: '),
    { text: r.patient.mrn, size: body, style: 'bold', keep: true },
  ];
  const second: Run[] = [label('Visit: '), { text: formatDate(r.visitDate), size: small, keep: true }];
  if (r.collected) second.push(sep, label('Sample collected: '), { text: r.collected, size: small, keep: true });
  if (r.referredBy) second.push(sep, label('Referred by: '), { text: r.referredBy, size: small, keep: true });
  second.push(sep, label('Reported: '), { text: formatDate(r.date), size: small, keep: true });
  const title: Run[] = [{ text: 'LABORATORY REPORT', size: 14 * s, style: 'bold', color: ACCENT }];
  return {
    before: 0,
    keepTogether: true,
    rows: [...lineRows(doc, layout(doc, title, w), x, w, 'center'), spacer(6 * s), ...lineRows(doc, layout(doc, runs, w), x), spacer(2 * s), ...lineRows(doc, layout(doc, second, w), x)],
  };
}

function signatureBlock(doc: PDFKit.PDFDocument, r: LabReportDoc, x: number, w: number, s: number): FlowBlock {
  const small = 8.5 * s;
  const rows = [
    ...lineRows(doc, layout(doc, [{ text: 'Entered by: ', size: small, color: MUTED }, { text: r.enteredBy.join(', ') || '—', size: small }], w), x),
    spacer(3 * s),
    ...r.verifiedBy.flatMap((v) => lineRows(doc, layout(doc, [{ text: 'Verified by: ', size: small, color: MUTED }, { text: v.name, size: 9.5 * s, style: 'bold' }, { text: `  ${v.detail}`, size: small }], w), x)),
    spacer(4 * s),
    ...lineRows(doc, layout(doc, [{ text: 'H: above the reference range · L: below it · critical: beyond the limits the doctor is told of at once. Ranges are for the patient’s age and sex.', size: 7.5 * s, color: MUTED }], w), x),
  ];
  return { before: 16 * s, keepTogether: true, keepWithPrevious: true, rows };
}

export async function renderLabReportPdf(r: LabReportDoc, options: LabReportOptions): Promise<Buffer> {
  const g = geometry({ ...options, language: 'en' });
  const s = g.scale;
  const x = g.left;
  const w = g.contentWidth;
  const { doc, done } = openDocument(g, { title: `Lab report ${r.patient.mrn} ${r.visitDate}`, author: r.clinic.name, date: r.date });
  const header = (): number => {
    let y = g.top;
    if (options.letterhead) y = drawLetterhead(doc, { ...r.clinic }, { x, y, width: w, scale: s, doctor: null });
    return y + 4 * s;
  };
  const pager = new PageFlow(doc, g, g.contentBottom, header);
  pager.newPage();
  const size = 9.5 * s;
  const cells: Cell[][] = r.rows.map((row) => [
    [{ text: row.test, size }, ...(row.sampleId ? [{ text: `  ${row.sampleId}`, size: size * 0.8, color: MUTED }] : [])],
    resultCell(row, size),
    row.status === 'verified' ? (row.unit ?? '') : '',
    row.range ?? '',
  ]);
  const specs = [
    { header: 'Test', align: 'left' as const, flex: true, minWidth: 120 * s },
    { header: 'Result', align: 'left' as const, flex: true, minWidth: 90 * s },
    { header: 'Unit', align: 'left' as const },
    { header: 'Reference range', align: 'left' as const, wrapHeader: true },
  ];
  const { columns, style } = fitTable(doc, specs, cells, w, { x, size, padX: 4 * s, padY: 3 * s }, 7 * s);
  const body = cells.map((c) => tableRow(doc, columns, c, style));
  const rule = { rows: [{ height: 1, draw: (top: number) => void doc.save().moveTo(x, top).lineTo(x + w, top).lineWidth(0.6).strokeColor(RULE).stroke().restore() }], before: 6 * s };
  pager.placeAll([patientBlock(doc, r, x, w, s), rule, tableBlock(doc, columns, body, style, { before: 8 * s }), signatureBlock(doc, r, x, w, s)]);
  drawFooters(doc, g, { left: `Lab report · ${r.patient.mrn} · ${formatDate(r.date)}` });
  doc.end();
  return done;
}

export interface SampleLabel {
  patientName: string;
  mrn: string;
  sampleId: string;
  test: string;
  specimen: string | null;
  /** When collected, as shown ("07 Dec 2026 10:42"). */
  collected: string;
  /** YYYY-MM-DD, the document's date. */
  date: string;
}

/** 50 x 25 mm: the usual sample-tube label roll. */
const LABEL = { width: mm(50), height: mm(25) };

export async function renderSampleLabelPdf(l: SampleLabel): Promise<Buffer> {
  const { doc, done } = openDocument(LABEL, { title: `Sample ${l.sampleId}`, author: 'Lab', date: l.date });
  doc.addPage({ size: [LABEL.width, LABEL.height], margin: 0 });
  const qr = QRCode.create(l.sampleId, { errorCorrectionLevel: 'M' });
  const pad = mm(1.5);
  const side = LABEL.height - 2 * pad;
  const cell = side / qr.modules.size;
  for (let r = 0; r < qr.modules.size; r++) {
    for (let c = 0; c < qr.modules.size; c++) if (qr.modules.get(r, c)) doc.rect(pad + c * cell, pad + r * cell, cell, cell);
  }
  doc.fill('#000');
  const tx = pad * 2 + side;
  const tw = LABEL.width - tx - pad;
  const line = (text: string, font: string, size: number, y: number): number => {
    doc.font(font).fontSize(size).fillColor('#000').text(text, tx, y, { width: tw, lineBreak: false, ellipsis: true });
    return y + size * 1.25;
  };
  let y = pad;
  y = line(l.patientName, FONT.bold, 6.5, y);
  y = line(`MRN ${l.mrn}`, FONT.regular, 6, y);
  y = line(l.sampleId, FONT.bold, 7.5, y);
  y = line(l.test, FONT.regular, 5.5, y);
  if (l.specimen) y = line(l.specimen, FONT.regular, 5.5, y);
  line(l.collected, FONT.regular, 5.5, y);
  doc.end();
  return done;
}
