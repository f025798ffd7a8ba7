import { amountInWords, bpPercent, formatRupees, type InvoiceTotals } from '../../shared/money';
import { amount, drawFooters, drawStamp, maskReference, modeLabel, MUTED, openDocument, pageGeometry, RULE, signedAmount, STAMP_RED, type PageGeometry, type Paper } from './counter-page';
import { fitTable, lineRows, PageFlow, spacer, tableBlock, tableRow, type Cell, type ColumnSpec, type FlowBlock, type FlowRow, type TableStyle } from './flow';
import { FONT } from './fonts';
import { doctorTitle, formatDate } from './format';
import { ACCENT, drawLetterhead, type ImageSource, type LetterheadDoctor } from './letterhead';
import { drawLine, drawLines, layout, linesHeight, type Doc, type Line, type Run } from './text';

/**
 * The printed invoice (a Tax Invoice, or a Bill of Supply when nothing on it carries GST) and the
 * payment receipt, as PDFs from plain data. Pure: no database and no clock; the PDF's creation
 * date is the document's date, so the same input gives the same bytes. Money arrives as integer
 * paise and is written by string formatting (shared/money.ts).
 *
 * NMC (2002 regulations 1.4.1): the doctor's registration number is on receipts, so the doctor's
 * block (name, qualifications, registration number and council) is in the letterhead of both.
 */

export interface InvoiceClinic {
  name: string;
  address: string;
  phone: string;
  timings?: string | null;
  tagline?: string | null;
  /** data: URL of a PNG or JPEG (or its bytes). */
  logo?: ImageSource;
  gstin?: string | null;
}

export type InvoiceDoctor = LetterheadDoctor;

export interface InvoicePatient {
  name: string;
  mrn: string;
  /** Years. */
  age?: number | null;
  sex?: 'M' | 'F' | 'O' | null;
  mobile?: string | null;
}

export interface InvoiceDocLine {
  description: string;
  sacHsn: string | null;
  quantity: number;
  ratePaise: number;
  /** The line's own discount plus its share of the invoice discount. */
  discountPaise: number;
  taxablePaise: number;
  gstRateBp: number;
  cgstPaise: number;
  sgstPaise: number;
  /** Taxable + CGST + SGST. */
  totalPaise: number;
  /** The rate is an MRP with the GST in it. */
  taxInclusive: boolean;
}

export interface InvoiceDocPayment {
  /** YYYY-MM-DD. */
  date: string;
  receiptNumber: string;
  /** cash, card, upi, netbanking, wallet, insurance, advance. */
  mode: string;
  /** Printed with all but the last four characters masked. */
  reference: string | null;
  amountPaise: number;
}

export interface InvoiceDocRefund {
  date: string;
  mode: string;
  reason: string;
  amountPaise: number;
}

interface CommonDoc {
  clinic: InvoiceClinic;
  /** Null when no doctor is named on the bill (e.g. medicines alone). */
  doctor: InvoiceDoctor | null;
  patient: InvoicePatient;
  /** YYYY-MM-DD: the invoice's issue date, or the day the payment was received. */
  date: string;
  /** Set on every copy after the first: each page is stamped DUPLICATE with the reprint date. */
  duplicate?: { printedOn: string; copy?: number } | null;
}

export interface TaxInvoiceDoc extends CommonDoc {
  kind: 'invoice';
  documentType: 'Tax Invoice' | 'Bill of Supply';
  invoiceNumber: string;
  lines: InvoiceDocLine[];
  totals: InvoiceTotals;
  discountReason?: string | null;
  payments: InvoiceDocPayment[];
  refunds: InvoiceDocRefund[];
  /** Set when the invoice was cancelled: every page is stamped VOID. */
  void?: { reason: string; on: string | null } | null;
}

export interface ReceiptDoc extends CommonDoc {
  kind: 'receipt';
  receiptNumber: string;
  /** The invoice the money was paid against; null for an advance. */
  invoice: { number: string; date: string; documentType: 'Tax Invoice' | 'Bill of Supply'; totalPaise: number; void?: boolean } | null;
  parts: { mode: string; reference: string | null; amountPaise: number }[];
  /** On the invoice after this receipt (paid less refunded); for an advance, the advance still held. */
  paidAfterPaise: number;
  /** What is still due on the invoice after this receipt; for an advance, 0. */
  balanceAfterPaise: number;
  receivedBy?: string | null;
}

export type InvoiceDoc = TaxInvoiceDoc | ReceiptDoc;

