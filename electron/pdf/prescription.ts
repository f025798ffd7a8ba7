import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { PrescriptionItem } from '../../db/schema/prescriptions';
import { durationWords, parseFrequency, routeWords, timingWords } from '../../shared/dosage';
import type { Paper } from '../../shared/paper';
import { FONT, registerFonts } from './fonts';
import { dateAtUtcMidnight, doctorTitle, formatAbha, formatDate, mm } from './format';
import { ACCENT, drawLetterhead, type ImageSource } from './letterhead';
import { drawLine, layout, linesHeight, type Doc, type Line, type Run } from './text';

/**
 * The printed prescription (NMC rules: generic names in capitals, the doctor's registration
 * number, the prescription number and date, a signature block), as a PDF from plain data.
 * Pure: no database, no clock (the PDF's creation date is the prescription's date, so the same
 * input gives the same document), fonts from resources/fonts.
 */

export interface PrescriptionClinic {
  name: string;
  address: string;
  phone: string;
  timings?: string | null;
  tagline?: string | null;
  /** data: URL of a PNG or JPEG (or its bytes). */
  logo?: ImageSource;
}

export interface PrescriptionDoctor {
  /** Full name; "Dr." is added unless it is already there. */
  name: string;
  qualifications: string;
  registrationCouncil: string;
  registrationNumber: string;
  specialization?: string | null;
}

export interface PrescriptionPatient {
  name: string;
  /** Years. */
  age: number;
  sex: 'M' | 'F' | 'O';
  mrn: string;
  /** 14 digits; printed as 91-1234-5678-9012. */
  abhaNumber?: string | null;
  mobile?: string | null;
}

export interface PrescriptionDoc {
  clinic: PrescriptionClinic;
  doctor: PrescriptionDoctor;
  patient: PrescriptionPatient;
  rxNumber: string;
  /** YYYY-MM-DD; printed as DD-MM-YYYY. */
  date: string;
  diagnoses: string[];
  items: PrescriptionItem[];
  advice?: string | null;
  adviceHi?: string | null;
  diet?: string | null;
  investigations?: string | null;
  /** YYYY-MM-DD. */
  followUpDate?: string | null;
  /** The hash of the printed content, carried in the QR code. */
  verification: { hash: string };
  /** Set on every reprint: each page is stamped DUPLICATE with the reprint date. */
  duplicate?: { printedOn: string } | null;
}

export interface PrescriptionPdfOptions {
  paper: Paper;
  /** false for pre-printed pads: the top margin is left blank. */
  letterhead: boolean;
  /** Where the content starts (below a pad's printed header when letterhead is off). */
  marginTopMm: number;
  marginLeftMm: number;
  language: 'en' | 'en+hi';
  /** Default: the left margin, kept between 6 and 15 mm. */
  marginRightMm?: number;
  /** Default: 10 mm on A4, 8 mm on A5 (more for pads with a printed footer). */
  marginBottomMm?: number;
}

const PAPER: Record<PrescriptionPdfOptions['paper'], { width: number; height: number; scale: number }> = {
  A4: { width: 595.28, height: 841.89, scale: 1 },
  A5: { width: 419.53, height: 595.28, scale: 0.86 },
};

const MUTED = '#444444';
const RULE = '#9aa5b1';
const STAMP = '#e53935';
/** STAMP at 28% on white, as a solid colour: no transparency, which PostScript printing paths rasterise. */
const STAMP_TINT = '#f8c8c6';

const SEX: Record<PrescriptionPatient['sex'], string> = { M: 'Male', F: 'Female', O: 'Other' };

/** What the QR code carries: the prescription number and the verification hash. */
export function qrPayload(doc: Pick<PrescriptionDoc, 'rxNumber' | 'verification'>): string {
  return `RX:${doc.rxNumber};H:${doc.verification.hash}`;
}

interface Geometry {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  contentWidth: number;
  /** Lowest y content may reach (the footer is below). */
  contentBottom: number;
  footerTop: number;
  /** The bottom margin's edge: the footer's last line ends here. */
  footerBottom: number;
  scale: number;
}

