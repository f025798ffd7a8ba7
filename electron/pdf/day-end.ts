import { formatRupees } from '../../shared/money';
import { amount, drawFooters, drawStamp, MUTED, modeLabel, openDocument, pageGeometry, RULE, STAMP_RED, type PageGeometry, type Paper } from './counter-page';
import { fitTable, lineRows, PageFlow, spacer, tableBlock, tableHeader, tableRow, type Cell, type ColumnSpec, type FlowBlock, type FlowRow, type TableStyle } from './flow';
import { FONT } from './fonts';
import { formatDate } from './format';
import { ACCENT, drawLetterhead, type ImageSource } from './letterhead';
import { drawLine, drawLines, layout, linesHeight, type Doc, type Run } from './text';
import { creditNoteBlocks, type DayEndNotes } from './day-end-notes';

/**
 * The day-end report of one workstation as a PDF: money by payment mode, by doctor and by
 * service, refunds, invoices issued and voided, dues, and the cash count (opening cash, notes
 * and coins counted, expected against counted, the difference highlighted), with signature
 * lines. A day not yet closed prints as a PREVIEW. Pure: the figures come in as integer paise
 * (the `billing.dayEnd` report), the PDF's creation date is the day's date.
 */

export interface DayEndClinic {
  name: string;
  address: string;
  phone: string;
  logo?: ImageSource;
  gstin?: string | null;
}

interface Split {
  collectedPaise: number;
  refundedPaise: number;
  netPaise: number;
}

export interface DayEndSummary {
  clinic: DayEndClinic;
  /** YYYY-MM-DD. */
  date: string;
  workstation: { id: string; seriesPrefix: string };
  /** True when the day is closed on this workstation: who closed it, and when ("YYYY-MM-DD HH:MM", clinic time). */
  closed: boolean;
  closedBy: string | null;
  closedAt: string | null;
  /** Money in by mode (cash, card, upi, ... and 'advance': drawn from a patient's advance). */
  byMode: Record<string, number>;
  refundsByMode: Record<string, number>;
  receivedPaise: number;
  advancesReceivedPaise: number;
  advanceUsedPaise: number;
  /** Unused advances given back: part of refundedPaise, under no doctor or service. */
  advancesRefundedPaise?: number;
  paymentCount: number;
  receipts: string[];
  refundedPaise: number;
  byDoctor: (Split & { doctorName: string })[];
  byService: (Split & { kind: string })[];
  invoicesIssued: { count: number; numbers: string[]; billedPaise: number };
  invoicesVoided: { count: number; numbers: string[] };
  /** Numbers voided because the bill was issued at two desks while offline (absent on older reports). */
  issuedTwice?: { number: string; reason: string | null }[];
  /** Bills paid beyond their total, to refund or keep as advance (absent on older reports). */
  credits?: { count: number; totalPaise: number; invoices: { invoiceNumber: string | null; creditPaise: number }[] };
  dues: { count: number; totalPaise: number };
  /** Credit notes and refund vouchers issued here that day (absent on older reports). */
  creditNotes?: DayEndNotes;
  refundVouchers?: DayEndNotes;
  cash: {
    openingPaise: number;
    receivedPaise: number;
    refundedPaise: number;
    expectedPaise: number;
    /** Rupee note or coin -> how many were counted. */
    denominations: Record<string, number>;
    countedPaise: number;
    differencePaise: number;
  };
  /** Why the counted cash differed from the expected, as given when the day was closed. */
  differenceReason?: string | null;
}

export interface DayEndPdfOptions {
  paper: Paper;
}

/** Notes and coins in the order a cash sheet lists them. */
export const DAY_END_DENOMINATIONS = ['2000', '500', '200', '100', '50', '20', '10', '5', '2', '1'] as const;

const MODES = ['cash', 'card', 'upi', 'netbanking', 'wallet', 'insurance', 'advance'] as const;

const SERVICE_LABELS: Record<string, string> = {
  consultation: 'Consultations',
  'follow-up': 'Follow-up consultations',
  procedure: 'Procedures',
  lab: 'Laboratory tests',
  package: 'Packages',
  medicine: 'Medicines',
  other: 'Other',
};