export interface InvoicePdfOptions {
  paper: Paper;
}

const SEX: Record<NonNullable<InvoicePatient['sex']>, string> = { M: 'Male', F: 'Female', O: 'Other' };
const GREEN = '#1b7a3a';
const DUE_RED = '#c62828';

/** The number shown on every page and in the file's title. */
function numberOf(d: InvoiceDoc): { label: string; value: string } {
  return d.kind === 'invoice' ? { label: 'Invoice No.', value: d.invoiceNumber } : { label: 'Receipt No.', value: d.receiptNumber };
}

function titleOf(d: InvoiceDoc): string {
  return d.kind === 'invoice' ? d.documentType : 'Payment Receipt';
}

/** Label + value runs kept whole on one line ("MRN: A-000123"), with separators that vanish at a break. */
function pairsRuns(pairs: [string, string][], size: number): Run[] {
  return pairs.flatMap(([label, value], i) => {
    const runs: Run[] = [
      { text: `${label}: `, size, color: MUTED, keep: true },
      { text: value, size, keep: true },
    ];
    return i === 0 ? runs : [{ text: ' · ', size, color: MUTED, separator: true }, ...runs];
  });
}

export async function renderInvoicePdf(d: InvoiceDoc, options: InvoicePdfOptions): Promise<Buffer> {
  const g = pageGeometry(options.paper);
  const s = g.scale;
  const num = numberOf(d);
  const { doc, done } = openDocument(g, {
    title: `${titleOf(d)} ${num.value}`,
    author: d.clinic.name.trim(),
    date: d.date,
  });

  const x = g.left;
  const w = g.contentWidth;
  const body = 9.5 * s;
  const small = 8.5 * s;

  /* Page header: letterhead, title, patient and number; laid out once, drawn on every page. */
  const titleLines = layout(doc, [{ text: titleOf(d), size: 15 * s, style: 'bold', color: ACCENT }], w);
  const rightWidth = Math.min(w * 0.4, 200 * s);
  const leftWidth = w - rightWidth - 10 * s;
  const patient = d.patient;
  const ageSex = [patient.age !== null && patient.age !== undefined ? `${patient.age} y` : '', patient.sex ? SEX[patient.sex] : ''].filter(Boolean).join(' / ');
  const ids: [string, string][] = [['MRN', patient.mrn.trim()]];
  if (patient.mobile?.trim()) ids.push(['Mobile', patient.mobile.trim()]);
  const patientLines = [
    ...layout(
      doc,
      [
        { text: d.kind === 'invoice' ? 'Billed to: ' : 'Received from: ', size: small, color: MUTED },
        { text: patient.name.trim(), size: 11 * s, style: 'bold' },
        ...(ageSex ? [{ text: ' ', size: body }, { text: `(${ageSex})`, size: body, keep: true }] : []),
      ],
      leftWidth,
    ),
    ...layout(doc, pairsRuns(ids, small), leftWidth),
  ];
  const metaPairs: [string, string][] = [
    [num.label, num.value],
    ['Date', formatDate(d.date)],
  ];
  if (d.kind === 'invoice' && d.documentType === 'Tax Invoice') metaPairs.push(['Reverse charge', 'No']);
  if (d.kind === 'receipt') metaPairs.push(d.invoice ? [`${d.invoice.documentType === 'Tax Invoice' ? 'Invoice' : 'Bill'} No.`, d.invoice.number] : ['Towards', 'Advance']);
  const metaLines = metaPairs.flatMap(([label, value], i) =>
    layout(
      doc,
      [
        { text: `${label}: `, size: small, color: MUTED },
        { text: value, size: i < 2 ? body : small, style: i < 2 ? 'bold' : 'regular' },
      ],
      rightWidth,
    ),
  );
  const continuedLines = layout(doc, [{ text: '(continued)', size: small, color: MUTED }], w);
  const extraLines = d.clinic.gstin?.trim() ? [`GSTIN: ${d.clinic.gstin.trim().toUpperCase()}`] : [];

  const header = (page: number): number => {
    let y = drawLetterhead(
      doc,
      {
        name: d.clinic.name,
        address: d.clinic.address,
        phone: d.clinic.phone,
        timings: d.clinic.timings ?? null,
        tagline: d.clinic.tagline ?? null,
        logo: d.clinic.logo ?? null,
        extraLines,
      },
      { x, y: g.top, width: w, scale: s, doctor: d.doctor },
    );
    y = drawLines(doc, titleLines, x, y, w, 'center') + 3 * s;
    let left = y;
    for (const line of patientLines) left = drawLine(doc, line, x, left, leftWidth);
    let right = y;
    for (const line of metaLines) right = drawLine(doc, line, x + w - rightWidth, right, rightWidth, 'right');
    y = Math.max(left, right) + 4 * s;
    doc.save().moveTo(x, y).lineTo(x + w, y).lineWidth(0.6).strokeColor(RULE).stroke().restore();
    y += 6 * s;
    if (page > 1) y = drawLines(doc, continuedLines, x, y, w) + 3 * s;
    return y;
  };

  const flow = new PageFlow(doc, g, g.contentBottom, header);
  flow.newPage();
  const blocks = d.kind === 'invoice' ? invoiceBlocks(doc, g, d) : receiptBlocks(doc, g, d);
  blocks.push(signatureBlock(doc, g, d.clinic.name));
  flow.placeAll(blocks);

  const duplicate = d.duplicate ?? null;
  const voided = d.kind === 'invoice' && d.void ? d.void : null;
  const dupText = duplicate
    ? `DUPLICATE — reprinted on ${formatDate(duplicate.printedOn)}${duplicate.copy && duplicate.copy > 1 ? ` (copy ${duplicate.copy})` : ''}`
    : null;
  drawFooters(doc, g, {
    left: `${num.label} ${num.value} · ${formatDate(d.date)}`,
    note: dupText ? { text: dupText, color: STAMP_RED } : null,
    stamp: (page) => {
      // Across the content: on a last page that is mostly empty, over what is printed on it.
      const centreY = page === flow.pages ? Math.min(g.height / 2, Math.max(g.height * 0.32, (flow.top + flow.y) / 2)) : g.height / 2;
      if (voided) {
        drawStamp(doc, g, 'VOID', voided.on ? `Cancelled on ${formatDate(voided.on)}` : 'Cancelled', { opacity: 0.3, centreY });
        // Both: the reprint stamp goes lower, clear of VOID.
        if (duplicate) drawStamp(doc, g, 'DUPLICATE', null, { size: g.width > 500 ? 44 : 32, centreY: Math.min(g.height * 0.78, centreY + g.height * 0.3) });
      } else if (duplicate) {
        drawStamp(doc, g, 'DUPLICATE', `Reprinted on ${formatDate(duplicate.printedOn)}`, { centreY });
      }
    },
  });

  doc.font(FONT.regular);
  doc.end();
  return done;
}