function geometry(options: PrescriptionPdfOptions): Geometry {
  const paper = PAPER[options.paper];
  if (!paper) throw new RangeError(`paper must be A4 or A5, not ${String(options.paper)}`);
  const check = (name: string, value: number | undefined): void => {
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) throw new RangeError(`${name} must be 0 or more`);
  };
  check('marginTopMm', options.marginTopMm);
  check('marginLeftMm', options.marginLeftMm);
  check('marginRightMm', options.marginRightMm);
  check('marginBottomMm', options.marginBottomMm);
  const scale = paper.scale;
  const left = mm(options.marginLeftMm);
  const right = mm(options.marginRightMm ?? Math.min(15, Math.max(6, options.marginLeftMm)));
  const top = mm(options.marginTopMm);
  const bottom = mm(options.marginBottomMm ?? (options.paper === 'A4' ? 10 : 8));
  const contentWidth = paper.width - left - right;
  // The same with or without the reprint note, so a reprint breaks pages where the original did.
  const footerHeight = 24 * scale;
  const footerTop = paper.height - bottom - footerHeight;
  if (contentWidth < paper.width * 0.45) {
    throw new RangeError('the left and right margins leave too little width for the prescription');
  }
  if (footerTop - top < paper.height * 0.4) {
    throw new RangeError('the top and bottom margins leave too little height for the prescription');
  }
  return {
    width: paper.width,
    height: paper.height,
    left,
    right,
    top,
    contentWidth,
    contentBottom: footerTop - 4 * scale,
    footerTop,
    footerBottom: paper.height - bottom,
    scale,
  };
}

/** One line-high (or taller) piece of a block, drawn with its top at a given y. */
interface Row {
  height: number;
  draw: (top: number) => void;
}

interface Block {
  rows: Row[];
  /** Space above the block (dropped at the top of a page). */
  before: number;
  /** Moved whole to the next page rather than split, when it fits on one. */
  keepTogether: boolean;
  /** Never alone at the top of a page: the block before it moves along (the signature). */
  keepWithPrevious?: boolean;
}

function linesRows(doc: Doc, lines: Line[], x: number, width?: number, align?: 'left' | 'right' | 'center'): Row[] {
  return lines.map((line) => ({ height: line.height, draw: (top: number) => void drawLine(doc, line, x, top, width, align) }));
}

/** Places blocks down the page, starting a new page (with the header) when one does not fit. */
class Pager {
  y = 0;
  pages = 0;
  private pageTop = 0;

  constructor(
    private readonly doc: Doc,
    private readonly g: Geometry,
    private readonly header: (page: number) => number,
  ) {}

  newPage(): void {
    this.doc.addPage({ size: [this.g.width, this.g.height], margin: 0 });
    this.pages += 1;
    this.y = this.header(this.pages);
    this.pageTop = this.y;
  }

  private get capacity(): number {
    return this.g.contentBottom - this.pageTop;
  }

  /** Places the blocks in order; see {@link Block} for how they are kept together. */
  placeAll(blocks: Block[]): void {
    blocks.forEach((block, i) => {
      const next = blocks[i + 1];
      this.place(block, next?.keepWithPrevious ? next : undefined);
    });
  }

  private place(block: Block, withNext?: Block): void {
    const height = (b: Block): number => b.rows.reduce((s, r) => s + r.height, 0);
    let total = height(block);
    if (withNext) total += withNext.before + height(withNext);
    const atTop = this.y === this.pageTop;
    const together = block.keepTogether || withNext !== undefined;
    if (together && !atTop && total <= this.capacity && this.y + block.before + total > this.g.contentBottom) {
      this.newPage();
    }
    if (this.y !== this.pageTop) this.y += block.before;
    for (const row of block.rows) {
      if (this.y + row.height > this.g.contentBottom && this.y !== this.pageTop) this.newPage();
      row.draw(this.y);
      this.y += row.height;
    }
  }
}

/** The parts of an item's dosage line: "1 tablet", "1-0-1 (morning and night)", "after food", ... */
export function dosageParts(item: PrescriptionItem): string[] {
  const freq = parseFrequency(item.frequency);
  const parts = [
    item.dose.trim(),
    // Shorthand with its words ("1-0-1 (morning and night)"); words as the doctor wrote them.
    freq?.shorthand ? `${freq.shorthand} (${freq.en})` : item.frequency.trim(),
    timingWords(item.timing, 'en'),
    routeWords(item.route, 'en'),
    durationWords(item.durationDays, 'en'),
    item.quantity !== null && item.quantity !== undefined ? `Qty: ${item.quantity}` : '',
  ];
  return parts.filter((p) => p !== '');
}

/** The same in Hindi, without the dose and quantity: "सुबह और रात", "खाने के बाद", "5 दिन तक". */
export function dosagePartsHi(item: PrescriptionItem): string[] {
  const freq = parseFrequency(item.frequency);
  const parts = [
    freq?.hi ?? '',
    timingWords(item.timing, 'hi'),
    routeWords(item.route, 'hi'),
    durationWords(item.durationDays, 'hi'),
  ];
  return parts.filter((p) => p !== '');
}

/** "1 tablet · 1-0-1 (morning and night) · after food · for 5 days · Qty: 10" */
export function dosageLine(item: PrescriptionItem): string {
  return dosageParts(item).join(' · ');
}