const GREEN = '#1b7a3a';
const ALERT_FILL = '#fde3e1';
const OK_FILL = '#e3f3e7';

function weekdayName(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][new Date(Date.UTC(y, m - 1, d)).getUTCDay()] ?? '';
}

function tableStyle(g: PageGeometry, x: number, size: number): TableStyle {
  return { x, size, padX: 3 * g.scale, padY: 2.2 * g.scale };
}

export async function renderDayEndPdf(summary: DayEndSummary, options: DayEndPdfOptions): Promise<Buffer> {
  const g = pageGeometry(options.paper);
  const preview = !summary.closed;
  const { doc, done } = openDocument(g, {
    title: `Day-end report ${summary.date}${preview ? ' (preview)' : ''}`,
    author: summary.clinic.name.trim(),
    date: summary.date,
  });
  // Everything is laid out first (header, then each section in order), then placed on pages.
  const header = dayEndHeader(doc, g, summary);
  const k = kitFor(doc, g);
  const blocks: FlowBlock[] = [
    ...modeBlocks(k, summary),
    ...splitBlocks(k, summary),
    ...invoiceBlocks(k, summary),
    ...creditNoteBlocks(k, summary),
    ...cashBlocks(k, summary),
    ...reasonBlocks(k, summary),
    ...signatureBlocks(k, summary, preview),
  ];

  const flow = new PageFlow(doc, g, g.contentBottom, header);
  flow.newPage();
  flow.placeAll(blocks);

  drawFooters(doc, g, {
    left: `Day-end ${formatDate(summary.date)} · series ${summary.workstation.seriesPrefix}${preview ? ' · PREVIEW' : ''}`,
    note: null,
    stamp: (page) => {
      const centreY = page === flow.pages ? Math.min(g.height / 2, Math.max(g.height * 0.32, (flow.top + flow.y) / 2)) : g.height / 2;
      if (preview) drawStamp(doc, g, 'PREVIEW', 'Not closed', { color: '#8a8f98', opacity: 0.22, centreY });
    },
  });
  doc.font(FONT.regular);
  doc.end();
  return done;
}

/** Header on every page: letterhead, title, the day and who closed it. */
function dayEndHeader(doc: Doc, g: PageGeometry, summary: DayEndSummary): (page: number) => number {
  const s = g.scale;
  const preview = !summary.closed;
  const x = g.left;
  const w = g.contentWidth;
  const body = 9.5 * s;
  const small = 8.5 * s;
  const titleLines = layout(doc, [{ text: 'Day-End Report', size: 15 * s, style: 'bold', color: ACCENT }], w);
  const half = (w - 10 * s) / 2;
  const pair = (label: string, value: string, bold = false): Run[] => [
    { text: `${label}: `, size: small, color: MUTED },
    { text: value, size: bold ? body : small, ...(bold ? { style: 'bold' as const } : {}) },
  ];
  const leftLines = [
    ...layout(doc, pair('Date', `${weekdayName(summary.date)} ${formatDate(summary.date)}`, true), half),
    ...layout(doc, pair('Workstation', `series ${summary.workstation.seriesPrefix} (${summary.workstation.id.slice(-12)})`), half),
  ];
  const rightLines = preview
    ? layout(doc, [{ text: 'PREVIEW — the day is not closed; figures may still change', size: small, style: 'bold', color: STAMP_RED }], half)
    : [
        ...layout(doc, pair('Closed by', summary.closedBy ?? '—', true), half),
        ...layout(doc, pair('Closed at', summary.closedAt ? formatDate(summary.closedAt) : '—'), half),
      ];
  const continuedLines = layout(doc, [{ text: '(continued)', size: small, color: MUTED }], w);
  const extraLines = summary.clinic.gstin?.trim() ? [`GSTIN: ${summary.clinic.gstin.trim().toUpperCase()}`] : [];

  const header = (page: number): number => {
    let y = drawLetterhead(
      doc,
      { name: summary.clinic.name, address: summary.clinic.address, phone: summary.clinic.phone, logo: summary.clinic.logo ?? null, extraLines },
      { x, y: g.top, width: w, scale: s, doctor: null },
    );
    y = drawLines(doc, titleLines, x, y, w, 'center') + 3 * s;
    const left = drawLines(doc, leftLines, x, y, half);
    const right = drawLines(doc, rightLines, x + w - half, y, half, 'right');
    y = Math.max(left, right) + 4 * s;
    doc.save().moveTo(x, y).lineTo(x + w, y).lineWidth(0.6).strokeColor(RULE).stroke().restore();
    y += 6 * s;
    if (page > 1) y = drawLines(doc, continuedLines, x, y, w) + 3 * s;
    return y;
  };
  return header;
}

