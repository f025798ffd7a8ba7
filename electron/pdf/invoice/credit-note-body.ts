import { amountInWords, bpPercent, formatRupees } from '../../../shared/money';
import { supplyLabel } from '../../../shared/supply';
import { amount, modeLabel, MUTED, signedAmount, type PageGeometry } from '../counter-page';
import { fitTable, lineRows, tableBlock, tableRow, type Cell, type ColumnSpec, type FlowBlock } from '../flow';
import { formatDate } from '../format';
import { ACCENT } from '../letterhead';
import { layout, type Doc, type Run } from '../text';
import type { CreditNoteDoc } from './types';

/*
 * The credit note's body (rule 53(1A)): the invoice it is issued against, the lines taken back
 * with the taxable value and the tax they reverse, the total credited, and how the money went
 * back. A refund voucher (exempt lines only) has no tax columns.
 */

export function creditNoteBlocks(doc: Doc, g: PageGeometry, d: CreditNoteDoc): FlowBlock[] {
  const s = g.scale;
  const x = g.left;
  const w = g.contentWidth;
  const body = 9.5 * s;
  const taxed = d.title === 'Credit Note';
  const blocks: FlowBlock[] = [];
  const intro: Run[] = [
    { text: `${taxed ? 'Credit note' : 'Refund voucher'} issued against ${d.invoice.documentType} `, size: body },
    { text: d.invoice.number, size: body, style: 'bold', keep: true },
    { text: ` dated ${formatDate(d.invoice.date)}. Reason: `, size: body },
    { text: d.reason.trim(), size: body, style: 'bold' },
  ];
  blocks.push({ rows: lineRows(doc, layout(doc, intro, w), x), before: 0, keepTogether: true });

  const specs: ColumnSpec[] = [
    { header: '#', align: 'right' },
    { header: 'Description', align: 'left', flex: true, minWidth: 80 * s },
    { header: 'SAC/ HSN', align: 'left', wrapHeader: true },
    { header: 'Qty', align: 'right' },
    ...(taxed
      ? ([
          { header: 'Taxable value', align: 'right', wrapHeader: true },
          { header: 'GST', align: 'right' },
          { header: 'CGST', align: 'right' },
          { header: 'SGST', align: 'right' },
        ] satisfies ColumnSpec[])
      : []),
    { header: 'Amount (₹)', align: 'right' },
  ];
  const cells: Cell[][] = d.lines.map((l, i) => [
    String(i + 1),
    l.description.trim(),
    l.sacHsn ?? '',
    l.quantity === null ? '—' : String(l.quantity),
    ...(taxed ? [amount(l.taxablePaise), l.supplyKind === 'taxable' ? bpPercent(l.gstRateBp) : supplyLabel(l.supplyKind), amount(l.cgstPaise), amount(l.sgstPaise)] : []),
    amount(l.amountPaise),
  ]);
  const exact = d.lines.reduce((sum, l) => sum + l.amountPaise, 0);
  const totalCells: Cell[] = ['', 'Total', '', '', ...(taxed ? [amount(d.taxablePaise), '', amount(d.cgstPaise), amount(d.sgstPaise)] : []), amount(exact)];
  const fitted = fitTable(doc, specs, [...cells, totalCells], w, { x, size: 8 * s, padX: 3 * s, padY: 2.2 * s }, 5.5);
  const rows = cells.map((row) => tableRow(doc, fitted.columns, row, fitted.style));
  rows.push(tableRow(doc, fitted.columns, totalCells, fitted.style, { bold: true, rule: 'strong' }));
  blocks.push(tableBlock(doc, fitted.columns, rows, fitted.style, { before: 6 * s, keepLast: 1 }));

  const figures: [string, string][] = [];
  if (taxed) figures.push(['Taxable value reversed', amount(d.taxablePaise)], ['CGST reversed', amount(d.cgstPaise)], ['SGST reversed', amount(d.sgstPaise)]);
  if (d.roundOffPaise !== 0) figures.push(['Round off', signedAmount(d.roundOffPaise)]);
  const summary: Run[] = [];
  figures.forEach(([label, value], i) => {
    if (i > 0) summary.push({ text: ' · ', size: body, color: MUTED, separator: true });
    summary.push({ text: `${label}: `, size: body, color: MUTED, keep: true }, { text: value, size: body, keep: true });
  });
  if (summary.length > 0) blocks.push({ rows: lineRows(doc, layout(doc, summary, w), x, w, 'right'), before: 6 * s, keepTogether: true });
  const total: Run[] = [{ text: `Total ${taxed ? 'credited' : 'refunded'}: ${formatRupees(d.totalPaise)}`, size: 11.5 * s, style: 'bold', color: ACCENT }];
  blocks.push({ rows: lineRows(doc, layout(doc, total, w), x, w, 'right'), before: 4 * s, keepTogether: true });
  const words: Run[] = [
    { text: 'Amount in words: ', size: body, color: MUTED },
    { text: amountInWords(d.totalPaise), size: body, style: 'bold' },
  ];
  blocks.push({ rows: lineRows(doc, layout(doc, words, w), x), before: 4 * s, keepTogether: true });
  // Lines of a bill not paid for come off its balance due: less money (or none) goes back than is credited.
  const kept = d.totalPaise - d.refund.amountPaise;
  const paidText =
    d.refund.amountPaise <= 0
      ? `No money refunded: ${formatRupees(d.totalPaise)} taken off the balance due on the invoice.`
      : `Refunded ${formatRupees(d.refund.amountPaise)} by ${modeLabel(d.refund.mode)}.${kept > 0 ? ` ${formatRupees(kept)} taken off the balance due on the invoice.` : ''}`;
  const paid: Run[] = [{ text: paidText, size: body }];
  blocks.push({ rows: lineRows(doc, layout(doc, paid, w), x), before: 4 * s, keepTogether: true });
  const notes = [...new Set(d.lines.filter((l) => l.supplyKind !== 'taxable').map((l) => `${supplyLabel(l.supplyKind)}${l.exemptionNote ? `: ${l.exemptionNote}` : ''}`))];
  for (const n of notes) blocks.push({ rows: lineRows(doc, layout(doc, [{ text: n, size: 8.5 * s, color: MUTED }], w), x), before: 2 * s, keepTogether: true });
  return blocks;
}
