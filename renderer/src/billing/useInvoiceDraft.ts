import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { call, type Input, type Output } from '../api/client';
import { useApiSubmit } from '../forms';
import { formatRupees, paiseOf, rupees } from './money';

type Invoice = Output<'billing.invoice'>;
export type LineIn = NonNullable<Input<'billing.updateInvoice'>['lines']>[number];
type Discount = Input<'billing.updateInvoice'>['discount'];

/** Lines as the cashier edits them: amounts as typed (rupees), converted to paise when saved. */
export interface EditLine {
  kind: LineIn['kind'];
  refId: string | null;
  description: string;
  sacHsn: string | null;
  quantity: string;
  rate: string;
  discount: string;
  gstRateBp: number;
  taxInclusive: boolean;
}

/** A medicine at ₹0 has no price yet (no MRP in the formulary): its rate field starts empty, asking for it. */
export function needsPrice(l: Pick<EditLine, 'kind' | 'rate'>): boolean {
  return l.kind === 'medicine' && (l.rate.trim() === '' || paiseOf(l.rate) === 0);
}

function toEdit(l: Invoice['lines'][number]): EditLine {
  const rate = l.kind === 'medicine' && l.ratePaise === 0 ? '' : rupees(l.ratePaise);
  return { kind: l.kind, refId: l.refId, description: l.description, sacHsn: l.sacHsn, quantity: String(l.quantity), rate, discount: rupees(l.discountPaise), gstRateBp: l.gstRateBp, taxInclusive: l.taxInclusive };
}

/** The bill discount as typed: ₹ off or % off, its value and reason. */
export interface DiscountDraft {
  kind: 'amount' | 'percent';
  value: string;
  reason: string;
}

function discountDraft(invoice: Invoice): DiscountDraft {
  const d = invoice.discount;
  if (!d) return { kind: 'amount', value: '', reason: '' };
  return { kind: d.kind, value: d.kind === 'amount' ? rupees(d.value) : String(d.value / 100), reason: d.reason ?? '' };
}

/** What the cashier typed, checked and turned into paise; the errors by field when it cannot be. */
function toPayload(lines: EditLine[], disc: DiscountDraft): { lines: LineIn[]; discount: Discount } | { errors: Record<string, string> } {
  const out: LineIn[] = [];
  const bad: Record<string, string> = {};
  lines.forEach((l, i) => {
    const rate = paiseOf(l.rate);
    const discount = paiseOf(l.discount || '0');
    const qty = Number(l.quantity);
    if (needsPrice(l)) bad[`lines.${i}.ratePaise`] = `Enter the price of line ${i + 1} (${l.description || 'medicine'})`;
    else if (rate === null) bad[`lines.${i}.ratePaise`] = 'Enter an amount like 500 or 47.25';
    if (discount === null) bad[`lines.${i}.discountPaise`] = 'Enter an amount like 10 or 2.50';
    if (!Number.isInteger(qty) || qty < 1) bad[`lines.${i}.quantity`] = 'Whole number, 1 or more';
    out.push({ kind: l.kind, refId: l.refId, description: l.description, sacHsn: l.sacHsn, quantity: qty, ratePaise: rate ?? 0, discountPaise: discount ?? 0, gstRateBp: l.gstRateBp, taxInclusive: l.taxInclusive });
  });
  let discount: Discount = null;
  if (disc.value.trim()) {
    // Rupees to paise, and a percentage to basis points, have the same two-decimal shape.
    const v = paiseOf(disc.value);
    if (v === null) bad['discount.value'] = 'Enter a number';
    else discount = { kind: disc.kind, value: v, reason: disc.reason };
  }
  return Object.keys(bad).length > 0 ? { errors: bad } : { lines: out, discount };
}

/**
 * A draft bill being edited: its lines and discount as typed, the errors by field, and an
 * administrator's approval asked for once the server says the discount needs one.
 */
export function useInvoiceDraft(invoice: Invoice) {
  const [lines, setLines] = useState<EditLine[]>(invoice.lines.map(toEdit));
  const [discount, setDiscount] = useState<DiscountDraft>(() => discountDraft(invoice));
  const [approver, setApprover] = useState({ username: '', password: '' });
  const [needsApproval, setNeedsApproval] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = useApiSubmit({ setErrors });
  const approval = needsApproval ? { approval: approver } : {};
  const askApproval = (e: { message: string }) => /admin/i.test(e.message) && setNeedsApproval(true);

  async function save(): Promise<boolean> {
    submit.setError(null);
    const p = toPayload(lines, discount);
    setErrors('errors' in p ? p.errors : {});
    if ('errors' in p) return false;
    return (await submit.run(() => call('billing.updateInvoice', { invoiceId: invoice.id, lines: p.lines, discount: p.discount, ...approval }), askApproval)) !== null;
  }

  async function issue() {
    if (!(await save())) return;
    const issued = await submit.run(() => call('billing.issueInvoice', { invoiceId: invoice.id, ...approval }), askApproval);
    if (issued) notifications.show({ color: 'teal', message: `Issued ${issued.invoiceNumber} for ${formatRupees(issued.totals.totalPaise)}.` });
  }

  return {
    lines,
    setLines,
    setLine: (i: number, patch: Partial<EditLine>) => setLines(lines.map((l, j) => (j === i ? { ...l, ...patch } : l))),
    discount,
    setDiscount,
    approver,
    setApprover,
    needsApproval,
    errors,
    error: submit.error,
    saving: submit.saving,
    save,
    issue,
  };
}
