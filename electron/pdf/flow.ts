import { drawLine, drawLines, layout, linesHeight, measure, type Align, type Doc, type Line, type Run } from './text';
import { fontFor } from './fonts';

/**
 * Page flow and tables for the counter's documents (invoices, receipts, the day-end report):
 * content is a list of blocks of rows, each row measured before it is drawn, placed down the
 * page; a block that does not fit moves to (or continues on) the next page, where the page
 * header is drawn again, and a table's column header with it.
 */

/** One piece of a block, drawn with its top at a given y. */
export interface FlowRow {
  height: number;
  draw: (top: number) => void;
}

export interface FlowBlock {
  rows: FlowRow[];
  /** Space above the block (dropped at the top of a page). */
  before: number;
  /** Moved whole to the next page rather than split, when it fits on one page. */
  keepTogether?: boolean;
  /** The first this-many rows (a heading, a table's header) never end a page on their own. */
  keepFirst?: number;
  /** Drawn at the top of every further page the block continues on (a table's column header). */
  repeat?: FlowRow;
  /** The last this-many rows (a table's total) never start a page on their own: a row before them moves along. */
  keepLast?: number;
  /** Never alone at the top of a page: the block before it moves along (a signature). */
  keepWithPrevious?: boolean;
}

export class PageFlow {
  y = 0;
  pages = 0;
  private pageTop = 0;

  constructor(
    private readonly doc: Doc,
    private readonly size: { width: number; height: number },
    /** Lowest y content may reach (the footer is below). */
    private readonly contentBottom: number,
    /** Draws the page header; returns where the content starts. */
    private readonly header: (page: number) => number,
  ) {}

  newPage(): void {
    this.doc.addPage({ size: [this.size.width, this.size.height], margin: 0 });
    this.pages += 1;
    this.y = this.header(this.pages);
    this.pageTop = this.y;
  }

  /** Where the content of the current page starts (below its header). */
  get top(): number {
    return this.pageTop;
  }

  private get capacity(): number {
    return this.contentBottom - this.pageTop;
  }

  placeAll(blocks: FlowBlock[]): void {
    blocks.forEach((block, i) => {
      const next = blocks[i + 1];
      this.place(block, next?.keepWithPrevious ? next : undefined);
    });
  }

  private place(block: FlowBlock, withNext?: FlowBlock): void {
    const height = (rows: FlowRow[]): number => rows.reduce((s, r) => s + r.height, 0);
    const atTop = (): boolean => this.y === this.pageTop;
    let total = height(block.rows);
    if (withNext) total += withNext.before + height(withNext.rows);
    const together = block.keepTogether === true || withNext !== undefined;
    if (!atTop() && together && total <= this.capacity && this.y + block.before + total > this.contentBottom) {
      this.newPage();
    } else if (!atTop() && block.keepFirst) {
      // A heading (or a header row) stays with the first row under it.
      const head = height(block.rows.slice(0, block.keepFirst + 1));
      if (this.y + block.before + head > this.contentBottom) this.newPage();
    }
    if (!atTop()) this.y += block.before;
    const tailFrom = block.keepLast ? block.rows.length - block.keepLast - 1 : -1;
    block.rows.forEach((row, i) => {
      const breakHere =
        i === tailFrom && i >= (block.keepFirst ?? 0) + 1 && !atTop() && this.y + height(block.rows.slice(i)) > this.contentBottom && height(block.rows.slice(i)) <= this.capacity;
      if (breakHere || (this.y + row.height > this.contentBottom && !atTop())) {
        this.newPage();
        if (block.repeat && i >= (block.keepFirst ?? 1)) {
          block.repeat.draw(this.y);
          this.y += block.repeat.height;
        }
      }
      row.draw(this.y);
      this.y += row.height;
    });
  }
}

/** Rows of already laid-out lines, one row per line (text that may split across pages). */
export function lineRows(doc: Doc, lines: Line[], x: number, width?: number, align?: Align): FlowRow[] {
  return lines.map((line) => ({ height: line.height, draw: (top: number) => void drawLine(doc, line, x, top, width, align) }));
}

