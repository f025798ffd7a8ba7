import { amountInWords, bpPercent, formatRupees } from '../../../shared/money';
import { amount, maskReference, modeLabel, MUTED, signedAmount, STAMP_RED, type PageGeometry } from '../counter-page';
import { fitTable, lineRows, tableBlock, tableRow, type Cell, type ColumnSpec, type FlowBlock } from '../flow';
import { formatDate } from '../format';
import { ACCENT } from '../letterhead';
import { drawLines, layout, linesHeight, type Doc, type Line, type Run } from '../text';
import type { InvoiceDocLine, TaxInvoiceDoc } from './types';
import { HEALTH_CARE_EXEMPTION, supplyKindOf, supplyLabel } from '../../../shared/supply';
import { GREEN, DUE_RED, pairsRuns, tableStyle, heading } from './common';

/* The invoice's body: the lines table, totals, payments and refunds. */

export function invoiceBlocks(doc: Doc, g: PageGeometry, d: TaxInvoiceDoc): FlowBlock[] {
  const blocks: FlowBlock[] = [];
  const voided = voidNotice(doc, g, d);
  if (voided) blocks.push(voided);
  if (d.issuedTwice) {
    // The other number stays in its series as voided; the printed bill says so.
    blocks.push({ rows: lineRows(doc, layout(doc, [{ text: d.issuedTwice, size: 8.5 * g.scale, color: MUTED }], g.contentWidth), g.left), before: 0, keepTogether: true });
  }
  blocks.push(linesTable(doc, g, d), ...totalsBlocks(doc, g, d), ...ledgerBlocks(doc, g, d));
  return blocks;
}

/** On a cancelled invoice: VOID, when and why, above everything else. */
function voidNotice(doc: Doc, g: PageGeometry, d: TaxInvoiceDoc): FlowBlock | null {
  if (!d.void) return null;
  const s = g.scale;
  const x = g.left;
  const w = g.contentWidth;
  const body = 9.5 * s;
  const taxed = d.documentType !== 'Bill of Supply';
  const lines = layout(
    doc,
    [
      { text: 'VOID', size: body + s, style: 'bold', color: STAMP_RED },
      { text: ` — this ${taxed ? 'invoice' : 'bill'} was cancelled${d.void.on ? ` on ${formatDate(d.void.on)}` : ''}. Reason: `, size: body, color: STAMP_RED },
      { text: d.void.reason.trim(), size: body, style: 'bold', color: STAMP_RED },
    ],
    w,
  );
  return { rows: lineRows(doc, lines, x), before: 0, keepTogether: true };
}


