import { FONT_METRICS, fontFor, type FontName, type FontStyle, type Script } from './fonts';

/**
 * Rich-text lines for pdfkit, laid out by us rather than by pdfkit's wrapper so that a paragraph
 * can mix bold and regular, English and Hindi (each script in its own font, on one baseline),
 * can be measured before it is drawn and split across pages line by line.
 *
 * Devanagari is drawn inside a marked-content span carrying the original text as /ActualText:
 * the shaped glyphs are in visual order (the i-matra ि comes before its consonant), so without
 * it copying or extracting the text gives "िदन" instead of "दिन".
 */

export type Doc = PDFKit.PDFDocument;

export interface Run {
  text: string;
  size: number;
  style?: FontStyle;
  color?: string;
  /**
   * Kept on one line with the runs it touches (a phone number, "MRN: A-000123", "for 5 days"),
   * unless it is wider than a whole line; then it breaks at its spaces after all.
   */
  keep?: boolean;
  /**
   * A break opportunity that shows its text (" · ", ", ") when the words on both sides end up on
   * the same line, and disappears at a line break.
   */
  separator?: boolean;
}

export interface Piece {
  text: string;
  font: FontName;
  size: number;
  color: string;
  width: number;
  script: Script;
}

export interface Line {
  pieces: Piece[];
  width: number;
  ascent: number;
  descent: number;
  height: number;
}

const DEFAULT_COLOR = '#000000';

function isDevanagari(cp: number): boolean {
  return (
    (cp >= 0x0900 && cp <= 0x097f) ||
    (cp >= 0xa8e0 && cp <= 0xa8ff) ||
    (cp >= 0x1cd0 && cp <= 0x1cff) ||
    cp === 0x200c ||
    cp === 0x200d ||
    cp === 0x25cc
  );
}

/** ASCII digits, spaces and punctuation the Devanagari font also has: they take the script around them. */
function isNeutral(ch: string): boolean {
  return /^[\s0-9!"#%'()*+,\-./:;<=>?[\\\]^_{|}~]$/.test(ch);
}

/** Splits text into runs of one script; neutral characters join the run they are in. */
export function splitScripts(text: string): { text: string; script: Script }[] {
  const out: { text: string; script: Script }[] = [];
  let current: Script | null = null;
  let buf = '';
  let pendingNeutral = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (isNeutral(ch)) {
      if (current === null) pendingNeutral += ch;
      else buf += ch;
      continue;
    }
    const script: Script = isDevanagari(cp) ? 'devanagari' : 'latin';
    if (current === null) {
      current = script;
      buf = pendingNeutral + ch;
      pendingNeutral = '';
    } else if (script === current) {
      buf += ch;
    } else {
      out.push({ text: buf, script: current });
      current = script;
      buf = ch;
    }
  }
  if (current === null) {
    if (pendingNeutral) out.push({ text: pendingNeutral, script: 'latin' });
  } else if (buf) {
    out.push({ text: buf, script: current });
  }
  return out;
}

/**
 * Advance widths at 1 pt, shared by all documents (a width is proportional to the size, and the
 * fonts behind a name do not change while the process runs). Bounded so it cannot grow forever.
 */
const widths = new Map<string, number>();
const MAX_WIDTHS = 20_000;

export function measure(doc: Doc, text: string, font: FontName, size: number): number {
  if (text === '') return 0;
  const key = `${font}\u0000${text}`;
  let unit = widths.get(key);
  if (unit === undefined) {
    unit = doc.font(font).fontSize(1).widthOfString(text);
    if (widths.size >= MAX_WIDTHS) widths.clear();
    widths.set(key, unit);
  }
  return unit * size;
}

function piece(doc: Doc, text: string, run: Run, script: Script): Piece {
  const font = fontFor(run.style ?? 'regular', script);
  return { text, font, size: run.size, color: run.color ?? DEFAULT_COLOR, script, width: measure(doc, text, font, run.size) };
}

type Token = { kind: 'word'; pieces: Piece[] } | { kind: 'space'; piece: Piece } | { kind: 'break' };

