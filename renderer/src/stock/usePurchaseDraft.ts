import { useState } from 'react';
import type { LineMoney } from '../../../shared/purchase-money';
import { call, type Output } from '../api/client';
import { SKIPPED, useApiSubmit, useSingleFlight } from '../forms';
import { EMPTY_LINE, lineFieldOf, moneyOf, parseLine, readableMessage, type LineDraft, type LineField, type PurchaseLine } from './purchase-draft';

export type Saved = Output<'pharmacy.purchase'> & { supplierName: string; labels: string[] };

export interface AddedLine {
  draft: LineDraft;
  line: PurchaseLine;
  money: LineMoney;
}

/**
 * The purchase being typed: the supplier's invoice, the lines added, the line being typed, and the
 * save. Lines are checked as they are added; a refusal from the service names its line and box.
 */
// Long by design: the purchase's whole state and its three actions (add, edit, save) in one place.
export function usePurchaseDraft(today: string) {
  const [supplierId, setSupplierId] = useState<string | null>(null);
  const [invoice, setInvoice] = useState('');
  const [invoiceDate, setInvoiceDate] = useState(today);
  const [lines, setLines] = useState<AddedLine[]>([]);
  const [entry, setEntry] = useState<LineDraft>(EMPTY_LINE);
  const [entryErrors, setEntryErrors] = useState<Partial<Record<LineField, string>>>({});
  const [headErrors, setHeadErrors] = useState<Record<string, string>>({});
  const [lineErrors, setLineErrors] = useState<Record<number, string>>({});
  const [saved, setSaved] = useState<Saved | null>(null);
  const submit = useApiSubmit({ setErrors: setHeadErrors });
  // The whole save is guarded, not just the call: a second Ctrl+Enter must not add the typed line again either.
  const once = useSingleFlight();

  const entryStarted = entry.drugId !== '' || entry.batchNumber.trim() !== '' || entry.packs.trim() !== '';

  /** Adds the typed line when it is right; the list of lines it makes, or null. */
  function addEntry(): AddedLine[] | null {
    const { line, errors } = parseLine(entry, today);
    setEntryErrors(errors);
    if (!line) return null;
    const next = [...lines, { draft: entry, line, money: moneyOf(line) }];
    setLines(next);
    setEntry({ ...EMPTY_LINE, gst: entry.gst });
    return next;
  }

  /** Takes a line back into the entry to change it. */
  function edit(i: number) {
    const line = lines[i];
    if (!line) return;
    setEntry(line.draft);
    setEntryErrors({});
    setLines(lines.filter((_, j) => j !== i));
    setLineErrors({});
  }

  function remove(i: number) {
    setLines(lines.filter((_, j) => j !== i));
    setLineErrors({});
  }

  async function save(supplierName: string): Promise<boolean> {
    const done = await once(() => saveNow(supplierName));
    return done !== SKIPPED && done;
  }

  async function saveNow(supplierName: string): Promise<boolean> {
    // The line still in the boxes goes with the purchase when it is complete.
    const all = entryStarted ? addEntry() : lines;
    if (!all) return false;
    const head: Record<string, string> = {};
    if (!supplierId) head.supplierId = 'Choose the supplier';
    if (!invoice.trim()) head.supplierInvoice = 'Supplier invoice number is required';
    if (all.length === 0) head.lines = 'Add at least one line';
    setHeadErrors(head);
    setLineErrors({});
    if (Object.keys(head).length > 0 || !supplierId) return false;
    const done = await submit.run(
      () => call('pharmacy.purchase', { supplierId, supplierInvoice: invoice.trim(), invoiceDate, lines: all.map((l) => l.line) }),
      (error) => {
        const byLine: Record<number, string> = {};
        for (const [path, message] of Object.entries(error.fields ?? {})) {
          const at = lineFieldOf(path);
          if (at) byLine[at.line] = readableMessage(`${path}: ${message}`);
        }
        setLineErrors(byLine);
        submit.setError(readableMessage(error.message));
      },
    );
    if (!done) return false;
    setSaved({ ...done, supplierName, labels: all.map((l) => `${l.draft.drugLabel} · ${l.line.batchNumber}`) });
    setLines([]);
    setInvoice('');
    setEntry(EMPTY_LINE);
    return true;
  }

  return {
    supplierId, setSupplierId, invoice, setInvoice, invoiceDate, setInvoiceDate,
    lines, entry, entryErrors, headErrors, lineErrors, saved, submit,
    setEntry: (patch: Partial<LineDraft>) => setEntry((e) => ({ ...e, ...patch })),
    addEntry, edit, remove, save,
  };
}
