import { doctorTitle } from './format';
import { drawLines, layout, type Doc, type Line, type Run } from './text';

/**
 * The clinic letterhead and the doctor's block, for any printed document (prescriptions now,
 * invoices and receipts later). Takes plain data; draws at the given position and width and
 * returns where the content below may start. Nothing here knows about the database.
 */

/** A PNG or JPEG as a data: URL or its bytes. */
export type ImageSource = string | Buffer | Uint8Array | null | undefined;

export interface LetterheadClinic {
  name: string;
  address: string;
  phone: string;
  timings?: string | null;
  tagline?: string | null;
  logo?: ImageSource;
  /** Further short lines under the address, e.g. "GSTIN: 27ABCDE1234F1Z5". */
  extraLines?: string[];
}

export interface LetterheadDoctor {
  name: string;
  qualifications: string;
  registrationCouncil: string;
  registrationNumber: string;
  specialization?: string | null;
}

export interface LetterheadOptions {
  x: number;
  y: number;
  width: number;
  /** Font scale: 1 on A4, smaller on A5. */
  scale?: number;
  /** Colour of the clinic's name and the rule under the letterhead. */
  accent?: string;
  /** Printed on the right when given (prescriptions); left out for e.g. a clinic-wide report. */
  doctor?: LetterheadDoctor | null;
}

export const ACCENT = '#12355b';
const MUTED = '#444444';

export interface DecodedImage {
  data: Buffer;
  width: number;
  height: number;
  type: 'png' | 'jpeg';
}

function jpegSize(buf: Buffer): { width: number; height: number } | null {
  let i = 2;
  while (i + 9 < buf.length) {
    if (buf[i] !== 0xff) return null;
    const marker = buf[i + 1] ?? 0;
    if (marker === 0xff) {
      i += 1;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
      i += 2;
      continue;
    }
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
    i += 2 + buf.readUInt16BE(i + 2);
  }
  return null;
}

/** Reads a PNG or JPEG logo and its pixel size; null when it is missing or not one of those. */
export function decodeImage(source: ImageSource): DecodedImage | null {
  if (source === null || source === undefined) return null;
  let data: Buffer;
  if (typeof source === 'string') {
    const m = /^data:image\/(?:png|jpe?g);base64,([A-Za-z0-9+/=\s]+)$/i.exec(source.trim());
    if (!m?.[1]) return null;
    data = Buffer.from(m[1], 'base64');
  } else {
    data = Buffer.isBuffer(source) ? source : Buffer.from(source);
  }
  if (data.length > 24 && data.readUInt32BE(0) === 0x89504e47 && data.readUInt32BE(4) === 0x0d0a1a0a) {
    const width = data.readUInt32BE(16);
    const height = data.readUInt32BE(20);
    return width > 0 && height > 0 ? { data, width, height, type: 'png' } : null;
  }
  if (data.length > 4 && data[0] === 0xff && data[1] === 0xd8) {
    const size = jpegSize(data);
    return size && size.width > 0 && size.height > 0 ? { data, ...size, type: 'jpeg' } : null;
  }
  return null;
}

/** The doctor's lines: name, qualifications, specialization, registration number and council. */
export function doctorRuns(doctor: LetterheadDoctor, scale: number, accent = ACCENT): Run[][] {
  const lines: Run[][] = [[{ text: doctorTitle(doctor.name), size: 12 * scale, style: 'bold', color: accent }]];
  if (doctor.qualifications.trim()) lines.push([{ text: doctor.qualifications.trim(), size: 9 * scale }]);
  if (doctor.specialization?.trim()) lines.push([{ text: doctor.specialization.trim(), size: 9 * scale, color: MUTED }]);
  lines.push([
    { text: 'Reg. No. ', size: 9 * scale, color: MUTED },
    { text: doctor.registrationNumber.trim(), size: 9 * scale, style: 'bold' },
  ]);
  if (doctor.registrationCouncil.trim()) {
    lines.push([{ text: doctor.registrationCouncil.trim(), size: 8.5 * scale, color: MUTED }]);
  }
  return lines;
}

