// The legacy build: Electron's Chromium trails the browsers pdf.js's modern build targets (it
// calls e.g. Map.prototype.getOrInsertComputed, which the legacy build polyfills).
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { WorkerMessageHandler } from 'pdfjs-dist/legacy/build/pdf.worker.mjs';
import { pageBox, pixelScale, PRINT_DPI } from './layout';
import type { PrintPage } from '../../../shared/print-protocol';

/*
 * A PDF's pages as images, with pdf.js: for the print page (printed as pictures) and for the
 * in-app preview (shown as pictures). Loaded only where a PDF is shown: the screens import it lazily.
 */

declare global {
  // pdf.js looks here before starting a worker.
  var pdfjsWorker: { WorkerMessageHandler: unknown } | undefined;
}

// pdf.js parses in the page itself instead of a Web Worker: a worker script from file:// (the
// installed app) is refused as cross-origin and pdf.js's fallback, a blob: URL, is refused by the
// CSP. With the parser in the page there is no worker, no blob:, no eval and no fetch at all.
globalThis.pdfjsWorker = { WorkerMessageHandler };

function bytesOf(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function blobOf(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the page image could not be encoded'))), 'image/png'));
}

/**
 * One page as an image: Chromium prints images reliably where a large canvas may come out blank
 * or be re-rasterised (pdf.js's own print service does the same).
 */
async function renderPage(doc: PDFDocumentProxy, pageNumber: number, dpi: number): Promise<{ element: HTMLElement; page: PrintPage }> {
  const pdfPage = await doc.getPage(pageNumber);
  const natural = pdfPage.getViewport({ scale: 1 });
  const viewport = pdfPage.getViewport({ scale: pixelScale(natural.width, natural.height, dpi) });
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(viewport.width);
  canvas.height = Math.ceil(viewport.height);
  // The print intent also keeps pdf.js off requestAnimationFrame, which a hidden window may never run.
  await pdfPage.render({ canvas, viewport, intent: 'print', background: '#ffffff' }).promise;
  const image = new Image();
  image.src = URL.createObjectURL(await blobOf(canvas));
  image.alt = `Page ${pageNumber}`;
  await image.decode();
  const page: PrintPage = { widthPt: natural.width, heightPt: natural.height, pixelWidth: canvas.width, pixelHeight: canvas.height };
  // The bitmap now lives in the image; give the canvas memory back before the next page.
  canvas.width = 0;
  canvas.height = 0;
  pdfPage.cleanup();
  const box = document.createElement('div');
  box.className = 'page';
  box.dataset.page = String(pageNumber);
  Object.assign(box.style, pageBox(page.widthPt, page.heightPt));
  box.append(image);
  return { element: box, page };
}

/** Every page of the PDF, in order, each a `.page` box holding its image; fails on a damaged PDF. */
export async function renderPdfPages(pdfBase64: string, dpi = PRINT_DPI): Promise<{ element: HTMLElement; page: PrintPage }[]> {
  const task = getDocument({
    data: bytesOf(pdfBase64),
    // The CSP allows neither eval nor WebAssembly; say so rather than have pdf.js try them.
    isEvalSupported: false,
    useWasm: false,
    enableXfa: false,
    // A damaged PDF should fail the print, not come out with parts missing.
    stopAtErrors: true,
  });
  try {
    const doc = await task.promise;
    const pages: { element: HTMLElement; page: PrintPage }[] = [];
    for (let n = 1; n <= doc.numPages; n += 1) pages.push(await renderPage(doc, n, dpi));
    return pages;
  } finally {
    await task.destroy();
  }
}
