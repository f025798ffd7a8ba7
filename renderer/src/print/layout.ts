/** Sizes for printing a PDF page as a picture. Pure, so it is tested without a browser. */

/** Small print (doses, Hindi instructions) stays sharp at 300 dpi, the resolution of office lasers. */
export const PRINT_DPI = 300;

/**
 * Largest bitmap per page: A4 at 300 dpi is 8.7 Mpx; anything larger (A3, posters) is rendered at
 * a lower resolution rather than exhausting the memory of a hidden window.
 */
export const MAX_PAGE_PIXELS = 16_000_000;

/** Device pixels per PDF point for a page of this size. */
export function pixelScale(widthPt: number, heightPt: number, dpi = PRINT_DPI, maxPixels = MAX_PAGE_PIXELS): number {
  const scale = dpi / 72;
  const pixels = widthPt * scale * heightPt * scale;
  return pixels > maxPixels ? scale * Math.sqrt(maxPixels / pixels) : scale;
}

const pt = (n: number) => `${Math.round(n * 100) / 100}pt`;

/** Paper the size of the PDF page, no margins: the page image fills the sheet exactly. */
export function pageRule(widthPt: number, heightPt: number): string {
  return `@page { size: ${pt(widthPt)} ${pt(heightPt)}; margin: 0; }`;
}

/** A page's box in CSS, the same size as its @page. */
export function pageBox(widthPt: number, heightPt: number): { width: string; height: string } {
  return { width: pt(widthPt), height: pt(heightPt) };
}
