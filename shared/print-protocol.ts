/**
 * How the main process talks to the print page (renderer/print.html) in its hidden window: it
 * evaluates `renderExpression(...)` there (webContents.executeJavaScript), which resolves once
 * every page is laid out for printing, then prints the window. No preload, no IPC: the page only
 * receives a PDF and answers with what it laid out. Pure (no DOM, no Node): both sides import it.
 */

export const PRINT_API = 'clinicPrint';

export interface PrintPage {
  /** The PDF page's size in points (1/72 inch), as printed. */
  widthPt: number;
  heightPt: number;
  /** The bitmap the page was rendered to. */
  pixelWidth: number;
  pixelHeight: number;
}

export interface RenderedPdf {
  pages: PrintPage[];
}

/** What the page exposes on `window[PRINT_API]`. */
export interface PrintPageApi {
  render(pdfBase64: string, title: string): Promise<RenderedPdf>;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The script the main process runs in the print window; it evaluates to render()'s promise. */
export function renderExpression(pdfBase64: string, title: string): string {
  // Checked so that nothing but base64 can ever reach the page's script.
  if (!BASE64.test(pdfBase64)) throw new Error('The PDF to print must be base64.');
  return `window.${PRINT_API}.render(${JSON.stringify(pdfBase64)}, ${JSON.stringify(title)})`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** The page's answer, checked: it comes back through executeJavaScript as untyped data. */
export function parseRendered(value: unknown): RenderedPdf {
  const pages = isRecord(value) ? value.pages : undefined;
  if (!Array.isArray(pages) || pages.length === 0) throw new Error('The print page rendered no pages.');
  return {
    pages: pages.map((p: unknown, i) => {
      if (!isRecord(p) || !positive(p.widthPt) || !positive(p.heightPt) || !positive(p.pixelWidth) || !positive(p.pixelHeight)) {
        throw new Error(`The print page answered with a malformed page ${i + 1}.`);
      }
      return { widthPt: p.widthPt, heightPt: p.heightPt, pixelWidth: p.pixelWidth, pixelHeight: p.pixelHeight };
    }),
  };
}