/** A gap of the given height (drawn as nothing). */
export function spacer(height: number): FlowRow {
  return { height, draw: () => undefined };
}

/* ------------------------------------------------------------------------------------------ */
/* Tables                                                                                     */
/* ------------------------------------------------------------------------------------------ */

export type Cell = string | Run[];

export interface ColumnSpec {
  header: string;
  align: Align;
  /** The header may wrap at its spaces ("Taxable value"); else it is as wide as it needs on one line. */
  wrapHeader?: boolean;
  /** Takes the width the fixed columns leave (at least minWidth); else as wide as its widest value. */
  flex?: boolean;
  minWidth?: number;
}

export interface Column {
  header: string;
  align: Align;
  width: number;
}

export interface TableStyle {
  x: number;
  /** Body font size. */
  size: number;
  padX: number;
  padY: number;
  headerColor?: string;
  headerFill?: string;
  ruleColor?: string;
}

const TABLE_HEADER_FILL = '#e9eef4';
const TABLE_RULE = '#c5ced8';
const TABLE_HEADER_TEXT = '#12355b';

function cellRuns(cell: Cell, size: number, style?: { bold?: boolean; color?: string }): Run[] {
  if (typeof cell !== 'string') return cell;
  return [{ text: cell, size, ...(style?.bold ? { style: 'bold' as const } : {}), ...(style?.color ? { color: style.color } : {}) }];
}

function textWidth(doc: Doc, text: string, size: number, bold: boolean): number {
  return measure(doc, text, fontFor(bold ? 'bold' : 'regular', 'latin'), size);
}

function cellWidth(doc: Doc, cell: Cell, size: number, bold: boolean): number {
  if (typeof cell === 'string') return textWidth(doc, cell, size, bold);
  return cell.reduce((s, r) => s + textWidth(doc, r.text, r.size, r.style === 'bold'), 0);
}

/**
 * Widths for the columns within `width`: each fixed column as wide as its widest value (numbers
 * never wrap) or the longest word of its header, whichever is more; the flexible column gets the
 * rest. Returns null when the flexible column would be narrower than its minimum.
 */
export function fitColumns(
  doc: Doc,
  specs: ColumnSpec[],
  rows: Cell[][],
  width: number,
  style: Pick<TableStyle, 'size' | 'padX'>,
  wrapHeaders = true,
): Column[] | null {
  const { size, padX } = style;
  const natural = specs.map((spec, c) => {
    if (spec.flex) return 0;
    const headerWords = spec.wrapHeader && wrapHeaders ? spec.header.split(/\s+/) : [spec.header];
    const headerWord = Math.max(0, ...headerWords.map((w) => textWidth(doc, w, size, true)));
    const values = Math.max(0, ...rows.map((r) => (r[c] === undefined ? 0 : cellWidth(doc, r[c], size, true))));
    return Math.ceil(Math.max(headerWord, values, spec.minWidth ?? 0) + 2 * padX + 0.5);
  });
  const fixed = natural.reduce((s, w) => s + w, 0);
  const flexCount = specs.filter((s) => s.flex).length;
  const rest = width - fixed;
  const flexWidth = flexCount > 0 ? rest / flexCount : 0;
  if (flexCount > 0 && specs.some((s) => s.flex && flexWidth < (s.minWidth ?? 40) + 2 * padX)) return null;
  if (flexCount === 0 && rest < 0) return null;
  // Without a flexible column, the spare width goes to the first column.
  return specs.map((spec, c) => ({
    header: spec.header,
    align: spec.align,
    width: spec.flex ? flexWidth : natural[c]! + (flexCount === 0 && c === 0 ? rest : 0),
  }));
}

