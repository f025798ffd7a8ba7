import { rupees } from '../../../shared/money';

/* CSV for the accountant's spreadsheet: one file per report, a header row per table, money in rupees. */

type Cell = string | number | null;
export type CsvTable = { title: string; header: string[]; rows: Cell[][] };

/**
 * RFC 4180: quoted when needed. Text starting with = + - @ (a reason typed at the counter) is
 * prefixed with ' so a spreadsheet never runs it as a formula; a negative amount stays a number.
 */
function cell(v: Cell): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && !/^-\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Tables one after another, each under its title, a blank line between them; CRLF as Excel expects. */
export function toCsv(tables: CsvTable[]): string {
  const lines: string[] = [];
  tables.forEach((t, i) => {
    if (i > 0) lines.push('');
    lines.push(cell(t.title));
    lines.push(t.header.map(cell).join(','));
    for (const r of t.rows) lines.push(r.map(cell).join(','));
  });
  return `${lines.join('\r\n')}\r\n`;
}

export const money = (paise: number) => rupees(paise);
