import { MUTED, type PageGeometry } from '../counter-page';
import { lineRows, spacer, type FlowBlock, type FlowRow, type TableStyle } from '../flow';
import { ACCENT } from '../letterhead';
import { drawLines, layout, linesHeight, type Doc, type Run } from '../text';
import type { InvoicePatient, InvoiceDoc } from './types';

/* Helpers the invoice and the receipt share: their number and title, label runs, tables and the signature. */

export const SEX: Record<NonNullable<InvoicePatient['sex']>, string> = { M: 'Male', F: 'Female', O: 'Other' };
export const GREEN = '#1b7a3a';
export const DUE_RED = '#c62828';

/** The number shown on every page and in the file's title. */
export function numberOf(d: InvoiceDoc): { label: string; value: string } {
  if (d.kind === 'credit-note') return { label: d.title === 'Credit Note' ? 'Credit Note No.' : 'Voucher No.', value: d.number };
  return d.kind === 'invoice' ? { label: 'Invoice No.', value: d.invoiceNumber } : { label: 'Receipt No.', value: d.receiptNumber };
}

export function titleOf(d: InvoiceDoc): string {
  if (d.kind === 'credit-note') return d.title;
  return d.kind === 'invoice' ? d.documentType : 'Payment Receipt';
}

/** Label + value runs kept whole on one line ("MRN: A-000123"), with separators that vanish at a break. */
export function pairsRuns(pairs: [string, string][], size: number): Run[] {
  return pairs.flatMap(([label, value], i) => {
    const runs: Run[] = [
      { text: `${label}: `, size, color: MUTED, keep: true },
      { text: value, size, keep: true },
    ];
    return i === 0 ? runs : [{ text: ' · ', size, color: MUTED, separator: true }, ...runs];
  });
}

export function tableStyle(g: PageGeometry, size: number): TableStyle {
  return { x: g.left, size, padX: 3 * g.scale, padY: 2.2 * g.scale };
}

export function heading(doc: Doc, text: string, size: number, width: number, x: number): FlowRow[] {
  return [...lineRows(doc, layout(doc, [{ text, size, style: 'bold', color: ACCENT }], width), x), spacer(2)];
}

export function signatureBlock(doc: Doc, g: PageGeometry, clinicName: string): FlowBlock {
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
