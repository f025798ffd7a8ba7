/* Where the pharmacy's Bill lands for a visit (pure, so it can be tested against a real suggestion). */

interface Suggestion {
  lines: readonly unknown[];
  existingInvoices: readonly { id: string; status: 'draft' | 'issued' | 'void' }[];
}

export type HandOffTarget = { kind: 'open'; invoiceId: string } | { kind: 'new' };

/**
 * A draft of the visit is opened (the cashier adds to it rather than making a second). An issued
 * bill is never reopened for new lines: what is left to bill goes on a new bill, and with nothing
 * left the latest bill is shown.
 */
export function handOffTarget(s: Suggestion): HandOffTarget {
  const draft = s.existingInvoices.find((e) => e.status === 'draft');
  if (draft) return { kind: 'open', invoiceId: draft.id };
  const last = s.existingInvoices.at(-1);
  if (last && s.lines.length === 0) return { kind: 'open', invoiceId: last.id };
  return { kind: 'new' };
}
