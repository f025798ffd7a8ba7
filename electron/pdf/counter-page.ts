import PDFDocument from 'pdfkit';
import { formatRupees } from '../../shared/money';
import { registerFonts } from './fonts';
import { dateAtUtcMidnight, mm } from './format';
import { drawLine, layout, linesHeight, type Doc } from './text';

/**
 * What the billing counter's documents (invoice, receipt, day-end report) share: paper and
 * margins, the PDF itself (deterministic: its creation date is the document's date), the
 * rotated stamps (DUPLICATE, VOID, PREVIEW), the footer with page numbers, and money written
 * from integer paise by string formatting.
 */

export type { Paper } from '../../shared/paper';
import type { Paper } from '../../shared/paper';

export interface PageGeometry {
  width: number;
  height: number;
  left: number;
  top: number;
  contentWidth: number;
  /** Lowest y content may reach (the footer is below). */
  contentBottom: number;
  /** The bottom margin's edge: the footer's last line ends here. */
  footerBottom: number;
  scale: number;
}

const PAPER: Record<Paper, { width: number; height: number; scale: number; sideMm: number; topMm: number; bottomMm: number }> = {
  A4: { width: 595.28, height: 841.89, scale: 1, sideMm: 12, topMm: 10, bottomMm: 10 },
  A5: { width: 419.53, height: 595.28, scale: 0.86, sideMm: 8, topMm: 8, bottomMm: 8 },
};

export function pageGeometry(paper: Paper): PageGeometry {
  const p = PAPER[paper];
  if (!p) throw new RangeError(`paper must be A4 or A5, not ${String(paper)}`);
  const side = mm(p.sideMm);
  const footerBottom = p.height - mm(p.bottomMm);
  // Room for the reprint note, a rule and the page-number row.
  const footerHeight = 26 * p.scale;
  return {
    width: p.width,
    height: p.height,
    left: side,
    top: mm(p.topMm),
    contentWidth: p.width - 2 * side,
    contentBottom: footerBottom - footerHeight - 4 * p.scale,
    footerBottom,
    scale: p.scale,
  };
}

/** A PDF whose bytes depend only on its content: CreationDate is the document's date. */
export function openDocument(
  g: Pick<PageGeometry, 'width' | 'height'>,
  info: { title: string; author: string; date: string },
): { doc: Doc; done: Promise<Buffer> } {
  const doc: Doc = new PDFDocument({
    size: [g.width, g.height],
    margin: 0,
    autoFirstPage: false,
    bufferPages: true,
    pdfVersion: '1.4',
    lang: 'en-IN',
    info: {
      Title: info.title,
      Author: info.author,
      Creator: 'Clinic Workstation',
      Producer: 'PDFKit',
      CreationDate: dateAtUtcMidnight(info.date),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  registerFonts(doc);
  return { doc, done };
}

/* ------------------------------------------------------------------------------------------ */
/* Money and words                                                                            */
/* ------------------------------------------------------------------------------------------ */

/** 12345678 -> "1,23,456.78" (Indian grouping, no rupee sign: for table columns headed ₹). */
export function amount(paise: number): string {
  return formatRupees(paise).replace('₹', '');
}

/** A round-off with its sign: "+0.50", "-0.07", "0.00". */
export function signedAmount(paise: number): string {
  return paise > 0 ? `+${amount(paise)}` : amount(paise);
}

export const MODE_LABELS: Record<string, string> = {
  cash: 'Cash',
  card: 'Card',
  upi: 'UPI',
  netbanking: 'Net banking',
  wallet: 'Wallet',
  insurance: 'Insurance',
  advance: 'From advance',
};

export function modeLabel(mode: string): string {
  return MODE_LABELS[mode] ?? mode;
}

/** "412356789012" -> "XXXXXXXX9012": only the last four characters of a UTR, RRN or cheque number show. */
export function maskReference(reference: string | null | undefined): string {
  const ref = (reference ?? '').replace(/\s/g, '');
  if (ref.length <= 4) return ref;
  return `${'X'.repeat(ref.length - 4)}${ref.slice(-4)}`;
}

/* ------------------------------------------------------------------------------------------ */
/* Stamps and footers                                                                         */
/* ------------------------------------------------------------------------------------------ */

export const STAMP_RED = '#e53935';
export const MUTED = '#444444';
export const RULE = '#9aa5b1';

/**
 * A large rotated word across the page (DUPLICATE, VOID, PREVIEW) with a line under it, light,
 * hidden from text extraction (its letters would land between the document's lines): the
 * document says the same in plain text.
 */
export function drawStamp(
  doc: Doc,
  g: PageGeometry,
  word: string,
  sub: string | null,
  options: { color?: string; opacity?: number; centreY?: number; size?: number } = {},
): void {
  const color = options.color ?? STAMP_RED;
  const size = options.size ?? (g.width > 500 ? 84 : 60);
  const big = layout(doc, [{ text: word, size, style: 'bold', color }], g.width * 1.2);
  const small = sub ? layout(doc, [{ text: sub, size: 18 * g.scale, style: 'bold', color }], g.width * 0.9) : [];
  const lines = [...big, ...small];
  const height = linesHeight(lines);
  const cx = g.width / 2;
  const cy = options.centreY ?? g.height / 2;
  doc.save();
  doc.fillOpacity(options.opacity ?? 0.28);
  doc.rotate(-32, { origin: [cx, cy] });
  let y = cy - height / 2;
  for (const line of lines) y = drawLine(doc, line, cx - g.width * 0.6, y, g.width * 1.2, 'center', '');
  doc.restore();
}

/**
 * On every page, from the bottom up: the row (what and when · "Continued on page n+1" · "Page n
 * of N"), a rule, and a note above it when given (the reprint note). `stamp` runs first on each
 * page, under the footer.
 */
export function drawFooters(
  doc: Doc,
  g: PageGeometry,
  options: { left: string; note?: { text: string; color: string } | null; stamp?: (page: number) => void },
): void {
  const range = doc.bufferedPageRange();
  const total = range.count;
  const s = g.scale;
  const x = g.left;
  const w = g.contentWidth;
  const footSize = 7.5 * s;
  for (let i = 0; i < total; i += 1) {
    doc.switchToPage(range.start + i);
    const page = i + 1;
    options.stamp?.(page);
    const leftLines = layout(doc, [{ text: options.left, size: footSize, color: MUTED }], w * 0.42).slice(0, 1);
    const pageLines = layout(doc, [{ text: `Page ${page} of ${total}`, size: footSize, color: MUTED }], w * 0.25);
    const nextLines = page < total ? layout(doc, [{ text: `Continued on page ${page + 1}`, size: footSize, style: 'bold' }], w * 0.3) : [];
    const row = g.footerBottom - Math.max(linesHeight(leftLines), linesHeight(pageLines));
    const ruleY = row - 3 * s;
    doc.save().moveTo(x, ruleY).lineTo(x + w, ruleY).lineWidth(0.5).strokeColor(RULE).stroke().restore();
    if (options.note) {
      const noteLines = layout(doc, [{ text: options.note.text, size: footSize + 0.5 * s, style: 'bold', color: options.note.color }], w);
      const top = ruleY - 2 * s - linesHeight(noteLines);
      noteLines.reduce((y, line) => drawLine(doc, line, x, y, w, 'center'), top);
    }
    for (const line of leftLines) drawLine(doc, line, x, row, w * 0.42);
    for (const line of nextLines) drawLine(doc, line, x + w * 0.42, row, w * 0.3, 'center');
    for (const line of pageLines) drawLine(doc, line, x + w * 0.75, row, w * 0.25, 'right');
  }
}