/* ------------------------------------------------------------------------------------------ */
/* Invoice body                                                                               */
/* ------------------------------------------------------------------------------------------ */

function tableStyle(g: PageGeometry, size: number): TableStyle {
  return { x: g.left, size, padX: 3 * g.scale, padY: 2.2 * g.scale };
}

function heading(doc: Doc, text: string, size: number, width: number, x: number): FlowRow[] {
  return [...lineRows(doc, layout(doc, [{ text, size, style: 'bold', color: ACCENT }], width), x), spacer(2)];
}

function invoiceBlocks(doc: Doc, g: PageGeometry, d: TaxInvoiceDoc): FlowBlock[] {
  const s = g.scale;
  const x = g.left;
  const w = g.contentWidth;
  const body = 9.5 * s;
  const small = 8.5 * s;
  const taxed = d.documentType === 'Tax Invoice';
  const blocks: FlowBlock[] = [];

  if (d.void) {
    const lines = layout(
      doc,
      [
        { text: 'VOID', size: body + s, style: 'bold', color: STAMP_RED },
        { text: ` — this ${taxed ? 'invoice' : 'bill'} was cancelled${d.void.on ? ` on ${formatDate(d.void.on)}` : ''}. Reason: `, size: body, color: STAMP_RED },
        { text: d.void.reason.trim(), size: body, style: 'bold', color: STAMP_RED },
      ],
      w,
    );
    blocks.push({ rows: lineRows(doc, lines, x), before: 0, keepTogether: true });
  }

  /* The lines table. */
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
    ...(taxed ? [amount(l.taxablePaise), bpPercent(l.gstRateBp), amount(l.cgstPaise), amount(l.sgstPaise)] : []),
    amount(l.totalPaise),
  ]);
  const t = d.totals;
  const discountTotal = t.lineDiscountPaise + t.invoiceDiscountPaise;
  const totalCells: Cell[] = ['', 'Total', '', '', '', amount(discountTotal), ...(taxed ? [amount(t.taxablePaise), '', amount(t.cgstPaise), amount(t.sgstPaise)] : []), amount(t.exactPaise)];
  const fitted = fitTable(doc, specs, [...cells, totalCells], w, tableStyle(g, 8 * s), 5.5);
  const bodyRows = cells.map((row) => tableRow(doc, fitted.columns, row, fitted.style));
  bodyRows.push(tableRow(doc, fitted.columns, totalCells, fitted.style, { bold: true, rule: 'strong' }));
  blocks.push(tableBlock(doc, fitted.columns, bodyRows, fitted.style, { before: d.void ? 6 * s : 0, keepLast: 1 }));

  /* Totals on the right, notes on the left; the amount in words across the page under them. */
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
  if (!taxed) {
    notes.push([
      {
        text: 'Bill of supply: exempt health care services (Notification 12/2017-Central Tax (Rate), entry 74); no GST is charged.',
        size: small,
        color: MUTED,
      },
    ]);
  } else if (d.lines.some((l) => l.gstRateBp === 0)) {
    notes.push([{ text: 'Lines at 0% are exempt health care services or nil-rated goods.', size: small, color: MUTED }]);
  }
  const noteLines = notes.flatMap((runs) => layout(doc, runs, notesWidth));
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

  /* Payments received, refunds, and what is left to pay. */
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
      { header: 'Mode', align: 'left' },
      { header: 'Reason', align: 'left', flex: true, minWidth: 60 * s },
      { header: 'Amount (₹)', align: 'right' },
    ];
    const rCells: Cell[][] = d.refunds.map((r) => [formatDate(r.date), modeLabel(r.mode), r.reason.trim(), amount(r.amountPaise)]);
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
  const balance = t.totalPaise - (paid - refunded);
  const statusRuns: Run[] = [];
  const figures: [string, string][] = [['Paid', formatRupees(paid)]];
  if (refunded > 0) figures.push(['Refunded', formatRupees(refunded)]);
  statusRuns.push(...pairsRuns(figures, body), { text: '   ', size: body });
  if (d.void) statusRuns.push({ text: 'Cancelled: nothing is payable', size: 11 * s, style: 'bold', color: STAMP_RED });
  else if (balance > 0) statusRuns.push({ text: `Balance due: ${formatRupees(balance)}`, size: 11 * s, style: 'bold', color: DUE_RED });
  else statusRuns.push({ text: 'Paid in full', size: 11 * s, style: 'bold', color: GREEN });
  blocks.push({ rows: lineRows(doc, layout(doc, statusRuns, w), x, w, 'right'), before: 8 * s, keepTogether: true });
  return blocks;
}