/** The lines table, with its total row. */
function linesTable(doc: Doc, g: PageGeometry, d: TaxInvoiceDoc): FlowBlock {
  const s = g.scale;
  const w = g.contentWidth;
  const taxed = d.documentType !== 'Bill of Supply';
  const specs: ColumnSpec[] = [
    { header: '#', align: 'right' },
    { header: 'Description', align: 'left', flex: true, minWidth: 80 * s },
    { header: 'SAC/ HSN', align: 'left', wrapHeader: true },
    { header: 'Qty', align: 'right' },
    { header: 'Rate', align: 'right' },
    { header: 'Disc.', align: 'right' },
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
  // Zero is written 0.00, never a dash: a dash beside the next column's figure reads as a minus.
  const cells: Cell[][] = d.lines.map((l, i) => [
    String(i + 1),
    l.description.trim(),
    l.sacHsn ?? '',
    String(l.quantity),
    `${amount(l.ratePaise)}${l.taxInclusive ? '*' : ''}`,
    amount(l.discountPaise),
    // An exempt, nil-rated or non-GST line says so: "0%" would read as a taxable line at a zero rate.
    ...(taxed ? [amount(l.taxablePaise), taxable(l) ? bpPercent(l.gstRateBp) : supplyLabel(supplyKindOf(l)), amount(l.cgstPaise), amount(l.sgstPaise)] : []),
    amount(l.totalPaise),
  ]);
  const t = d.totals;
  const discountTotal = t.lineDiscountPaise + t.invoiceDiscountPaise;
  const totalCells: Cell[] = ['', 'Total', '', '', '', amount(discountTotal), ...(taxed ? [amount(t.taxablePaise), '', amount(t.cgstPaise), amount(t.sgstPaise)] : []), amount(t.exactPaise)];
  const fitted = fitTable(doc, specs, [...cells, totalCells], w, tableStyle(g, 8 * s), 5.5);
  const bodyRows = cells.map((row) => tableRow(doc, fitted.columns, row, fitted.style));
  bodyRows.push(tableRow(doc, fitted.columns, totalCells, fitted.style, { bold: true, rule: 'strong' }));
  return tableBlock(doc, fitted.columns, bodyRows, fitted.style, { before: d.void ? 6 * s : 0, keepLast: 1 });
}

/** Totals on the right, notes on the left; the amount in words across the page under them. */
function totalsBlocks(doc: Doc, g: PageGeometry, d: TaxInvoiceDoc): FlowBlock[] {
  const s = g.scale;
  const x = g.left;
  const w = g.contentWidth;
  const body = 9.5 * s;
  const taxed = d.documentType !== 'Bill of Supply';
  const t = d.totals;
  const discountTotal = t.lineDiscountPaise + t.invoiceDiscountPaise;
  const blocks: FlowBlock[] = [];
  const totalsWidth = Math.min(w * 0.46, 230 * s);
  const notesWidth = w - totalsWidth - 14 * s;
  const totalRows: [string, string, boolean?][] = [['Gross amount', amount(t.grossPaise)]];
  if (discountTotal > 0 || !taxed) totalRows.push(['Less: discount', discountTotal > 0 ? `-${amount(discountTotal)}` : amount(0)]);
  if (taxed) {
    totalRows.push(['Taxable value', amount(t.taxablePaise)], ['CGST', amount(t.cgstPaise)], ['SGST', amount(t.sgstPaise)]);
  }
  totalRows.push(['Round off', signedAmount(t.roundOffPaise)]);
  const labelSize = body;
  const totalsLines: { label: Line[]; value: Line[]; strong: boolean }[] = totalRows.map(([label, value]) => ({
    label: layout(doc, [{ text: label, size: labelSize, color: MUTED }], totalsWidth * 0.6),
    value: layout(doc, [{ text: value, size: labelSize }], totalsWidth * 0.4),
    strong: false,
  }));
  totalsLines.push({
    label: layout(doc, [{ text: 'Total', size: 11.5 * s, style: 'bold', color: ACCENT }], totalsWidth * 0.45),
    value: layout(doc, [{ text: formatRupees(t.totalPaise), size: 11.5 * s, style: 'bold', color: ACCENT }], totalsWidth * 0.55),
    strong: true,
  });
  const noteLines = totalsNotes(doc, g, d, notesWidth);
  const rowGap = 1.5 * s;
  const totalsHeight = totalsLines.reduce((sum, r) => sum + Math.max(linesHeight(r.label), linesHeight(r.value)) + rowGap + (r.strong ? 5 * s : 0), 0);
  const totalsX = x + w - totalsWidth;
  blocks.push({
    before: 6 * s,
    keepTogether: true,
    rows: [
      {
        height: Math.max(totalsHeight, linesHeight(noteLines)),
        draw: (top) => {
          drawLines(doc, noteLines, x, top, notesWidth);
          let y = top;
          for (const r of totalsLines) {
            if (r.strong) {
              y += 2 * s;
              doc.save().moveTo(totalsX, y).lineTo(x + w, y).lineWidth(0.9).strokeColor(ACCENT).stroke().restore();
              y += 3 * s;
            }
            const h = Math.max(linesHeight(r.label), linesHeight(r.value));
            drawLines(doc, r.label, totalsX, y + h - linesHeight(r.label));
            drawLines(doc, r.value, totalsX, y + h - linesHeight(r.value), totalsWidth, 'right');
            y += h + rowGap;
          }
        },
      },
    ],
  });
  const wordsLines = layout(
    doc,
    [
      { text: 'Amount in words: ', size: body, color: MUTED },
      { text: amountInWords(t.totalPaise), size: body, style: 'bold' },
    ],
    w,
  );
  blocks.push({ rows: lineRows(doc, wordsLines, x), before: 4 * s, keepTogether: true });
  return blocks;
}

/** Payments received, refunds, and what is left to pay. */
function ledgerBlocks(doc: Doc, g: PageGeometry, d: TaxInvoiceDoc): FlowBlock[] {
  const s = g.scale;
  const x = g.left;
  const w = g.contentWidth;
  const body = 9.5 * s;
  const t = d.totals;
  const blocks: FlowBlock[] = [];
  if (d.payments.length > 0) {
    const pSpecs: ColumnSpec[] = [
      { header: 'Date', align: 'left' },
      { header: 'Receipt No.', align: 'left' },
      { header: 'Mode', align: 'left' },
      { header: 'Reference', align: 'left', flex: true, minWidth: 50 * s },
      { header: 'Amount (₹)', align: 'right' },
    ];
    const pCells: Cell[][] = d.payments.map((p) => [formatDate(p.date), p.receiptNumber, modeLabel(p.mode), maskReference(p.reference), amount(p.amountPaise)]);
    const paid = d.payments.reduce((sum, p) => sum + p.amountPaise, 0);
    const pTotal: Cell[] = ['', '', '', 'Total received', amount(paid)];
    const pf = fitTable(doc, pSpecs, [...pCells, pTotal], w, tableStyle(g, 8 * s), 6);
    const rows = pCells.map((c) => tableRow(doc, pf.columns, c, pf.style));
    if (d.payments.length > 1) rows.push(tableRow(doc, pf.columns, pTotal, pf.style, { bold: true, rule: 'strong' }));
    blocks.push(tableBlock(doc, pf.columns, rows, pf.style, { before: 10 * s, heading: heading(doc, 'Payments received', 10 * s, w, x), keepLast: d.payments.length > 1 ? 1 : 0 }));
  }
  if (d.refunds.length > 0) {
    const rSpecs: ColumnSpec[] = [
      { header: 'Date', align: 'left' },
      { header: 'Document', align: 'left' },
      { header: 'Lines refunded', align: 'left', flex: true, minWidth: 60 * s },
      { header: 'Mode', align: 'left' },
      { header: 'Reason', align: 'left', flex: true, minWidth: 50 * s },
      { header: 'Amount (₹)', align: 'right' },
    ];
    const rCells: Cell[][] = d.refunds.map((r) => [
      formatDate(r.date),
      r.document ?? '',
      r.lines && r.lines.length > 0 ? r.lines.join('; ') : 'Paid beyond the bill',
      // Lines taken off a bill not paid for gave no money back: no mode to show.
      r.amountPaise > 0 ? modeLabel(r.mode) : 'None (not paid)',
      r.reason.trim(),
      amount(r.amountPaise),
    ]);
    const pf = fitTable(doc, rSpecs, rCells, w, tableStyle(g, 8 * s), 6);
    blocks.push(
      tableBlock(
        doc,
        pf.columns,
        rCells.map((c) => tableRow(doc, pf.columns, c, pf.style)),
        pf.style,
        { before: 8 * s, heading: heading(doc, 'Refunds', 10 * s, w, x) },
      ),
    );
  }
  const paid = d.payments.reduce((sum, p) => sum + p.amountPaise, 0);
  const refunded = d.refunds.reduce((sum, r) => sum + r.amountPaise, 0);
  // Refunded lines are off the bill: a refund leaves it paid (refunded in part or in full), never due.
  const credited = d.creditedPaise ?? 0;
  const balance = t.totalPaise - credited - (paid - refunded);
  const statusRuns: Run[] = [];
  const figures: [string, string][] = [['Paid', formatRupees(paid)]];
  if (refunded > 0) figures.push(['Refunded', formatRupees(refunded)]);
  statusRuns.push(...pairsRuns(figures, body), { text: '   ', size: body });
  const strong = (text: string, color: string): Run => ({ text, size: 11 * s, style: 'bold', color });
  if (d.void) statusRuns.push(strong('Cancelled: nothing is payable', STAMP_RED));
  else if (balance > 0) statusRuns.push(strong(`Balance due: ${formatRupees(balance)}`, DUE_RED));
  else if (credited > 0 && credited >= t.totalPaise) statusRuns.push(strong('Refunded in full', GREEN));
  else if (credited > 0) statusRuns.push(strong('Paid in full, refunded in part', GREEN));
  else statusRuns.push(strong('Paid in full', GREEN));
  blocks.push({ rows: lineRows(doc, layout(doc, statusRuns, w), x, w, 'right'), before: 8 * s, keepTogether: true });
  return blocks;
}

/** Notes beside the totals: why the discount, what the asterisk means, why no GST. */
function totalsNotes(doc: Doc, g: PageGeometry, d: TaxInvoiceDoc, notesWidth: number): Line[] {
  const small = 8.5 * g.scale;
  const taxed = d.documentType !== 'Bill of Supply';
  const t = d.totals;
  const discountTotal = t.lineDiscountPaise + t.invoiceDiscountPaise;
  const notes: Run[][] = [];
  if (discountTotal > 0 && d.discountReason?.trim()) {
    notes.push([
      { text: 'Discount: ', size: small, style: 'bold' },
      { text: d.discountReason.trim(), size: small },
    ]);
  }
  if (d.lines.some((l) => l.taxInclusive)) {
    notes.push([{ text: '* MRP, GST included: the taxable value is the amount less the GST in it.', size: small, color: MUTED }]);
  }
  if (!taxed) notes.push([{ text: 'Bill of supply: no GST is charged on these supplies.', size: small, color: MUTED }]);
  else if (d.documentType === 'Invoice-cum-Bill of Supply') {
    notes.push([{ text: 'Invoice-cum-bill of supply (rule 46A): GST is charged on the taxable lines only.', size: small, color: MUTED }]);
  }
  // Each exempt, nil-rated or non-GST kind once, with the notification entry it relies on.
  const kinds = [...new Set(d.lines.filter((l) => !taxable(l)).map((l) => `${supplyLabel(supplyKindOf(l))}${exemptionOf(l) ? `: ${exemptionOf(l)}` : ''}`))];
  for (const k of kinds) notes.push([{ text: k, size: small, color: MUTED }]);
  return notes.flatMap((runs) => layout(doc, runs, notesWidth));
}

function taxable(l: InvoiceDocLine): boolean {
  return supplyKindOf(l) === 'taxable';
}

/** The entry an exempt line relies on: its own, or (lines written before it was recorded) the health care exemption. */
function exemptionOf(l: InvoiceDocLine): string | null {
  if (l.exemptionNote) return l.exemptionNote;
  return supplyKindOf(l) === 'exempt' ? HEALTH_CARE_EXEMPTION : null;
}