function tokenize(doc: Doc, runs: Run[]): Token[] {
  const tokens: Token[] = [];
  let lastWasWord = false;
  for (const run of runs) {
    const text = run.text.replace(/\r\n?/g, '\n').replace(/[ \t\f\v]+/g, ' ');
    if (run.separator) {
      if (tokens[tokens.length - 1]?.kind === 'space') tokens.pop();
      tokens.push({ kind: 'space', piece: piece(doc, text.replace(/\n/g, ' '), run, 'latin') });
      lastWasWord = false;
      continue;
    }
    const parts = run.keep ? [text.replace(/\n/g, ' ')] : text.split(/(\n| )/);
    for (const part of parts) {
      if (part === '') continue;
      if (part === '\n') {
        tokens.push({ kind: 'break' });
        lastWasWord = false;
      } else if (part === ' ') {
        const prev = tokens[tokens.length - 1];
        const script: Script =
          prev?.kind === 'word' ? (prev.pieces[prev.pieces.length - 1]?.script ?? 'latin') : 'latin';
        if (prev?.kind !== 'space') tokens.push({ kind: 'space', piece: piece(doc, ' ', run, script) });
        lastWasWord = false;
      } else {
        const pieces = splitScripts(part).map((s) => piece(doc, s.text, run, s.script));
        const prev = tokens[tokens.length - 1];
        if (lastWasWord && prev?.kind === 'word') prev.pieces.push(...pieces);
        else tokens.push({ kind: 'word', pieces });
        lastWasWord = true;
      }
    }
  }
  return tokens;
}

/** A kept word too wide for a line, split back into words and spaces. */
function softSplit(doc: Doc, pieces: Piece[]): Token[] {
  const tokens: Token[] = [];
  let word: Piece[] = [];
  const endWord = (): void => {
    if (word.length > 0) tokens.push({ kind: 'word', pieces: word });
    word = [];
  };
  for (const p of pieces) {
    for (const part of p.text.split(/( )/)) {
      if (part === '') continue;
      const sub: Piece = { ...p, text: part, width: measure(doc, part, p.font, p.size) };
      if (part === ' ') {
        endWord();
        tokens.push({ kind: 'space', piece: sub });
      } else {
        word.push(sub);
      }
    }
  }
  endWord();
  return tokens;
}

function makeLine(pieces: Piece[], fallbackSize: number, leading: number): Line {
  let ascent = 0;
  let descent = 0;
  let width = 0;
  for (const p of pieces) {
    const m = FONT_METRICS[p.font];
    ascent = Math.max(ascent, m.ascent * p.size);
    descent = Math.max(descent, m.descent * p.size);
    width += p.width;
  }
  if (pieces.length === 0) {
    ascent = FONT_METRICS.NotoSans.ascent * fallbackSize;
    descent = FONT_METRICS.NotoSans.descent * fallbackSize;
  }
  ascent *= leading;
  descent *= leading;
  return { pieces, width, ascent, descent, height: ascent + descent };
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Breaks a word wider than the line into pieces that fit (by grapheme, so clusters stay whole). */
function breakWord(doc: Doc, pieces: Piece[], maxWidth: number): Piece[][] {
  const lines: Piece[][] = [];
  let line: Piece[] = [];
  let lineWidth = 0;
  for (const p of pieces) {
    let chunk = '';
    for (const { segment } of segmenter.segment(p.text)) {
      const next = chunk + segment;
      const w = measure(doc, next, p.font, p.size);
      if (lineWidth + w > maxWidth && (chunk !== '' || line.length > 0)) {
        if (chunk !== '') line.push({ ...p, text: chunk, width: measure(doc, chunk, p.font, p.size) });
        lines.push(line);
        line = [];
        lineWidth = 0;
        chunk = segment;
      } else {
        chunk = next;
      }
    }
    if (chunk !== '') {
      const w = measure(doc, chunk, p.font, p.size);
      line.push({ ...p, text: chunk, width: w });
      lineWidth += w;
    }
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

/** The ink metrics already include a little room between lines. */
const DEFAULT_LEADING = 1;

export interface LayoutOptions {
  /** Multiplies the fonts' ascent and descent (default 1: 1.21 em for Latin lines, 1.43 em with Devanagari). */
  leading?: number;
}

/** Lays out a paragraph of runs into lines no wider than maxWidth. "\n" starts a new line. */
export function layout(doc: Doc, runs: Run[], maxWidth: number, options: LayoutOptions = {}): Line[] {
  const leading = options.leading ?? DEFAULT_LEADING;
  const fallbackSize = runs[0]?.size ?? 10;
  const lines: Line[] = [];
  let current: Piece[] = [];
  let width = 0;
  let pendingSpace: Piece | null = null;
  const flush = (): void => {
    lines.push(makeLine(current, fallbackSize, leading));
    current = [];
    width = 0;
    pendingSpace = null;
  };
  const tokens = tokenize(doc, runs);
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i];
    if (!token) continue;
    if (token.kind === 'break') {
      flush();
      continue;
    }
    if (token.kind === 'space') {
      if (current.length > 0) pendingSpace = token.piece;
      continue;
    }
    const wordWidth = token.pieces.reduce((s, p) => s + p.width, 0);
    if (wordWidth > maxWidth && token.pieces.some((p) => p.text.includes(' '))) {
      tokens.splice(i, 1, ...softSplit(doc, token.pieces));
      i -= 1;
      continue;
    }
    const space: Piece | null = pendingSpace;
    const spaceWidth = space === null ? 0 : space.width;
    if (current.length > 0 && width + spaceWidth + wordWidth > maxWidth) flush();
    if (current.length > 0 && space !== null) {
      current.push(space);
      width += space.width;
    }
    pendingSpace = null;
    if (current.length === 0 && wordWidth > maxWidth) {
      const parts = breakWord(doc, token.pieces, maxWidth);
      parts.forEach((part, i) => {
        current = part;
        width = part.reduce((s, p) => s + p.width, 0);
        if (i < parts.length - 1) flush();
      });
      continue;
    }
    current.push(...token.pieces);
    width += wordWidth;
  }
  if (current.length > 0 || lines.length === 0) flush();
  return lines;
}

export function linesHeight(lines: Line[]): number {
  return lines.reduce((s, l) => s + l.height, 0);
}

/** Adjacent pieces in the same font, size and colour drawn as one string (kerning, shaping). */
function merge(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (last && last.font === p.font && last.size === p.size && last.color === p.color) {
      out[out.length - 1] = { ...last, text: last.text + p.text, width: last.width + p.width };
    } else {
      out.push({ ...p });
    }
  }
  return out;
}