/* ------------------------------------------------------------------------------------------ */
/* Receipt body                                                                               */
/* ------------------------------------------------------------------------------------------ */

function receiptBlocks(doc: Doc, g: PageGeometry, d: ReceiptDoc): FlowBlock[] {
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
  blocks.push({ rows: summaryRows, before: 8 * s, keepTogether: true });
  return blocks;
}

/* ------------------------------------------------------------------------------------------ */

function signatureBlock(doc: Doc, g: PageGeometry, clinicName: string): FlowBlock {
  const s = g.scale;
  const x = g.left;
  const w = g.contentWidth;
  const sigWidth = Math.min(200 * s, w * 0.5);
  const noteWidth = w - sigWidth - 12 * s;
  const sigLines = [
    ...layout(doc, [{ text: `For ${clinicName.trim()}`, size: 9 * s, style: 'bold' }], sigWidth),
    ...layout(doc, [{ text: 'Authorised signatory', size: 8 * s, color: MUTED }], sigWidth),
  ];
  const noteLines = layout(doc, [{ text: 'This is a computer-generated document.', size: 7.5 * s, color: MUTED }], noteWidth);
  const space = 26 * s;
  return {
    before: 12 * s,
    keepTogether: true,
    keepWithPrevious: true,
    rows: [
      {
        height: space + 3 * s + Math.max(linesHeight(sigLines), 0),
        draw: (top) => {
          const sx = x + w - sigWidth;
          const lineY = top + space;
          doc.save().moveTo(sx, lineY).lineTo(x + w, lineY).lineWidth(0.7).strokeColor('#000000').stroke().restore();
          drawLines(doc, sigLines, sx, lineY + 3 * s, sigWidth, 'center');
          drawLines(doc, noteLines, x, lineY + 3 * s, noteWidth);
        },
      },
    ],
  };
}
