/** Which workstation's number series a number a desk hands out belongs to (the rule book's pushingDevice). */

/**
 * How a column names a workstation: its device id, its series letter, a number with the series
 * in second place (bills "2627/A/000001", certificates "MC/A/000001", samples "S/A/000001"), or a
 * receipt "R/2627/A/000001", or a number the series letter leads (MRN "A-000001", Rx "A/RX/000001",
 * booking "A-B000001").
 */
export type DeskColumn = 'id' | 'series' | 'invoiceNumber' | 'receiptNumber' | 'leadingSeries';

/** The series letter(s) of a number, by where its kind of number carries them. */
export function seriesOf(kind: Exclude<DeskColumn, 'id'>, value: unknown): string | undefined {
  if (kind === 'series') return typeof value === 'string' ? value : undefined;
  if (typeof value !== 'string') return undefined;
  if (kind === 'invoiceNumber') return value.split('/')[1];
  if (kind === 'receiptNumber') return value.split('/')[2];
  return /^([A-Z0-9]+)[-/]/.exec(value)?.[1];
}
