import { drawFooters, MUTED, openDocument, pageGeometry, RULE } from './counter-page';
import { fitTable, lineRows, PageFlow, tableBlock, tableRow, type Cell, type ColumnSpec, type FlowBlock } from './flow';
import { FONT } from './fonts';
import { formatDate } from './format';
import { ACCENT, drawLetterhead, type ImageSource } from './letterhead';
import { drawLines, layout } from './text';

/**
 * The Schedule H1 register for inspection (Drugs and Cosmetics Rules, rule 65(3)(a) as amended):
 * per H1 drug supplied, the date, the patient's name and address, the prescriber's name and
 * registration, the drug, the batch and the quantity, as written at the time. Pure: rows in, PDF
 * bytes out; the creation date is the range's last day.
 */

export interface H1RegisterDoc {
  clinic: { name: string; address: string; phone: string; logo?: ImageSource; extraLines: string[] };
  range: { from: string; to: string };
  rows: { dispensedOn: string; patientName: string; patientAddress: string; prescriberName: string; prescriberRegistration: string | null; drugName: string; batchNumber: string; qty: number }[];
}

const COLUMNS: ColumnSpec[] = [
  { header: 'Date', align: 'left' },
  { header: 'Patient name and address', align: 'left', flex: true, minWidth: 120 },
  { header: 'Prescriber and registration', align: 'left', minWidth: 90, wrapHeader: true },
  { header: 'Drug', align: 'left', minWidth: 80 },
  { header: 'Batch', align: 'left' },
  { header: 'Qty', align: 'right' },
];

export async function renderH1RegisterPdf(d: H1RegisterDoc): Promise<Buffer> {
  const g = pageGeometry('A4');
  const { doc, done } = openDocument(g, { title: `Schedule H1 register ${d.range.from} to ${d.range.to}`, author: d.clinic.name.trim(), date: d.range.to });
  const s = g.scale;
  const w = g.contentWidth;
  const title = [
    ...layout(doc, [{ text: 'Schedule H1 Register', size: 15 * s, style: 'bold', color: ACCENT }], w),
    ...layout(doc, [{ text: `${formatDate(d.range.from)} to ${formatDate(d.range.to)} · ${d.rows.length} entr${d.rows.length === 1 ? 'y' : 'ies'}`, size: 9.5 * s, style: 'bold' }], w),
  ];
  const header = (): number => {
    let y = drawLetterhead(doc, { name: d.clinic.name, address: d.clinic.address, phone: d.clinic.phone, logo: d.clinic.logo ?? null, extraLines: d.clinic.extraLines }, { x: g.left, y: g.top, width: w, scale: s, doctor: null });
    y = drawLines(doc, title, g.left, y, w, 'center') + 4 * s;
    doc.save().moveTo(g.left, y).lineTo(g.left + w, y).lineWidth(0.6).strokeColor(RULE).stroke().restore();
    return y + 4 * s;
  };
  const cells: Cell[][] = d.rows.map((r) => [
    formatDate(r.dispensedOn),
    `${r.patientName}\n${r.patientAddress}`,
    r.prescriberRegistration ? `${r.prescriberName}\nReg. ${r.prescriberRegistration}` : r.prescriberName,
    r.drugName,
    r.batchNumber,
    String(r.qty),
  ]);
  const blocks: FlowBlock[] = [];
  if (cells.length === 0) {
    blocks.push({ rows: lineRows(doc, layout(doc, [{ text: 'No Schedule H1 drug was supplied in these dates.', size: 10 * s, color: MUTED }], w), g.left), before: 8 * s });
  } else {
    const fitted = fitTable(doc, COLUMNS, cells, w, { x: g.left, size: 8.5 * s, padX: 3 * s, padY: 2 * s }, 6);
    blocks.push(tableBlock(doc, fitted.columns, cells.map((r) => tableRow(doc, fitted.columns, r, fitted.style)), fitted.style, { before: 6 * s }));
  }
  const flow = new PageFlow(doc, g, g.contentBottom, header);
  flow.newPage();
  flow.placeAll(blocks);
  drawFooters(doc, g, { left: `Schedule H1 register ${formatDate(d.range.from)} to ${formatDate(d.range.to)}`, note: null });
  doc.font(FONT.regular);
  doc.end();
  return done;
}