/** What every section is drawn with: the page, the text sizes, headings, notes and money tables. */
function kitFor(doc: Doc, g: PageGeometry) {
  const s = g.scale;
  const x = g.left;
  const w = g.contentWidth;
  const body = 9.5 * s;
  const small = 8.5 * s;
  const heading = (text: string): FlowRow[] => [...lineRows(doc, layout(doc, [{ text, size: 10.5 * s, style: 'bold', color: ACCENT }], w), x), spacer(2 * s)];
  const note = (runs: Run[]): FlowRow[] => lineRows(doc, layout(doc, runs, w), x);
  const money3: ColumnSpec[] = [
    { header: 'Received (₹)', align: 'right', minWidth: 60 * s },
    { header: 'Refunded (₹)', align: 'right', minWidth: 60 * s },
    { header: 'Net (₹)', align: 'right', minWidth: 60 * s },
  ];
  const tableOf = (title: string, first: ColumnSpec, rows: Cell[][], total: Cell[] | null, before: number, after: FlowRow[] = []): FlowBlock => {
    const specs = [first, ...money3];
    const fitted = fitTable(doc, specs, total ? [...rows, total] : rows, w, tableStyle(g, x, 8.5 * s), 6);
    const bodyRows = rows.map((r) => tableRow(doc, fitted.columns, r, fitted.style));
    if (total) bodyRows.push(tableRow(doc, fitted.columns, total, fitted.style, { bold: true, rule: 'strong' }));
    const block = tableBlock(doc, fitted.columns, bodyRows, fitted.style, { before, heading: heading(title), keepTogether: true, ...(total ? { keepLast: 1 } : {}) });
    block.rows.push(...after);
    return block;
  };
  return { doc, g, s, x, w, body, small, heading, note, tableOf };
}

type Kit = ReturnType<typeof kitFor>;

/** Collections by payment mode, with the counts of payments and receipts. */
function modeBlocks(k: Kit, summary: DayEndSummary): FlowBlock[] {
  const { s, small, note, tableOf } = k;
  const blocks: FlowBlock[] = [];
  const modes = [...MODES, ...Object.keys(summary.byMode).filter((m) => !(MODES as readonly string[]).includes(m))];
  const modeRows: Cell[][] = modes
    .filter((m) => (summary.byMode[m] ?? 0) !== 0 || (summary.refundsByMode[m] ?? 0) !== 0 || m === 'cash')
    .map((m) => {
      const inn = summary.byMode[m] ?? 0;
      const out = summary.refundsByMode[m] ?? 0;
      return [modeLabel(m), amount(inn), amount(out), amount(inn - out)];
    });
  const inAll = Object.values(summary.byMode).reduce((a, b) => a + b, 0);
  const outAll = Object.values(summary.refundsByMode).reduce((a, b) => a + b, 0);
  blocks.push(
    tableOf('Collections by payment mode', { header: 'Mode', align: 'left', flex: true, minWidth: 80 * s }, modeRows, ['Total', amount(inAll), amount(outAll), amount(inAll - outAll)], 0, [
      spacer(3 * s),
      ...note([
        { text: `${summary.paymentCount} payment${summary.paymentCount === 1 ? '' : 's'} in ${summary.receipts.length} receipt${summary.receipts.length === 1 ? '' : 's'}`, size: small, color: MUTED },
        { text: ' · ', size: small, color: MUTED, separator: true },
        { text: `money received ${formatRupees(summary.receivedPaise)}`, size: small, color: MUTED, keep: true },
        { text: ' · ', size: small, color: MUTED, separator: true },
        { text: `advances received ${formatRupees(summary.advancesReceivedPaise)}`, size: small, color: MUTED, keep: true },
        { text: ' · ', size: small, color: MUTED, separator: true },
        { text: `advances used ${formatRupees(summary.advanceUsedPaise)}`, size: small, color: MUTED, keep: true },
        { text: ' · ', size: small, color: MUTED, separator: true },
        { text: `refunds ${formatRupees(summary.refundedPaise)}`, size: small, color: MUTED, keep: true },
      ]),
    ]),
  );
  return blocks;
}