function layoutAll(doc: Doc, paragraphs: Run[][], width: number): Line[] {
  return paragraphs.flatMap((runs) => layout(doc, runs, width));
}

/**
 * Draws the letterhead: logo (if any) on the left, the clinic's name, tagline, address, phone
 * and timings beside it, the doctor's block on the right, and a rule underneath. Returns the y
 * below the rule.
 */
export function drawLetterhead(doc: Doc, clinic: LetterheadClinic, options: LetterheadOptions): number {
  const scale = options.scale ?? 1;
  const accent = options.accent ?? ACCENT;
  const { x, y, width } = options;
  const gap = 12 * scale;

  const logo = decodeImage(clinic.logo);
  let logoW = 0;
  let logoH = 0;
  if (logo) {
    const maxH = 54 * scale;
    const maxW = Math.min(2.2 * maxH, width * 0.3);
    const ratio = Math.min(maxW / logo.width, maxH / logo.height);
    logoW = logo.width * ratio;
    logoH = logo.height * ratio;
  }

  // The doctor's block takes the width its lines need (at most 42%); the clinic the rest.
  const doctorParagraphs = options.doctor ? doctorRuns(options.doctor, scale, accent) : [];
  const doctorNatural = Math.max(0, ...layoutAll(doc, doctorParagraphs, width).map((l) => l.width));
  const doctorWidth = options.doctor ? Math.min(width * 0.42, Math.ceil(doctorNatural) + 1) : 0;
  const textX = x + (logo ? logoW + 10 * scale : 0);
  const clinicWidth = width - (textX - x) - (options.doctor ? doctorWidth + gap : 0);

  // The clinic's name on one line if it can be, down to 12.5 pt (before scaling), else wrapped.
  let nameSize = 17 * scale;
  let nameLines = layout(doc, [{ text: clinic.name.trim(), size: nameSize, style: 'bold', color: accent }], clinicWidth);
  while (nameLines.length > 1 && nameSize > 12.5 * scale) {
    nameSize -= 0.5 * scale;
    nameLines = layout(doc, [{ text: clinic.name.trim(), size: nameSize, style: 'bold', color: accent }], clinicWidth);
  }
  const clinicParagraphs: Run[][] = [];
  if (clinic.tagline?.trim()) clinicParagraphs.push([{ text: clinic.tagline.trim(), size: 8.5 * scale, color: MUTED }]);
  if (clinic.address.trim()) clinicParagraphs.push([{ text: clinic.address.trim(), size: 9 * scale }]);
  if (clinic.phone.trim()) {
    clinicParagraphs.push([
      { text: 'Phone: ', size: 9 * scale, color: MUTED },
      { text: clinic.phone.trim(), size: 9 * scale },
    ]);
  }
  if (clinic.timings?.trim()) {
    clinicParagraphs.push([
      { text: 'Timings: ', size: 9 * scale, color: MUTED },
      { text: clinic.timings.trim(), size: 9 * scale },
    ]);
  }
  for (const extra of clinic.extraLines ?? []) {
    if (extra.trim()) clinicParagraphs.push([{ text: extra.trim(), size: 8.5 * scale, color: MUTED }]);
  }
  const clinicLines = [...nameLines, ...layoutAll(doc, clinicParagraphs, clinicWidth)];
  const doctorLines = layoutAll(doc, doctorParagraphs, doctorWidth);

  if (logo) {
    try {
      doc.image(logo.data, x, y, { width: logoW, height: logoH });
    } catch {
      // A logo pdfkit cannot read (a truncated or unusual PNG) is left out rather than failing the print.
    }
  }
  const clinicBottom = drawLines(doc, clinicLines, textX, y, clinicWidth);
  const doctorBottom = options.doctor ? drawLines(doc, doctorLines, x + width - doctorWidth, y, doctorWidth, 'right') : y;

  const ruleY = Math.max(clinicBottom, doctorBottom, y + logoH) + 5 * scale;
  doc
    .save()
    .moveTo(x, ruleY)
    .lineTo(x + width, ruleY)
    .lineWidth(1.2 * scale)
    .strokeColor(accent)
    .stroke()
    .restore();
  return ruleY + 6 * scale;
}

