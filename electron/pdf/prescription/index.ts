/**
 * The printed prescription (NMC rules: generic names in capitals, the doctor's registration
 * number, the prescription number and date, a signature block), as a PDF from plain data.
 * Pure: no database, no clock (the PDF's creation date is the prescription's date, so the same
 * input gives the same document), fonts from resources/fonts.
 */
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { FONT, registerFonts } from '../fonts';
import { dateAtUtcMidnight, doctorTitle, formatAbha, formatDate } from '../format';
import { ACCENT, drawLetterhead } from '../letterhead';
import { drawLine, layout, linesHeight, type Doc, type Run } from '../text';
import { lineRows, PageFlow, type FlowBlock, type FlowRow } from '../flow';
import type { PrescriptionDoc, PrescriptionPdfOptions } from './types';
import { MUTED, RULE, STAMP, SEX, geometry } from './geometry';
import { dosageParts, dosagePartsHi, partsRuns, itemTitleRuns } from './dosage';
import { stamp } from './stamp';

/** What the QR code carries: the prescription number and the verification hash. */
export function qrPayload(doc: Pick<PrescriptionDoc, 'rxNumber' | 'verification'>): string {
  return `RX:${doc.rxNumber};H:${doc.verification.hash}`;
}

export async function renderPrescriptionPdf(rx: PrescriptionDoc, options: PrescriptionPdfOptions): Promise<Buffer> {
  const duplicate = rx.duplicate ?? null;
  const g = geometry(options);
  const s = g.scale;
  const hindi = options.language === 'en+hi';
  // Greyscale without an alpha channel: an RGBA PNG becomes an image with a soft mask (transparency),
  // and CUPS's PostScript path (pdftops → Ghostscript ps2write) then rasterises the whole page.
  // rendererOpts go to pngjs, which also takes colorType (0: greyscale); the typings list only the deflate options.
  const pngOptions = { deflateLevel: 9, colorType: 0 };
  const qrPng = await QRCode.toBuffer(qrPayload(rx), { type: 'png', errorCorrectionLevel: 'M', margin: 1, scale: 4, rendererOpts: pngOptions });
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

  const x = g.left;
  const w = g.contentWidth;
  const body = 10 * s;
  const small = 8.5 * s;

  // Patient line, date and number: laid out once, drawn at the top of every page.
  const sex = SEX[rx.patient.sex] ?? rx.patient.sex;
  const rightWidth = Math.min(w * 0.36, 170 * s);
  const leftWidth = w - rightWidth - 10 * s;
  // Label and value never split across lines; " · " between them may.
  const idRuns: Run[] = [
    { text: 'MRN: ', size: small, color: MUTED, keep: true },
    { text: rx.patient.mrn.trim(), size: small, style: 'bold', keep: true },
  ];
  const addId = (label: string, value: string): void => {
    idRuns.push(
      { text: ' · ', size: small, color: MUTED, separator: true },
      { text: `${label}: `, size: small, color: MUTED, keep: true },
      { text: value, size: small, keep: true },
    );
  };
  if (rx.patient.abhaNumber?.trim()) addId('ABHA', formatAbha(rx.patient.abhaNumber));
  if (rx.patient.mobile?.trim()) addId('Mobile', rx.patient.mobile.trim());
  const patientLines = [
    ...layout(
      doc,
      [
        { text: rx.patient.name.trim(), size: 11 * s, style: 'bold' },
        { text: ' ', size: body },
        { text: `(${rx.patient.age} y / ${sex})`, size: body, keep: true },
      ],
      leftWidth,
    ),
    ...layout(doc, idRuns, leftWidth),
  ];
  const dateLines = [
    ...layout(
      doc,
      [
        { text: 'Date: ', size: small, color: MUTED },
        { text: formatDate(rx.date), size: body, style: 'bold' },
      ],
      rightWidth,
    ),
    ...layout(
      doc,
      [
        { text: 'Rx No.: ', size: small, color: MUTED },
        { text: rx.rxNumber, size: body, style: 'bold' },
      ],
      rightWidth,
    ),
  ];
  const continuedLines = layout(doc, [{ text: '(continued)', size: small, color: MUTED }], w);

  const header = (page: number): number => {
    // The reprint stamp goes down first, under everything else on the page.
    if (duplicate) stamp(doc, g, formatDate(duplicate.printedOn));
    let y = g.top;
    if (options.letterhead) {
      y = drawLetterhead(
        doc,
        {
          name: rx.clinic.name,
          address: rx.clinic.address,
          phone: rx.clinic.phone,
          timings: rx.clinic.timings ?? null,
          tagline: rx.clinic.tagline ?? null,
          logo: rx.clinic.logo ?? null,
        },
        { x, y, width: w, scale: s, doctor: rx.doctor },
      );
    }
    let left = y;
    for (const line of patientLines) left = drawLine(doc, line, x, left, leftWidth);
    let right = y;
    for (const line of dateLines) right = drawLine(doc, line, x + w - rightWidth, right, rightWidth, 'right');
    y = Math.max(left, right) + 4 * s;
    doc.save().moveTo(x, y).lineTo(x + w, y).lineWidth(0.6).strokeColor(RULE).stroke().restore();
    y += 6 * s;
    if (page > 1) {
      for (const line of continuedLines) y = drawLine(doc, line, x, y, w);
      y += 4 * s;
    }
    return y;
  };

  const pager = new PageFlow(doc, g, g.contentBottom, header);
  pager.newPage();
  const blocks: FlowBlock[] = [];

  const labelled = (label: string, text: string, before: number): FlowBlock => {
    const lines = layout(
      doc,
      [
        { text: `${label}: `, size: body, style: 'bold', color: ACCENT },
        { text: text.trim(), size: body },
      ],
      w,
    );
    return { rows: lineRows(doc, lines, x), before, keepTogether: true };
  };

  // Diagnosis first (as the doctor writes it), then the drugs.
  const diagnoses = rx.diagnoses.map((d) => d.trim()).filter((d) => d !== '');
  if (diagnoses.length > 0) blocks.push(labelled(diagnoses.length > 1 ? 'Diagnoses' : 'Diagnosis', diagnoses.join('; '), 0));

  // Rx and the items; the heading stays with the first item.
  const rxLines = layout(doc, [{ text: 'Rx', size: 16 * s, style: 'bold', color: ACCENT }], w);
  const numberWidth = 20 * s;
  const itemX = x + numberWidth;
  const itemWidth = w - numberWidth;
  rx.items.forEach((item, index) => {
    const rows: FlowRow[] = [];
    if (index === 0) rows.push(...lineRows(doc, rxLines, x));
    const title = layout(doc, itemTitleRuns(item, 11 * s), itemWidth);
    const number = layout(doc, [{ text: `${index + 1}.`, size: 11 * s, style: 'bold' }], numberWidth);
    title.forEach((line, i) => {
      rows.push({
        height: line.height,
        draw: (top) => {
          drawLine(doc, line, itemX, top);
          const n = number[0];
          if (i === 0 && n) drawLine(doc, n, x, top + line.ascent - n.ascent);
        },
      });
    });
    rows.push(...lineRows(doc, layout(doc, partsRuns(dosageParts(item), ' · ', body), itemWidth), itemX));
    if (item.instructions?.trim()) {
      rows.push(...lineRows(doc, layout(doc, [{ text: item.instructions.trim(), size: body, color: MUTED }], itemWidth), itemX));
    }
    if (hindi) {
      const hiParts = dosagePartsHi(item);
      if (hiParts.length > 0) rows.push(...lineRows(doc, layout(doc, partsRuns(hiParts, ', ', body), itemWidth), itemX));
      if (item.instructionsHi?.trim()) {
        rows.push(...lineRows(doc, layout(doc, [{ text: item.instructionsHi.trim(), size: body, color: MUTED }], itemWidth), itemX));
      }
    }
    blocks.push({ rows, before: (index === 0 ? 8 : 6) * s, keepTogether: true });
  });
  if (rx.items.length === 0) blocks.push({ rows: lineRows(doc, rxLines, x), before: 8 * s, keepTogether: true });

  const gap = 9 * s;
  if (rx.investigations?.trim()) blocks.push(labelled('Investigations', rx.investigations, gap + 2 * s));
  if (rx.advice?.trim() || (hindi && rx.adviceHi?.trim())) {
    const rows: FlowRow[] = [];
    const runs: Run[] = [{ text: 'Advice: ', size: body, style: 'bold', color: ACCENT }];
    if (rx.advice?.trim()) runs.push({ text: rx.advice.trim(), size: body });
    rows.push(...lineRows(doc, layout(doc, runs, w), x));
    if (hindi && rx.adviceHi?.trim()) rows.push(...lineRows(doc, layout(doc, [{ text: rx.adviceHi.trim(), size: body }], w), x));
    blocks.push({ rows, before: gap, keepTogether: true });
  }
  if (rx.diet?.trim()) blocks.push(labelled('Diet', rx.diet, gap));
  if (rx.followUpDate?.trim()) {
    const rows = lineRows(
      doc,
      layout(
        doc,
        [
          { text: 'Follow-up: ', size: body, style: 'bold', color: ACCENT },
          { text: formatDate(rx.followUpDate), size: body, style: 'bold' },
          ...(hindi ? [{ text: `   (${formatDate(rx.followUpDate)} को दोबारा दिखाएँ)`, size: body }] : []),
        ],
        w,
      ),
      x,
    );
    blocks.push({ rows, before: gap, keepTogether: true });
  }

  // QR code on the left, signature block on the right, kept together at the end.
  const qrSize = 64 * s;
  const sigWidth = Math.min(200 * s, w * 0.5);
  const sigSpace = 26 * s;
  const sigRuns: Run[][] = (
    [
      [{ text: doctorTitle(rx.doctor.name), size: body, style: 'bold' }],
      [{ text: rx.doctor.qualifications.trim(), size: small }],
      [{ text: `Reg. No. ${rx.doctor.registrationNumber.trim()}`, size: small }],
      [{ text: rx.doctor.registrationCouncil.trim(), size: small, color: MUTED }],
    ] satisfies Run[][]
  ).filter((r) => (r[0]?.text ?? '') !== '');
  const sigLines = sigRuns.flatMap((runs) => layout(doc, runs, sigWidth));
  const captionLines = layout(doc, [{ text: 'Scan to verify', size: 6.5 * s, color: MUTED }], qrSize + 40 * s);
  const qrBlockHeight = qrSize + 2 * s + linesHeight(captionLines);
  const sigHeight = sigSpace + 3 * s + linesHeight(sigLines);
  blocks.push({
    before: 10 * s,
    keepTogether: true,
    keepWithPrevious: true,
    rows: [
      {
        height: Math.max(qrBlockHeight, sigHeight),
        draw: (top) => {
          doc.image(qrPng, x, top, { width: qrSize, height: qrSize });
          let cy = top + qrSize + 2 * s;
          for (const line of captionLines) cy = drawLine(doc, line, x, cy);
          const sx = x + w - sigWidth;
          const lineY = top + sigSpace;
          doc.save().moveTo(sx, lineY).lineTo(x + w, lineY).lineWidth(0.7).strokeColor('#000000').stroke().restore();
          let sy = lineY + 3 * s;
          for (const line of sigLines) sy = drawLine(doc, line, sx, sy, sigWidth, 'center');
        },
      },
    ],
  });

  pager.placeAll(blocks);

  // Footers (and the DUPLICATE stamp) once the number of pages is known.
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
    if (duplicate) {
      const dupLines = layout(
        doc,
        [{ text: `DUPLICATE — reprinted on ${formatDate(duplicate.printedOn)}`, size: footSize + 0.5 * s, style: 'bold', color: STAMP }],
        w,
      );
      const top = ruleY - 2 * s - linesHeight(dupLines);
      dupLines.reduce((y, line) => drawLine(doc, line, x, y, w, 'center'), top);
    }
    for (const line of leftLines) drawLine(doc, line, x, row, w * 0.4);
    for (const line of nextLines) drawLine(doc, line, x + w * 0.35, row, w * 0.3, 'center');
    for (const line of pageLines) drawLine(doc, line, x + w * 0.7, row, w * 0.3, 'right');
  }

  doc.font(FONT.regular);
  doc.end();
  return done;
}

export type { PrescriptionClinic, PrescriptionDoc, PrescriptionDoctor, PrescriptionPatient, PrescriptionPdfOptions } from './types';
export { dosageLine, dosageLineHi, dosageParts, dosagePartsHi, itemTitleRuns } from './dosage';