/** By doctor and by service (money on invoices only; advances belong to no bill yet). */
function splitBlocks(k: Kit, summary: DayEndSummary): FlowBlock[] {
  const { s, small, note, tableOf } = k;
  const blocks: FlowBlock[] = [];
  const splitRow = (name: string, t: Split): Cell[] => [name, amount(t.collectedPaise), amount(t.refundedPaise), amount(t.netPaise)];
  const sumSplit = (list: Split[]): Split => ({
    collectedPaise: list.reduce((a, t) => a + t.collectedPaise, 0),
    refundedPaise: list.reduce((a, t) => a + t.refundedPaise, 0),
    netPaise: list.reduce((a, t) => a + t.netPaise, 0),
  });
  const empty = (what: string): Cell[][] => [[[{ text: what, size: 8.5 * s, color: MUTED }], '', '', '']];
  blocks.push(
    tableOf(
      'By doctor',
      { header: 'Doctor', align: 'left', flex: true, minWidth: 80 * s },
      summary.byDoctor.length > 0 ? summary.byDoctor.map((t) => splitRow(t.doctorName, t)) : empty('No money on invoices today'),
      summary.byDoctor.length > 1 ? splitRow('Total', sumSplit(summary.byDoctor)) : null,
      12 * s,
    ),
  );
  blocks.push(
    tableOf(
      'By service',
      { header: 'Service', align: 'left', flex: true, minWidth: 80 * s },
      summary.byService.length > 0 ? summary.byService.map((t) => splitRow(SERVICE_LABELS[t.kind] ?? t.kind, t)) : empty('No money on invoices today'),
      summary.byService.length > 1 ? splitRow('Total', sumSplit(summary.byService)) : null,
      12 * s,
      [
        ...(summary.advancesReceivedPaise > 0
          ? [spacer(3 * s), ...note([{ text: `Advances received (${formatRupees(summary.advancesReceivedPaise)}) belong to no doctor or service until they are used on a bill.`, size: small, color: MUTED }])]
          : []),
        // Without this the refunds by doctor and service fall short of the refunds by mode, unexplained.
        ...((summary.advancesRefundedPaise ?? 0) > 0
          ? [spacer(3 * s), ...note([{ text: `Unused advances refunded (${formatRupees(summary.advancesRefundedPaise ?? 0)}) are in the refunds by mode and the cash, under no doctor or service.`, size: small, color: MUTED }])]
          : []),
      ],
    ),
  );
  return blocks;
}

/** Invoices issued and voided, and the dues outstanding. */
function invoiceBlocks(k: Kit, summary: DayEndSummary): FlowBlock[] {
  const { s, body, small, heading, note } = k;
  const blocks: FlowBlock[] = [];
  const numbers = (list: string[]): string => (list.length > 0 ? list.join(', ') : 'none');
  const invoiceRows: FlowRow[] = [
    ...heading('Invoices and dues'),
    ...note([
      { text: 'Issued: ', size: body, style: 'bold' },
      { text: `${summary.invoicesIssued.count}, billed ${formatRupees(summary.invoicesIssued.billedPaise)} (void ones not counted)`, size: body },
    ]),
    ...note([{ text: numbers(summary.invoicesIssued.numbers), size: small, color: MUTED }]),
    spacer(3 * s),
    ...note([
      { text: 'Voided today: ', size: body, style: 'bold' },
      { text: String(summary.invoicesVoided.count), size: body },
      ...(summary.invoicesVoided.count > 0 ? [{ text: ` (${numbers(summary.invoicesVoided.numbers)})`, size: small, color: MUTED }] : []),
    ]),
    ...(summary.issuedTwice && summary.issuedTwice.length > 0
      ? note([
          { text: 'Issued twice while offline: ', size: small, style: 'bold' },
          { text: `${numbers(summary.issuedTwice.map((v) => v.number))} voided; the bill keeps its other number`, size: small, color: MUTED },
        ])
      : []),
    ...(summary.credits && summary.credits.count > 0
      ? [
          spacer(3 * s),
          ...note([
            { text: 'Credits: ', size: body, style: 'bold' },
            { text: `${summary.credits.count} bill${summary.credits.count === 1 ? '' : 's'} paid beyond the total, ${formatRupees(summary.credits.totalPaise)}`, size: body },
            { text: ` (${summary.credits.invoices.map((c) => `${c.invoiceNumber ?? 'draft'} ${formatRupees(c.creditPaise)}`).join(', ')}: refund or keep as advance)`, size: small, color: MUTED },
          ]),
        ]
      : []),
    spacer(3 * s),
    ...note([
      { text: 'Dues outstanding: ', size: body, style: 'bold' },
      { text: `${summary.dues.count} invoice${summary.dues.count === 1 ? '' : 's'}, ${formatRupees(summary.dues.totalPaise)}`, size: body },
      { text: ' (all days, as the report was made)', size: small, color: MUTED },
    ]),
  ];
  blocks.push({ rows: invoiceRows, before: 12 * s, keepFirst: 3 });
  return blocks;
}