/** "सुबह और रात, खाने के बाद, 5 दिन तक" */
export function dosageLineHi(item: PrescriptionItem): string {
  return dosagePartsHi(item).join(', ');
}

/** Parts kept whole, with a separator between them that disappears at a line break. */
function partsRuns(parts: string[], separator: string, size: number, color?: string): Run[] {
  return parts.flatMap((text, i) => {
    const part: Run = { text, size, keep: true, ...(color ? { color } : {}) };
    return i === 0 ? [part] : [{ text: separator, size, separator: true, ...(color ? { color } : {}) }, part];
  });
}

/** "PARACETAMOL 500 mg" in bold, then " tablet (Crocin)". */
export function itemTitleRuns(item: PrescriptionItem, size: number): Run[] {
  const strength = item.strength?.trim();
  const runs: Run[] = [
    { text: `${item.genericName.trim().toUpperCase()}${strength ? ` ${strength}` : ''}`, size, style: 'bold' },
  ];
  const rest = [item.form.trim(), item.brand?.trim() ? `(${item.brand.trim()})` : ''].filter((s) => s !== '').join(' ');
  if (rest) runs.push({ text: ` ${rest}`, size });
  return runs;
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

  const pager = new Pager(doc, g, header);
  pager.newPage();
  const blocks: Block[] = [];

  const labelled = (label: string, text: string, before: number): Block => {
    const lines = layout(
      doc,
      [
        { text: `${label}: `, size: body, style: 'bold', color: ACCENT },
        { text: text.trim(), size: body },
      ],
      w,
    );
    return { rows: linesRows(doc, lines, x), before, keepTogether: true };
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
    const rows: Row[] = [];
    if (index === 0) rows.push(...linesRows(doc, rxLines, x));
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
    rows.push(...linesRows(doc, layout(doc, partsRuns(dosageParts(item), ' · ', body), itemWidth), itemX));
    if (item.instructions?.trim()) {
      rows.push(...linesRows(doc, layout(doc, [{ text: item.instructions.trim(), size: body, color: MUTED }], itemWidth), itemX));
    }
    if (hindi) {
      const hiParts = dosagePartsHi(item);
      if (hiParts.length > 0) rows.push(...linesRows(doc, layout(doc, partsRuns(hiParts, ', ', body), itemWidth), itemX));
      if (item.instructionsHi?.trim()) {
        rows.push(...linesRows(doc, layout(doc, [{ text: item.instructionsHi.trim(), size: body, color: MUTED }], itemWidth), itemX));
      }
    }
    blocks.push({ rows, before: (index === 0 ? 8 : 6) * s, keepTogether: true });
  });
  if (rx.items.length === 0) blocks.push({ rows: linesRows(doc, rxLines, x), before: 8 * s, keepTogether: true });

  const gap = 9 * s;
  if (rx.investigations?.trim()) blocks.push(labelled('Investigations', rx.investigations, gap + 2 * s));
  if (rx.advice?.trim() || (hindi && rx.adviceHi?.trim())) {
    const rows: Row[] = [];
    const runs: Run[] = [{ text: 'Advice: ', size: body, style: 'bold', color: ACCENT }];
    if (rx.advice?.trim()) runs.push({ text: rx.advice.trim(), size: body });
    rows.push(...linesRows(doc, layout(doc, runs, w), x));
    if (hindi && rx.adviceHi?.trim()) rows.push(...linesRows(doc, layout(doc, [{ text: rx.adviceHi.trim(), size: body }], w), x));
    blocks.push({ rows, before: gap, keepTogether: true });
  }
  if (rx.diet?.trim()) blocks.push(labelled('Diet', rx.diet, gap));
  if (rx.followUpDate?.trim()) {
    const rows = linesRows(
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

/**
 * The reprint stamp: a large rotated "DUPLICATE" in light red across the page, with the date. Drawn
 * first on each page, in a solid light tint, so the prescription's text lies on top of it.
 */
function stamp(doc: Doc, g: Geometry, printedOn: string): void {
  const big = layout(doc, [{ text: 'DUPLICATE', size: (g.width > 500 ? 84 : 60), style: 'bold', color: STAMP_TINT }], g.width);
  const sub = layout(doc, [{ text: `Reprinted on ${printedOn}`, size: 18 * g.scale, style: 'bold', color: STAMP_TINT }], g.width);
  const lines = [...big, ...sub];
  const height = linesHeight(lines);
  const cx = g.width / 2;
  const cy = g.height / 2;
  doc.save();
  doc.rotate(-32, { origin: [cx, cy] });
  let y = cy - height / 2;
  // Hidden from text extraction (its letters would land between the lines of the prescription):
  // the footer says the same in plain text.
  for (const line of lines) y = drawLine(doc, line, cx - g.width / 2, y, g.width, 'center', '');
  doc.restore();
}
