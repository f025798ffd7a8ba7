import PDFDocument from 'pdfkit';
import { registerFonts } from '../fonts';
import { dateAtUtcMidnight, doctorTitle } from '../format';
import type { Doc } from '../text';
import type { Geometry } from './geometry';
import type { PrescriptionDoc } from './types';

/** The PDF document with its fonts, and the bytes it ends as; dated with the prescription's date (same input, same bytes). */
export function openPrescriptionDocument(g: Geometry, rx: PrescriptionDoc): { doc: Doc; done: Promise<Buffer> } {
  const created = dateAtUtcMidnight(rx.date);
  const doc: Doc = new PDFDocument({
    size: [g.width, g.height],
    margin: 0,
    autoFirstPage: false,
    bufferPages: true,
    pdfVersion: '1.4',
    lang: 'en-IN',
    info: {
      Title: `Prescription ${rx.rxNumber}`,
      Author: doctorTitle(rx.doctor.name),
      Creator: 'Clinic Workstation',
      Producer: 'PDFKit',
      CreationDate: created,
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