/** Cash: the count on the left, the reconciliation on the right. */
function cashBlocks(k: Kit, summary: DayEndSummary): FlowBlock[] {
  const { doc, g, s, x, w, body, heading } = k;
  const blocks: FlowBlock[] = [];
  const gap = 16 * s;
  const leftW = Math.min((w - gap) * 0.48, 240 * s);
  const rightW = w - leftW - gap;
  const rightX = x + leftW + gap;
  const denomSpecs: ColumnSpec[] = [
    { header: 'Note / coin', align: 'left', flex: true, minWidth: 50 * s },
    { header: 'Count', align: 'right', minWidth: 34 * s },
    { header: 'Amount (₹)', align: 'right', minWidth: 50 * s },
  ];
  const counted = summary.cash.denominations;
  const denomKeys = [...DAY_END_DENOMINATIONS, ...Object.keys(counted).filter((k) => !(DAY_END_DENOMINATIONS as readonly string[]).includes(k))];
  const denomCells: Cell[][] = denomKeys.map((k) => {
    const n = counted[k] ?? 0;
    return n > 0 ? [`₹${k}`, String(n), amount(Number(k) * 100 * n)] : [[{ text: `₹${k}`, size: 8.5 * s, color: MUTED }], [{ text: '0', size: 8.5 * s, color: MUTED }], [{ text: '—', size: 8.5 * s, color: MUTED }]];
  });
  const denomTotal: Cell[] = ['Counted cash', '', amount(summary.cash.countedPaise)];
  const dt = fitTable(doc, denomSpecs, [...denomCells, denomTotal], leftW, tableStyle(g, x, 8.5 * s), 6);
  const denomRows = [tableHeader(doc, dt.columns, dt.style), ...denomCells.map((c) => tableRow(doc, dt.columns, c, dt.style)), tableRow(doc, dt.columns, denomTotal, dt.style, { bold: true, rule: 'strong' })];

  const diff = summary.cash.differencePaise;
  const recon: [string, string, 'plain' | 'bold'][] = [
    ['Opening cash', formatRupees(summary.cash.openingPaise), 'plain'],
    ['Add: cash received', formatRupees(summary.cash.receivedPaise), 'plain'],
    ['Less: cash refunded', formatRupees(summary.cash.refundedPaise), 'plain'],
    ['Expected cash', formatRupees(summary.cash.expectedPaise), 'bold'],
    ['Counted cash', formatRupees(summary.cash.countedPaise), 'bold'],
  ];
  const reconLines = recon.map(([label, value, weight]) => ({
    label: layout(doc, [{ text: label, size: body, ...(weight === 'bold' ? { style: 'bold' as const } : { color: MUTED }) }], rightW * 0.6),
    value: layout(doc, [{ text: value, size: body, ...(weight === 'bold' ? { style: 'bold' as const } : {}) }], rightW * 0.4),
  }));
  const diffText = diff === 0 ? 'Difference: ₹0.00 — cash tallies' : diff < 0 ? `Difference: ${formatRupees(diff)} — SHORT by ${formatRupees(-diff)}` : `Difference: +${formatRupees(diff)} — EXCESS of ${formatRupees(diff)}`;
  const diffPad = 5 * s;
  const diffLines = layout(doc, [{ text: diffText, size: 10.5 * s, style: 'bold', color: diff === 0 ? GREEN : STAMP_RED }], rightW - 2 * diffPad);
  const reconHeading = layout(doc, [{ text: 'Expected against counted', size: 9 * s, style: 'bold', color: ACCENT }], rightW);
  const rowGap = 2.5 * s;
  const reconHeight =
    linesHeight(reconHeading) + 4 * s + reconLines.reduce((a, r) => a + Math.max(linesHeight(r.label), linesHeight(r.value)) + rowGap, 0) + 6 * s + linesHeight(diffLines) + 2 * diffPad;
  const denomHeight = denomRows.reduce((a, r) => a + r.height, 0);
  blocks.push({
    before: 12 * s,
    keepTogether: true,
    rows: [
      ...heading('Cash'),
      {
        height: Math.max(denomHeight, reconHeight),
        draw: (top) => {
          let y = top;
          for (const r of denomRows) {
            r.draw(y);
            y += r.height;
          }
          y = drawLines(doc, reconHeading, rightX, top, rightW) + 4 * s;
          reconLines.forEach((r, i) => {
            const h = Math.max(linesHeight(r.label), linesHeight(r.value));
            if (i === 3) doc.save().moveTo(rightX, y - rowGap / 2).lineTo(rightX + rightW, y - rowGap / 2).lineWidth(0.5).strokeColor(RULE).stroke().restore();
            drawLines(doc, r.label, rightX, y);
            drawLines(doc, r.value, rightX, y, rightW, 'right');
            y += h + rowGap;
          });
          y += 6 * s;
          const boxH = linesHeight(diffLines) + 2 * diffPad;
          doc
            .save()
            .rect(rightX, y, rightW, boxH)
            .fillColor(diff === 0 ? OK_FILL : ALERT_FILL)
            .fill()
            .restore();
          if (diff !== 0) doc.save().rect(rightX, y, rightW, boxH).lineWidth(1.2).strokeColor(STAMP_RED).stroke().restore();
          drawLines(doc, diffLines, rightX + diffPad, y + diffPad, rightW - 2 * diffPad);
        },
      },
    ],
  });
  return blocks;
}

