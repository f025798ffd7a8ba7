// The legacy build, as the print page uses (Electron's Chromium trails pdf.js's modern build).
import { getDocument, type PDFDocumentProxy, type RenderTask } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { WorkerMessageHandler } from 'pdfjs-dist/legacy/build/pdf.worker.mjs';

/*
 * pdf.js for the attachment viewer and the timeline's thumbnails. Imported lazily (`import()`) by
 * those screens so pdf.js stays out of the entry bundle; it shares its chunk with the print preview.
 */

// The parser runs in the page, not a Web Worker: see renderer/src/print/pdf-pages.ts for why.
globalThis.pdfjsWorker = { WorkerMessageHandler };

export type PdfDoc = PDFDocumentProxy;

/** Opens a PDF's bytes; the caller destroys it (`doc.destroy()`) when done. */
export async function openPdf(bytes: Uint8Array): Promise<PdfDoc> {
  // pdf.js takes ownership of the buffer it is given: hand it a copy so the caller's stays usable.
  return getDocument({ data: bytes.slice(), isEvalSupported: false, useWasm: false, enableXfa: false }).promise;
}

/**
 * Draws one page into a canvas `cssWidth` CSS pixels wide (sharp on high-density screens). Only the
 * latest request for a canvas draws: pdf.js refuses two drawings at once on one canvas, and pages
 * turned quickly would otherwise race (each waits for its page before drawing). An older request
 * returns without drawing; the drawing it started, if any, is cancelled quietly.
 */
const running = new WeakMap<HTMLCanvasElement, RenderTask>();
const latest = new WeakMap<HTMLCanvasElement, number>();
let requests = 0;
export async function drawPage(doc: PdfDoc, pageNumber: number, canvas: HTMLCanvasElement, cssWidth: number): Promise<void> {
  const mine = ++requests;
  latest.set(canvas, mine);
  const page = await doc.getPage(pageNumber);
  if (latest.get(canvas) !== mine) return;
  // Cancelled here, after the wait and just before drawing: pdf.js frees the canvas at once.
  running.get(canvas)?.cancel();
  const natural = page.getViewport({ scale: 1 });
  const ratio = window.devicePixelRatio || 1;
  const viewport = page.getViewport({ scale: (cssWidth / natural.width) * ratio });
  canvas.width = Math.ceil(viewport.width);
  canvas.height = Math.ceil(viewport.height);
  canvas.style.width = `${Math.round(cssWidth)}px`;
  canvas.style.height = `${Math.round(viewport.height / ratio)}px`;
  const task = page.render({ canvas, viewport, background: '#ffffff' });
  running.set(canvas, task);
  try {
    await task.promise;
  } catch (error) {
    // Overtaken by a newer request for this canvas: not a failure to show.
    if (latest.get(canvas) !== mine) return;
    throw error;
  } finally {
    if (running.get(canvas) === task) running.delete(canvas);
  }
}
