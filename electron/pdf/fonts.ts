import fs from 'node:fs';
import { resourcePath } from '../resources';

/**
 * The fonts every PDF uses, registered on a PDFDocument under these names: Noto Sans for Latin
 * text (and ₹, ½, ·) and Noto Sans Devanagari for Hindi, each Regular and Bold. pdfkit embeds
 * only the glyphs used (subset), and fontkit shapes Devanagari (conjuncts, matras, reph).
 */
export const FONT = {
  regular: 'NotoSans',
  bold: 'NotoSans-Bold',
  devanagari: 'NotoSansDevanagari',
  devanagariBold: 'NotoSansDevanagari-Bold',
} as const;

export type FontName = (typeof FONT)[keyof typeof FONT];
export type FontStyle = 'regular' | 'bold';
export type Script = 'latin' | 'devanagari';

const FILES: Record<FontName, string> = {
  NotoSans: 'NotoSans-Regular.ttf',
  'NotoSans-Bold': 'NotoSans-Bold.ttf',
  NotoSansDevanagari: 'NotoSansDevanagari-Regular.ttf',
  'NotoSansDevanagari-Bold': 'NotoSansDevanagari-Bold.ttf',
};

/**
 * How far the ink of each font reaches above and below the baseline, per unit of font size, for
 * line spacing. Measured on the bundled fonts' glyphs: Latin capitals with accents reach 0.944
 * and descenders 0.241; Devanagari matras and chandrabindu reach 0.896 and stacked lower forms
 * (द्ध, ड़ू) 0.394. The hhea values (Noto Sans 1.069 / 0.293, Noto Sans Devanagari 0.896 / 0.408)
 * would either waste space or let a Hindi line touch the line above, so these are used instead,
 * with a little room on each side.
 */
export const FONT_METRICS: Record<FontName, { ascent: number; descent: number }> = {
  NotoSans: { ascent: 0.95, descent: 0.26 },
  'NotoSans-Bold': { ascent: 0.95, descent: 0.26 },
  NotoSansDevanagari: { ascent: 0.98, descent: 0.45 },
  'NotoSansDevanagari-Bold': { ascent: 0.98, descent: 0.45 },
};

/**
 * The parsed fonts, shared by every document: parsing the files (and warming fontkit's glyph and
 * shaping tables) is most of the cost of a small PDF. pdfkit 0.20 accepts an already-parsed
 * fontkit font in registerFont (anything with a layout method), though its types only list
 * paths and bytes; the first document parses the bytes and we keep pdfkit's parsed font.
 */
interface ParsedFont {
  layout: (...args: never[]) => unknown;
}
interface FontInternals {
  _font?: { font?: unknown };
}
const parsed = new Map<string, ParsedFont>();

function isParsedFont(value: unknown): value is ParsedFont {
  return typeof value === 'object' && value !== null && typeof (value as { layout?: unknown }).layout === 'function';
}

/** Registers the four fonts on a document and selects Noto Sans Regular. */
export function registerFonts(doc: PDFKit.PDFDocument): void {
  for (const name of Object.values(FONT)) {
    const file = resourcePath('fonts', FILES[name]);
    const font = parsed.get(file);
    if (font) {
      doc.registerFont(name, font as unknown as Buffer);
      continue;
    }
    doc.registerFont(name, fs.readFileSync(file));
    doc.font(name);
    const loaded = (doc as unknown as FontInternals)._font?.font;
    if (isParsedFont(loaded)) parsed.set(file, loaded);
  }
  doc.font(FONT.regular);
}

export function fontFor(style: FontStyle, script: Script): FontName {
  if (script === 'devanagari') return style === 'bold' ? FONT.devanagariBold : FONT.devanagari;
  return style === 'bold' ? FONT.bold : FONT.regular;
}