/** Fits the columns, stepping the font size down (to `minSize`) until the flexible column has room. */
export function fitTable(
  doc: Doc,
  specs: ColumnSpec[],
  rows: Cell[][],
  width: number,
  style: TableStyle,
  minSize: number,
): { columns: Column[]; style: TableStyle } {
  let size = style.size;
  for (;;) {
    const s = { ...style, size, padX: style.padX * (size / style.size) };
    // Headers on one line when there is room; wrapped ("Taxable / value") before the type shrinks.
    const columns = fitColumns(doc, specs, rows, width, s, false) ?? fitColumns(doc, specs, rows, width, s, true);
    if (columns) return { columns, style: s };
    if (size - 0.25 < minSize) {
      // Still too tight: the fixed columns keep their widths and the flexible one wraps hard.
      const squeezed = fitColumns(doc, specs.map((sp) => (sp.flex ? { ...sp, minWidth: 0 } : sp)), rows, width, s);
      if (squeezed) return { columns: squeezed, style: s };
      throw new RangeError('the table does not fit the page');
    }
    size -= 0.25;
  }
}

function cellsRow(
  doc: Doc,
  columns: Column[],
  cells: Cell[],
  style: TableStyle,
  options: { bold?: boolean; color?: string; fill?: string; rule?: 'thin' | 'strong' | 'none'; header?: boolean },
): FlowRow {
  const laidOut: Line[][] = columns.map((col, c) => {
    const cell = cells[c] ?? '';
    return layout(doc, cellRuns(cell, style.size, options), Math.max(1, col.width - 2 * style.padX));
  });
  const height = Math.max(...laidOut.map((lines) => linesHeight(lines))) + 2 * style.padY;
  const total = columns.reduce((s, c) => s + c.width, 0);
  return {
    height,
    draw: (top) => {
      if (options.fill) doc.save().rect(style.x, top, total, height).fillColor(options.fill).fill().restore();
      let cx = style.x;
      columns.forEach((col, c) => {
        const lines = laidOut[c] ?? [];
        // Headers sit at the bottom of their cell (a two-line header beside one-line ones).
        const offset = options.header ? height - 2 * style.padY - linesHeight(lines) : 0;
        drawLines(doc, lines, cx + style.padX, top + style.padY + offset, col.width - 2 * style.padX, col.align);
        cx += col.width;
      });
      const rule = options.rule ?? 'thin';
      if (rule !== 'none') {
        doc
          .save()
          .moveTo(style.x, top + height)
          .lineTo(style.x + total, top + height)
          .lineWidth(rule === 'strong' ? 0.9 : 0.4)
          .strokeColor(rule === 'strong' ? '#5b6b7c' : (style.ruleColor ?? TABLE_RULE))
          .stroke()
          .restore();
      }
    },
  };
}

export function tableHeader(doc: Doc, columns: Column[], style: TableStyle): FlowRow {
  return cellsRow(
    doc,
    columns,
    columns.map((c) => c.header),
    style,
    { bold: true, color: style.headerColor ?? TABLE_HEADER_TEXT, fill: style.headerFill ?? TABLE_HEADER_FILL, rule: 'strong', header: true },
  );
}

export function tableRow(
  doc: Doc,
  columns: Column[],
  cells: Cell[],
  style: TableStyle,
  options: { bold?: boolean; color?: string; fill?: string; rule?: 'thin' | 'strong' | 'none' } = {},
): FlowRow {
  return cellsRow(doc, columns, cells, style, options);
}

/** A whole table as one block: the header repeats on every page the table continues on. */
export function tableBlock(
  doc: Doc,
  columns: Column[],
  body: FlowRow[],
  style: TableStyle,
  options: { before: number; heading?: FlowRow[]; keepTogether?: boolean; keepLast?: number },
): FlowBlock {
  const header = tableHeader(doc, columns, style);
  const heading = options.heading ?? [];
  return {
    rows: [...heading, header, ...body],
    before: options.before,
    keepFirst: heading.length + 1,
    repeat: header,
    ...(options.keepTogether ? { keepTogether: true } : {}),
    ...(options.keepLast ? { keepLast: options.keepLast } : {}),
  };
}
