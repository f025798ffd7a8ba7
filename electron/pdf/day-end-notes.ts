import { amount, MUTED } from './counter-page';
import { fitTable, tableBlock, tableRow, type Cell, type ColumnSpec, type FlowBlock, type FlowRow } from './flow';
import type { Run } from './text';

/*
 * The day-end's credit notes and refund vouchers: each document issued on the workstation that day
 * (its number, the invoice it is against, the taxable value and the tax it reversed, its total) and
 * their totals, as the day-end screen lists them. A part of the day-end PDF (day-end.ts).
 */

/** One kind of document issued that day, as `billing.dayEnd` reports it. */
export interface DayEndNotes {
  count: number;
  notes: { number: string; invoiceNumber: string; taxablePaise: number; cgstPaise: number; sgstPaise: number; totalPaise: number }[];
  taxablePaise: number;
  cgstPaise: number;
  sgstPaise: number;
  totalPaise: number;
}

/** What the section needs of the day-end's drawing kit. */
export interface NotesKit {
  doc: Parameters<typeof fitTable>[0];
  s: number;
  x: number;
  w: number;
  heading: (text: string) => FlowRow[];
  note: (runs: Run[]) => FlowRow[];
}

/** Credit notes (with the tax they reversed) and refund vouchers (exempt lines: no tax), each with its totals; nothing when none. */
export function creditNoteBlocks(k: NotesKit, summary: { creditNotes?: DayEndNotes | undefined; refundVouchers?: DayEndNotes | undefined }): FlowBlock[] {
  const blocks: FlowBlock[] = [];
  const notes = summary.creditNotes;
  const vouchers = summary.refundVouchers;
  if (notes && notes.count > 0) blocks.push(notesTable(k, 'Credit notes issued (tax reversed)', notes, true));
  if (vouchers && vouchers.count > 0) blocks.push(notesTable(k, 'Refund vouchers issued (exempt, nil-rated, non-GST lines)', vouchers, false));
  if (blocks.length === 0 && (notes || vouchers)) {
    blocks.push({ before: 12 * k.s, rows: [...k.heading('Credit notes and refund vouchers'), ...k.note([{ text: 'None issued today', size: 8.5 * k.s, color: MUTED }])] });
  }
  return blocks;
}

function notesTable(k: NotesKit, title: string, list: DayEndNotes, taxed: boolean): FlowBlock {
  const { doc, s, x, w } = k;
  const money = (header: string): ColumnSpec => ({ header, align: 'right', minWidth: 46 * s });
  const specs: ColumnSpec[] = [
    { header: 'Number', align: 'left' },
    { header: 'Against invoice', align: 'left', flex: true, minWidth: 60 * s },
    ...(taxed ? [money('Taxable (₹)'), money('CGST (₹)'), money('SGST (₹)')] : []),
    money('Total (₹)'),
  ];
  const figures = (t: Omit<DayEndNotes['notes'][number], 'number' | 'invoiceNumber'>): Cell[] => [
    ...(taxed ? [amount(t.taxablePaise), amount(t.cgstPaise), amount(t.sgstPaise)] : []),
    amount(t.totalPaise),
  ];
  const rows: Cell[][] = list.notes.map((n) => [n.number, n.invoiceNumber, ...figures(n)]);
  const total: Cell[] = [`Total (${list.count})`, '', ...figures(list)];
  const style = { x, size: 8.5 * s, padX: 3 * s, padY: 2.2 * s };
  const fitted = fitTable(doc, specs, [...rows, total], w, style, 6);
  const body = rows.map((r) => tableRow(doc, fitted.columns, r, fitted.style));
  body.push(tableRow(doc, fitted.columns, total, fitted.style, { bold: true, rule: 'strong' }));
  return tableBlock(doc, fitted.columns, body, fitted.style, { before: 12 * s, heading: k.heading(title), keepLast: 1 });
}
