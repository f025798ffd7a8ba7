/**
 * The printed prescription (NMC rules: generic names in capitals, the doctor's registration
 * number, the prescription number and date, a signature block), as a PDF from plain data.
 * Pure: no database, no clock (the PDF's creation date is the prescription's date, so the same
 * input gives the same document), fonts from resources/fonts.
 */
import QRCode from 'qrcode';
import { FONT } from '../fonts';
import { PageFlow } from '../flow';
import type { PrescriptionDoc, PrescriptionPdfOptions } from './types';
import { geometry } from './geometry';
import { openPrescriptionDocument } from './document';
import { pageHeader } from './header';
import { contentBlocks, signatureBlock } from './body';
import { drawPrescriptionFooters } from './footer';

/** What the QR code carries: the prescription number and the verification hash. */
export function qrPayload(doc: Pick<PrescriptionDoc, 'rxNumber' | 'verification'>): string {
  return `RX:${doc.rxNumber};H:${doc.verification.hash}`;
}

export async function renderPrescriptionPdf(rx: PrescriptionDoc, options: PrescriptionPdfOptions): Promise<Buffer> {
  const g = geometry(options);
  const hindi = options.language === 'en+hi';
  // Greyscale without an alpha channel: an RGBA PNG becomes an image with a soft mask (transparency),
  // and CUPS's PostScript path (pdftops → Ghostscript ps2write) then rasterises the whole page.
  // rendererOpts go to pngjs, which also takes colorType (0: greyscale); the typings list only the deflate options.
  const pngOptions = { deflateLevel: 9, colorType: 0 };
  const qrPng = await QRCode.toBuffer(qrPayload(rx), { type: 'png', errorCorrectionLevel: 'M', margin: 1, scale: 4, rendererOpts: pngOptions });

  const { doc, done } = openPrescriptionDocument(g, rx);
  const pager = new PageFlow(doc, g, g.contentBottom, pageHeader(doc, g, rx, options));
  pager.newPage();
  // Laid out in reading order once the first page (and its header) is there.
  const blocks = contentBlocks(doc, g, rx, hindi);
  blocks.push(signatureBlock(doc, g, rx, qrPng));
  pager.placeAll(blocks);
  drawPrescriptionFooters(doc, g, rx);

  doc.font(FONT.regular);
  doc.end();
  return done;
}

export type { PrescriptionClinic, PrescriptionDoc, PrescriptionDoctor, PrescriptionPatient, PrescriptionPdfOptions } from './types';
export { dosageLine, dosageLineHi, dosageParts, dosagePartsHi, itemTitleRuns } from './dosage';
