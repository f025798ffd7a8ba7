import { amountInWords, formatRupees } from '../../../shared/money';
import { amount, maskReference, modeLabel, MUTED, STAMP_RED, type PageGeometry } from '../counter-page';
import {
  fitTable,
  lineRows,
  spacer,
  tableBlock,
  tableRow,
  type Cell,
  type ColumnSpec,
  type FlowBlock,
  type FlowRow,
} from '../flow';
import { doctorTitle, formatDate } from '../format';
import { ACCENT } from '../letterhead';
import { layout, type Doc, type Run } from '../text';
import type { ReceiptDoc } from './types';
import { GREEN, DUE_RED, tableStyle } from './common';

/* The receipt's body: what was received, how, and what is left. */

export function receiptBlocks(doc: Doc, g: PageGeometry, d: ReceiptDoc): FlowBlock[] {
  const s = g.scale;
  const x = g.left;
  const w = g.contentWidth;
  const body = 9.5 * s;
  const total = d.parts.reduce((sum, p) => sum + p.amountPaise, 0);
  const blocks: FlowBlock[] = [];

  const intro: Run[] = [
    { text: 'Received with thanks from ', size: body },
    { text: d.patient.name.trim(), size: body, style: 'bold' },
    { text: ' the sum of ', size: body },
    { text: formatRupees(total), size: body, style: 'bold', keep: true },
  ];
  if (d.invoice) {
    intro.push(
      { text: ` against ${d.invoice.documentType} `, size: body },
      { text: d.invoice.number, size: body, style: 'bold', keep: true },
      { text: ` dated ${formatDate(d.invoice.date)}`, size: body, keep: true },
      { text: ` (total ${formatRupees(d.invoice.totalPaise)}).`, size: body },
    );
  } else {
    intro.push({ text: ' as an advance, to be adjusted against later bills.', size: body });
  }
  blocks.push({ rows: lineRows(doc, layout(doc, intro, w), x), before: 0, keepTogether: true });

  const specs: ColumnSpec[] = [
    { header: 'Mode', align: 'left' },
    { header: 'Reference', align: 'left', flex: true, minWidth: 60 * s },
    { header: 'Amount (₹)', align: 'right' },
  ];
  const cells: Cell[][] = d.parts.map((p) => [modeLabel(p.mode), maskReference(p.reference) || '—', amount(p.amountPaise)]);
  const totalCells: Cell[] = ['Total received', '', amount(total)];
  const fitted = fitTable(doc, specs, [...cells, totalCells], w, tableStyle(g, 9 * s), 6);
  const rows = cells.map((c) => tableRow(doc, fitted.columns, c, fitted.style));
  rows.push(tableRow(doc, fitted.columns, totalCells, fitted.style, { bold: true, rule: 'strong' }));
  blocks.push(tableBlock(doc, fitted.columns, rows, fitted.style, { before: 8 * s }));

  blocks.push(receiptSummary(doc, g, d, total));
  return blocks;
}

/** The amount received in figures and words, the mode, the balance left, who received it and the doctor. */
function receiptSummary(doc: Doc, g: PageGeometry, d: ReceiptDoc, total: number): FlowBlock {
  const s = g.scale;
  const x = g.left;
  const w = g.contentWidth;
  const body = 9.5 * s;
  const summary: Run[][] = [
    [
      { text: 'Amount received: ', size: 11 * s, color: MUTED },
      { text: formatRupees(total), size: 12 * s, style: 'bold', color: ACCENT },
    ],
    [
      { text: 'Amount in words: ', size: body, color: MUTED },
      { text: amountInWords(total), size: body, style: 'bold' },
    ],
    [
      { text: 'Mode: ', size: body, color: MUTED },
      { text: [...new Set(d.parts.map((p) => modeLabel(p.mode)))].join(' + '), size: body },
    ],
  ];
  if (d.invoice) {
    summary.push([
      { text: 'Paid on this invoice so far: ', size: body, color: MUTED },
      { text: formatRupees(d.paidAfterPaise), size: body },
    ]);
    summary.push(
      d.invoice.void
        ? [{ text: 'The invoice has since been cancelled (VOID).', size: 11 * s, style: 'bold', color: STAMP_RED }]
        : d.balanceAfterPaise > 0
          ? [{ text: `Balance after this receipt: ${formatRupees(d.balanceAfterPaise)}`, size: 11 * s, style: 'bold', color: DUE_RED }]
          : [{ text: 'Balance after this receipt: nil. Paid in full', size: 11 * s, style: 'bold', color: GREEN }],
    );
  } else {
    summary.push([
      { text: 'Advance held after this receipt: ', size: body, color: MUTED },
      { text: formatRupees(d.paidAfterPaise), size: body, style: 'bold' },
    ]);
  }
  if (d.receivedBy?.trim()) {
    summary.push([
      { text: 'Received by: ', size: body, color: MUTED },
      { text: d.receivedBy.trim(), size: body },
    ]);
  }
  if (d.doctor) {
    // NMC: the registration number on the receipt, also in the body for a letterhead cut off a pad.
    summary.push([
      { text: 'Doctor: ', size: body, color: MUTED },
      { text: `${doctorTitle(d.doctor.name)}, Reg. No. ${d.doctor.registrationNumber.trim()}`, size: body },
      ...(d.doctor.registrationCouncil.trim() ? [{ text: ` (${d.doctor.registrationCouncil.trim()})`, size: body, color: MUTED }] : []),
    ]);
  }
  const summaryRows: FlowRow[] = [];
  summary.forEach((runs, i) => {
    if (i > 0) summaryRows.push(spacer(2 * s));
    summaryRows.push(...lineRows(doc, layout(doc, runs, w), x));
  });
  return { rows: summaryRows, before: 8 * s, keepTogether: true };
}
