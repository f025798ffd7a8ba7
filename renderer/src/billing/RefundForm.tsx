import { Button, Group, NativeSelect, Paper, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { PAYMENT_MODES, type PaymentMode } from '../../../shared/enums';
import { call, type Output } from '../api/client';
import { FormError } from '../FormError';
import { useApiSubmit } from '../forms';
import { formatRupees, paiseOf } from './money';

type Invoice = Output<'billing.invoice'>;
// Every payment mode but 'advance' (a credit kept as advance is its own action), as the contract says.
export type RefundMode = Exclude<PaymentMode, 'advance'>;
export const REFUND_MODES = PAYMENT_MODES.filter((m): m is RefundMode => m !== 'advance');

/** The refund form's state: a line of the bill (or money paid beyond it) and how much of it. */
export interface RefundDraft {
  /** Index of the line, or 'credit' for money paid beyond the bill. */
  line: string;
  by: 'quantity' | 'amount';
  quantity: string;
  amount: string;
  reason: string;
  mode: RefundMode;
}

export const EMPTY_REFUND: RefundDraft = { line: '', by: 'quantity', quantity: '1', amount: '', reason: '', mode: 'cash' };

type RefundCall = Parameters<typeof call<'billing.refund'>>[1];

/** The call for the form as filled in, or what is missing, against the field at fault. */
function refundInput(invoiceId: string, draft: RefundDraft): RefundCall | { errors: Record<string, string> } {
  const base = { invoiceId, mode: draft.mode, reason: draft.reason };
  if (draft.line === '') return { errors: { lines: 'Choose the line refunded' } };
  if (draft.line === 'credit') {
    const amountPaise = paiseOf(draft.amount);
    return amountPaise ? { ...base, amountPaise } : { errors: { amountPaise: 'Enter the amount to refund' } };
  }
  if (draft.by === 'quantity') {
    const quantity = Number(draft.quantity);
    if (!Number.isInteger(quantity) || quantity < 1) return { errors: { 'lines.0.quantity': 'Enter the units refunded' } };
    return { ...base, lines: [{ line: Number(draft.line), quantity }] };
  }
  const amountPaise = paiseOf(draft.amount);
  return amountPaise ? { ...base, lines: [{ line: Number(draft.line), amountPaise }] } : { errors: { 'lines.0.amountPaise': 'Enter the amount refunded' } };
}

/**
 * Money back against this bill (the cashier's refund permission): the line refunded and its
 * units or an amount against it, never more than is left of it; a taxable line gives a credit
 * note, exempt lines a refund voucher, shown with its number to print. Money paid beyond the
 * bill (a credit) is refunded without a line.
 */
export function RefundForm({ invoice, initial, onDocument }: { invoice: Invoice; initial: RefundDraft | null; onDocument: (id: string) => void }) {
  const [draft, setDraft] = useState<RefundDraft>(initial ?? EMPTY_REFUND);
  const [issued, setIssued] = useState<{ id: string; title: string; number: string } | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { error, setError, saving, run } = useApiSubmit({ setErrors });
  const refundable = invoice.lines.map((l, i) => ({ i, l, left: l.totalPaise - l.refundedPaise })).filter((x) => x.left > 0);
  const options = [
    { value: '', label: 'Choose the line refunded…' },
    ...refundable.map(({ i, l, left }) => ({ value: String(i), label: `${i + 1}. ${l.description} (${formatRupees(left)} left)` })),
    ...(invoice.creditPaise > 0 ? [{ value: 'credit', label: `Paid beyond the bill (${formatRupees(invoice.creditPaise)})` }] : []),
  ];
  const set = (patch: Partial<RefundDraft>) => setDraft({ ...draft, ...patch });

  async function doRefund() {
    setError(null);
    setErrors({});
    const input = refundInput(invoice.id, draft);
    if ('errors' in input) return setErrors(input.errors);
    const done = await run(() => call('billing.refund', input));
    if (!done) return;
    const note = done.creditNote;
    notifications.show({ message: `Refunded ${formatRupees(done.amountPaise)}${note ? `: ${note.title} ${note.number}` : ''}.` });
    setIssued(note ? { id: note.id, title: note.title, number: note.number } : null);
    setDraft(EMPTY_REFUND);
  }

  return (
    <Paper withBorder p="sm" component="section" aria-label="Refund">
      <Stack gap={4}>
        <Group gap="xs" align="flex-end">
          <NativeSelect size="xs" label="Line refunded" w={300} data={options} value={draft.line} error={errors.lines} onChange={(e) => set({ line: e.currentTarget.value })} />
          {draft.line !== 'credit' && (
            <NativeSelect
              size="xs"
              label="By"
              data={[
                { value: 'quantity', label: 'Units' },
                { value: 'amount', label: 'Amount' },
              ]}
              value={draft.by}
              onChange={(e) => set({ by: e.currentTarget.value === 'amount' ? 'amount' : 'quantity' })}
            />
          )}
          {draft.line !== 'credit' && draft.by === 'quantity' ? (
            <TextInput size="xs" label="Units" w={70} value={draft.quantity} error={errors['lines.0.quantity']} onChange={(e) => set({ quantity: e.currentTarget.value })} />
          ) : (
            <TextInput size="xs" label="Refund ₹" w={100} value={draft.amount} error={errors['lines.0.amountPaise'] ?? errors.amountPaise} onChange={(e) => set({ amount: e.currentTarget.value })} />
          )}
          <NativeSelect size="xs" label="Mode" data={REFUND_MODES} value={draft.mode} onChange={(e) => set({ mode: e.currentTarget.value as RefundMode })} />
          <TextInput size="xs" label="Reason" w={200} value={draft.reason} error={errors.reason} onChange={(e) => set({ reason: e.currentTarget.value })} />
          <Button size="xs" variant="default" onClick={() => void doRefund()} loading={saving}>
            Refund
          </Button>
        </Group>
        <FormError error={error} />
        {issued && (
          <Group gap="xs" data-testid="credit-note-issued">
            <Text size="sm">
              {issued.title} {issued.number} issued.
            </Text>
            <Button size="compact-xs" variant="light" onClick={() => onDocument(issued.id)}>
              Print {issued.title.toLowerCase()}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