function pdfTextString(text: string): string {
  const utf16 = Buffer.from(`\ufeff${text}`, 'utf16le').swap16();
  return `<${utf16.toString('hex')}>`;
}

/**
 * Draws text with /ActualText so extraction and copy give the logical (typed) order. The span is
 * put inside pdfkit's own q/BT ... ET/Q so it sees the same transformation as the glyphs
 * (poppler places the actual text using the graphics state at the end of the span).
 */
function drawWithActualText(doc: Doc, text: string, actual: string, x: number, y: number): void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with .call(this) below and put back unbound in `finally`
  const original = doc.addContent;
  doc.addContent = function (this: Doc, data: unknown): Doc {
    if (data === 'BT') {
      original.call(this, `/Span <</ActualText ${pdfTextString(actual)}>> BDC`);
      return original.call(this, data);
    }
    if (data === 'ET') {
      original.call(this, data);
      return original.call(this, 'EMC');
    }
    return original.call(this, data);
  };
  try {
    doc.text(text, x, y, { lineBreak: false, baseline: 'alphabetic' });
  } finally {
    doc.addContent = original;
  }
}

export type Align = 'left' | 'right' | 'center';

/**
 * Draws one line with its top at `top`; returns the top of the next line. `actualText` replaces
 * what text extraction sees for the whole line ('' hides it: a rotated stamp would otherwise
 * scatter its letters through the extracted text).
 */
export function drawLine(
  doc: Doc,
  line: Line,
  x: number,
  top: number,
  width?: number,
  align: Align = 'left',
  actualText?: string,
): number {
  let cx = x;
  if (width !== undefined && align === 'right') cx = x + width - line.width;
  if (width !== undefined && align === 'center') cx = x + (width - line.width) / 2;
  const baseline = top + line.ascent;
  let first = true;
  for (const seg of merge(line.pieces)) {
    doc.font(seg.font).fontSize(seg.size).fillColor(seg.color);
    if (seg.text.trim() !== '') {
      if (actualText !== undefined) drawWithActualText(doc, seg.text, first ? actualText : '', cx, baseline);
      else if (seg.script === 'devanagari') drawWithActualText(doc, seg.text, seg.text, cx, baseline);
      else doc.text(seg.text, cx, baseline, { lineBreak: false, baseline: 'alphabetic' });
      first = false;
    }
    cx += seg.width;
  }
  return top + line.height;
}

/** Draws lines one under the other; returns the y below the last. */
export function drawLines(doc: Doc, lines: Line[], x: number, top: number, width?: number, align: Align = 'left'): number {
  let y = top;
  for (const line of lines) y = drawLine(doc, line, x, y, width, align);
  return y;
}
