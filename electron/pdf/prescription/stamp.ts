import { drawLine, layout, linesHeight, type Doc } from '../text';
import { STAMP_TINT, type Geometry } from './geometry';

/**
 * The reprint stamp: a large rotated "DUPLICATE" in light red across the page, with the date. Drawn
 * first on each page, in a solid light tint, so the prescription's text lies on top of it.
 */
export function stamp(doc: Doc, g: Geometry, printedOn: string): void {
  diagonal(doc, g, 'DUPLICATE', `Reprinted on ${printedOn}`);
}

/** The preview's watermark: not a prescription a pharmacist may dispense from. */
export function previewMark(doc: Doc, g: Geometry): void {
  diagonal(doc, g, 'PREVIEW', 'not valid for dispensing');
}

function diagonal(doc: Doc, g: Geometry, word: string, subline: string): void {
  const big = layout(doc, [{ text: word, size: (g.width > 500 ? 84 : 60), style: 'bold', color: STAMP_TINT }], g.width);
  const sub = layout(doc, [{ text: subline, size: 18 * g.scale, style: 'bold', color: STAMP_TINT }], g.width);
  const lines = [...big, ...sub];
  const height = linesHeight(lines);
  const cx = g.width / 2;
  const cy = g.height / 2;
  doc.save();
  doc.rotate(-32, { origin: [cx, cy] });
  let y = cy - height / 2;
  // Hidden from text extraction (its letters would land between the lines of the prescription):
  // the footer says the same in plain text.
  for (const line of lines) y = drawLine(doc, line, cx - g.width / 2, y, g.width, 'center', '');
  doc.restore();
}
