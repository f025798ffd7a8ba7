// The legacy build: Electron's Chromium trails the browsers pdf.js's modern build targets (it
// calls e.g. Map.prototype.getOrInsertComputed, which the legacy build polyfills).
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { WorkerMessageHandler } from 'pdfjs-dist/legacy/build/pdf.worker.mjs';
import { pageBox, pageRule, pixelScale } from './layout';
import { PRINT_API, type PrintPage, type PrintPageApi, type RenderedPdf } from '../../../shared/print-protocol';
import './print.css';

declare global {
  // pdf.js looks here before starting a worker.
  var pdfjsWorker: { WorkerMessageHandler: unknown } | undefined;
  interface Window {
    [PRINT_API]?: PrintPageApi;
  }
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
async function renderPage(doc: PDFDocumentProxy, pageNumber: number): Promise<{ element: HTMLElement; page: PrintPage }> {
  const pdfPage = await doc.getPage(pageNumber);
  const natural = pdfPage.getViewport({ scale: 1 });
  const viewport = pdfPage.getViewport({ scale: pixelScale(natural.width, natural.height) });
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

async function render(pdfBase64: string, title: string): Promise<RenderedPdf> {
  const root = document.getElementById('pages');
  if (!root) throw new Error('The print page is incomplete (no #pages).');
  document.documentElement.dataset.state = 'rendering';
  root.replaceChildren();
  document.title = title;
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
    const pages: PrintPage[] = [];
    for (let n = 1; n <= doc.numPages; n += 1) {
      const { element, page } = await renderPage(doc, n);
      root.append(element);
      pages.push(page);
    }
    const first = pages[0];
    if (!first) throw new Error('the PDF has no pages');
    // Every PDF the app makes has one paper size throughout; the sheet is the first page's.
    const style = document.getElementById('page-size') ?? document.head.appendChild(Object.assign(document.createElement('style'), { id: 'page-size' }));
    style.textContent = pageRule(first.widthPt, first.heightPt);
    document.documentElement.dataset.state = 'ready';
    return { pages };
  } catch (error) {
    document.documentElement.dataset.state = 'error';
    throw new Error(`The document could not be prepared for printing: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await task.destroy();
  }
}

window[PRINT_API] = { render };
document.documentElement.dataset.state = 'waiting';