/** Why the counted cash differed, as given when the day was closed: right under the figures it explains. */
function reasonBlocks(k: Kit, summary: DayEndSummary): FlowBlock[] {
  if (!summary.differenceReason) return [];
  const { s, body, note } = k;
  return [{ before: 6 * s, rows: note([{ text: 'Reason for the difference: ', size: body, style: 'bold' }, { text: summary.differenceReason, size: body }]) }];
}

/** Signature lines: the cashier who closed the day and whoever checks it. */
function signatureBlocks(k: Kit, summary: DayEndSummary, preview: boolean): FlowBlock[] {
  const { doc, s, x, w } = k;
  const blocks: FlowBlock[] = [];
  const sigW = (w - 30 * s) / 2;
  const sig = (label: string, name: string | null) => [
    ...layout(doc, [{ text: label, size: 9 * s, style: 'bold' }], sigW),
    ...layout(doc, [{ text: name ? name : 'Name and date', size: 8 * s, color: MUTED }], sigW),
  ];
  const leftSig = sig('Cashier (closed by)', preview ? null : summary.closedBy);
  const rightSig = sig('Checked by (owner / manager)', null);
  const space = 30 * s;
  blocks.push({
    before: 14 * s,
    keepTogether: true,
    rows: [
      {
        height: space + 3 * s + Math.max(linesHeight(leftSig), linesHeight(rightSig)),
        draw: (top) => {
          const lineY = top + space;
          for (const [sx, lines] of [
            [x, leftSig],
            [x + w - sigW, rightSig],
          ] as const) {
            doc.save().moveTo(sx, lineY).lineTo(sx + sigW, lineY).lineWidth(0.7).strokeColor('#000000').stroke().restore();
            let y = lineY + 3 * s;
            for (const line of lines) y = drawLine(doc, line, sx, y, sigW, 'center');
          }
        },
      },
    ],
  });
  return blocks;
}
