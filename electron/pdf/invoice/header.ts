import { MUTED, RULE, type PageGeometry } from '../counter-page';
import { formatDate } from '../format';
import { ACCENT, drawLetterhead } from '../letterhead';
import { drawLine, drawLines, layout, type Doc } from '../text';
import type { InvoiceDoc } from './types';
import { numberOf, pairsRuns, SEX, titleOf } from './common';

/* The page header: letterhead, title, patient and number; laid out once, drawn on every page. */

export function pageHeader(doc: Doc, g: PageGeometry, d: InvoiceDoc): (page: number) => number {
  const s = g.scale;
  const x = g.left;
  const w = g.contentWidth;
  const body = 9.5 * s;
  const small = 8.5 * s;
  const num = numberOf(d);
  const titleLines = layout(doc, [{ text: titleOf(d), size: 15 * s, style: 'bold', color: ACCENT }], w);
  const rightWidth = Math.min(w * 0.4, 200 * s);
  const leftWidth = w - rightWidth - 10 * s;
  const patient = d.patient;
  const ageSex = [patient.age !== null && patient.age !== undefined ? `${patient.age} y` : '', patient.sex ? SEX[patient.sex] : ''].filter(Boolean).join(' / ');
  const ids: [string, string][] = [['MRN', patient.mrn.trim()]];
  if (patient.mobile?.trim()) ids.push(['Mobile', patient.mobile.trim()]);
  const patientLines = [
    ...layout(
      doc,
      [
        { text: d.kind === 'receipt' ? 'Received from: ' : d.kind === 'credit-note' ? 'Issued to: ' : 'Billed to: ', size: small, color: MUTED },
        { text: patient.name.trim(), size: 11 * s, style: 'bold' },
        ...(ageSex ? [{ text: ' ', size: body }, { text: `(${ageSex})`, size: body, keep: true }] : []),
      ],
      leftWidth,
    ),
    ...layout(doc, pairsRuns(ids, small), leftWidth),
  ];
  const metaPairs: [string, string][] = [
    [num.label, num.value],
    ['Date', formatDate(d.date)],
  ];
  if (d.kind === 'invoice' && d.documentType !== 'Bill of Supply') metaPairs.push(['Reverse charge', 'No']);
  // Rule 53(1A): the note names the invoice it is issued against, by number and date.
  if (d.kind === 'credit-note') metaPairs.push(['Against invoice', d.invoice.number], ['Invoice date', formatDate(d.invoice.date)]);
  if (d.kind === 'receipt') metaPairs.push(d.invoice ? [`${d.invoice.documentType === 'Bill of Supply' ? 'Bill' : 'Invoice'} No.`, d.invoice.number] : ['Towards', 'Advance']);
  const metaLines = metaPairs.flatMap(([label, value], i) =>
    layout(
      doc,
      [
        { text: `${label}: `, size: small, color: MUTED },
        { text: value, size: i < 2 ? body : small, style: i < 2 ? 'bold' : 'regular' },
      ],
      rightWidth,
    ),
  );
  const continuedLines = layout(doc, [{ text: '(continued)', size: small, color: MUTED }], w);
  const extraLines = d.clinic.gstin?.trim() ? [`GSTIN: ${d.clinic.gstin.trim().toUpperCase()}`] : [];

  const header = (page: number): number => {
    let y = drawLetterhead(
      doc,
      {
        name: d.clinic.name,
        address: d.clinic.address,
        phone: d.clinic.phone,
        timings: d.clinic.timings ?? null,
        tagline: d.clinic.tagline ?? null,
        logo: d.clinic.logo ?? null,
        extraLines,
      },
      { x, y: g.top, width: w, scale: s, doctor: d.doctor },
    );
    y = drawLines(doc, titleLines, x, y, w, 'center') + 3 * s;
    let left = y;
    for (const line of patientLines) left = drawLine(doc, line, x, left, leftWidth);
    let right = y;
    for (const line of metaLines) right = drawLine(doc, line, x + w - rightWidth, right, rightWidth, 'right');
    y = Math.max(left, right) + 4 * s;
    doc.save().moveTo(x, y).lineTo(x + w, y).lineWidth(0.6).strokeColor(RULE).stroke().restore();
    y += 6 * s;
    if (page > 1) y = drawLines(doc, continuedLines, x, y, w) + 3 * s;
    return y;
  };
  return header;
}
