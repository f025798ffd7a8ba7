import { formatAbha, formatDate } from '../format';
import { drawLetterhead } from '../letterhead';
import { drawLine, layout, type Doc, type Line, type Run } from '../text';
import { MUTED, RULE, SEX, type Geometry } from './geometry';
import { previewMark, stamp } from './stamp';
import type { PrescriptionDoc, PrescriptionPdfOptions } from './types';

/** The page header: letterhead (unless a pre-printed pad), patient, date and number; laid out once, drawn on every page. */
export function pageHeader(doc: Doc, g: Geometry, rx: PrescriptionDoc, options: PrescriptionPdfOptions): (page: number) => number {
  const duplicate = rx.duplicate ?? null;
  const s = g.scale;
  const x = g.left;
  const w = g.contentWidth;
  const body = 10 * s;
  const small = 8.5 * s;
  const rightWidth = Math.min(w * 0.36, 170 * s);
  const leftWidth = w - rightWidth - 10 * s;
  const patientLines = patientBlock(doc, g, rx, leftWidth);
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
    if (rx.preview) previewMark(doc, g);
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
  return header;
}

/** The patient's name, age and sex, then MRN, ABHA number and mobile. */
function patientBlock(doc: Doc, g: Geometry, rx: PrescriptionDoc, leftWidth: number): Line[] {
  const s = g.scale;
  const body = 10 * s;
  const small = 8.5 * s;
  const sex = SEX[rx.patient.sex] ?? rx.patient.sex;
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
  const address = rx.patient.address?.trim();
  return [
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
    // The pharmacist records it at supply (Drugs and Cosmetics Rules r.65).
    ...(address
      ? layout(
          doc,
          [
            { text: 'Address: ', size: small, color: MUTED },
            { text: address, size: small },
          ],
          leftWidth,
        )
      : []),
  ];
}
