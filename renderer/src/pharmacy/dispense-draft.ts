import type { Output } from '../api/client';

/* The dispense being prepared for one visit: per prescribed item, the drug, the batch and the quantity as typed. */

export type Rx = Output<'pharmacy.prescription'>;
export type VisitView = Output<'pharmacy.visit'>;
export type Choice = VisitView['items'][number]['choices'][number];

export interface DraftLine {
  itemIndex: number;
  /** The drug to give: the one prescribed or a same-generic substitute; null when none is in the formulary. */
  drugId: string | null;
  /** A batch chosen by hand or by a scan; null: first expiry, first out. */
  batchId: string | null;
  quantity: string;
}

const stockOf = (c: Choice | undefined) => (c ? c.batches.reduce((a, b) => a + b.onHand, 0) : 0);

/** The starting draft: the prescribed drug when it is in stock, else the first substitute that is; the open quantity, capped by stock. */
export function initialDraft(rx: Rx, view: VisitView): DraftLine[] {
  return rx.items.map((item) => {
    const choices = view.items[item.itemIndex]?.choices ?? [];
    const choice = choices.find((c) => c.prescribed && stockOf(c) > 0) ?? choices.find((c) => stockOf(c) > 0) ?? choices[0];
    const open = item.open ?? 0;
    const qty = Math.min(open, stockOf(choice));
    return { itemIndex: item.itemIndex, drugId: choice?.drugId ?? null, batchId: null, quantity: qty > 0 ? String(qty) : '' };
  });
}

export function choiceOf(view: VisitView, line: DraftLine): Choice | undefined {
  return view.items[line.itemIndex]?.choices.find((c) => c.drugId === line.drugId);
}

/** What a scan means for this prescription: the line it selects a batch for, or why it cannot. */
export type ScanResult = { kind: 'line'; index: number; drugId: string; batchId: string | null; text: string } | { kind: 'refused'; text: string };

/**
 * A scanned code's drug and batch matched to the draft: the item whose choices include that drug
 * (an open one first). A batch not among the choice's usable batches is expired or out of stock;
 * the caller words that (it can look the batch up).
 */
export function matchScan(rx: Rx, view: VisitView, draft: DraftLine[], scan: { drugId: string; batchId: string | null }): ScanResult | { kind: 'unusable'; choice: Choice } | { kind: 'not-prescribed' } {
  const candidates = draft
    .map((line, index) => ({ line, index, choice: view.items[line.itemIndex]?.choices.find((c) => c.drugId === scan.drugId) }))
    .filter((x) => x.choice !== undefined);
  const hit = candidates.find((x) => (rx.items[x.line.itemIndex]?.open ?? 1) > 0) ?? candidates[0];
  if (!hit?.choice) return { kind: 'not-prescribed' };
  const choice = hit.choice;
  if (scan.batchId && !choice.batches.some((b) => b.batchId === scan.batchId)) return { kind: 'unusable', choice };
  const batch = choice.batches.find((b) => b.batchId === scan.batchId);
  return { kind: 'line', index: hit.index, drugId: choice.drugId, batchId: scan.batchId, text: `${choice.label}${batch ? `, batch ${batch.batchNumber} (exp ${batch.expiry})` : ''} selected for line ${hit.index + 1}.` };
}

/** The lines to send: items with a quantity; a line's errors named by its number. */
export function toDispense(draft: DraftLine[]): { lines: { itemIndex: number; drugId: string; quantity: number; batchId?: string }[] } | { errors: Record<number, string> } {
  const errors: Record<number, string> = {};
  const lines: { itemIndex: number; drugId: string; quantity: number; batchId?: string }[] = [];
  draft.forEach((l, i) => {
    if (l.quantity.trim() === '') return;
    const q = Number(l.quantity);
    if (!Number.isInteger(q) || q < 0) errors[i] = `Line ${i + 1}: the quantity must be whole units`;
    else if (q > 0 && !l.drugId) errors[i] = `Line ${i + 1}: this medicine is not in the formulary and cannot be dispensed`;
    else if (q > 0 && l.drugId) lines.push({ itemIndex: l.itemIndex, drugId: l.drugId, quantity: q, ...(l.batchId ? { batchId: l.batchId } : {}) });
  });
  if (Object.keys(errors).length > 0) return { errors };
  if (lines.length === 0) return { errors: { [-1]: 'Enter a quantity on at least one line' } };
  return { lines };
}

/** A server error's field `lines.N.x` is the Nth line sent: back to the draft's line. */
export function draftLineOfField(sent: { itemIndex: number }[], draft: DraftLine[], field: string): number | null {
  const m = /^lines\.(\d+)\./.exec(field);
  if (!m) return null;
  const itemIndex = sent[Number(m[1])]?.itemIndex;
  const i = draft.findIndex((l) => l.itemIndex === itemIndex);
  return i < 0 ? null : i;
}
