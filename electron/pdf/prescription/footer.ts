import { formatDate } from '../format';
import { drawLine, layout, linesHeight, type Doc } from '../text';
import { partsRuns } from './dosage';
import { MUTED, RULE, STAMP, type Geometry } from './geometry';
import type { PrescriptionDoc } from './types';

/** Footers (and the reprint or preview note) on every page, once the number of pages is known. */
export function drawPrescriptionFooters(doc: Doc, g: Geometry, rx: PrescriptionDoc): void {
  const duplicate = rx.duplicate ?? null;
  const s = g.scale;
  const x = g.left;
  const w = g.contentWidth;
  const range = doc.bufferedPageRange();
  const total = range.count;
  const footSize = 7.5 * s;
  for (let i = 0; i < total; i += 1) {
    doc.switchToPage(range.start + i);
    const page = i + 1;
    // From the bottom up: the row (number, continuation, page), a rule, the reprint note.
    const leftLines = layout(
      doc,
      partsRuns([`Rx No. ${rx.rxNumber}`, formatDate(rx.date)], ' · ', footSize, MUTED),
      w * 0.4,
    ).slice(0, 1);
    const pageLines = layout(doc, [{ text: `Page ${page} of ${total}`, size: footSize, color: MUTED }], w * 0.3);
    const nextLines =
      page < total ? layout(doc, [{ text: `Continued on page ${page + 1}`, size: footSize, style: 'bold' }], w * 0.3) : [];
    const row = g.footerBottom - Math.max(linesHeight(leftLines), linesHeight(pageLines));
    const ruleY = row - 3 * s;
    doc.save().moveTo(x, ruleY).lineTo(x + w, ruleY).lineWidth(0.5).strokeColor(RULE).stroke().restore();
    const note = rx.preview ? 'PREVIEW — not valid for dispensing' : duplicate ? `DUPLICATE — reprinted on ${formatDate(duplicate.printedOn)}` : null;
    if (note) {
      const dupLines = layout(doc, [{ text: note, size: footSize + 0.5 * s, style: 'bold', color: STAMP }], w);
      const top = ruleY - 2 * s - linesHeight(dupLines);
      dupLines.reduce((y, line) => drawLine(doc, line, x, y, w, 'center'), top);
    }
    for (const line of leftLines) drawLine(doc, line, x, row, w * 0.4);
    for (const line of nextLines) drawLine(doc, line, x + w * 0.35, row, w * 0.3, 'center');
    for (const line of pageLines) drawLine(doc, line, x + w * 0.7, row, w * 0.3, 'right');
  }
}
