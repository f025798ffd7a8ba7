import { Button, Group, Kbd, NativeSelect, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { call, type Output } from '../api/client';
import { FormError } from '../FormError';
import { useApiSubmit } from '../forms';
import { formatRupees, paiseOf } from './money';
import { RefundDialog, type RefundDone } from './RefundDialog';
import { REFUND_MODES, refundableLines, type RefundMode } from './refund-draft';

export { REFUND_MODES, type RefundMode } from './refund-draft';
type Invoice = Output<'billing.invoice'>;

/** Refunding money paid beyond the bill (a credit): how much, how, and why. */
export interface RefundDraft {
  amount: string;
  reason: string;
  mode: RefundMode;
}

export const EMPTY_REFUND: RefundDraft = { amount: '', reason: '', mode: 'cash' };

/**
 * Refunds on this bill (the cashier's refund permission): "Refund lines…" (Alt+R) opens the dialog
 * that takes several lines back in one refund, and money paid beyond the bill (a credit) is
 * refunded without a line. The credit note or refund voucher just issued is shown to print.
 */
export function RefundForm({ invoice, initial, onDocument }: { invoice: Invoice; initial: RefundDraft | null; onDocument: (id: string) => void }) {
  const [open, setOpen] = useState(false);
  const [issued, setIssued] = useState<{ id: string; title: string; number: string } | null>(null);
  const canTakeLines = refundableLines(invoice).length > 0;
  useHotkeys([['alt+R', () => canTakeLines && setOpen(true)]], []);

  function done(r: RefundDone) {
    setOpen(false);
    const note = r.creditNote;
    const money = r.amountPaise > 0 ? `Refunded ${formatRupees(r.amountPaise)} (${r.mode})` : 'No money back';
    notifications.show({ color: 'teal', message: `${money}; ${formatRupees(r.creditedPaise)} taken off the bill${note ? `: ${note.title} ${note.number}` : ''}.` });
    setIssued(note ? { id: note.id, title: note.title, number: note.number } : null);
  }

  return (
    <Paper withBorder p="sm" component="section" aria-label="Refund">
      <Stack gap={4}>
        <Group gap="xs">
          {canTakeLines && (
            <Button size="xs" variant="default" onClick={() => setOpen(true)} rightSection={<Kbd size="xs">Alt+R</Kbd>}>
              Refund lines…
            </Button>
          )}
          <Text size="xs" c="dimmed">
            A service not given or an item returned: tick its line. Lines not paid for come off the balance due.
          </Text>
        </Group>
        {invoice.creditPaise > 0 && <CreditRefund invoice={invoice} initial={initial} onDone={() => setIssued(null)} />}
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
      {open && <RefundDialog invoice={invoice} onClose={() => setOpen(false)} onDone={done} />}
    </Paper>
  );
}

/** Money paid beyond the bill (two desks each took full payment) given back: no line, no credit note. */
function CreditRefund({ invoice, initial, onDone }: { invoice: Invoice; initial: RefundDraft | null; onDone: () => void }) {
  const [draft, setDraft] = useState<RefundDraft>(initial ?? EMPTY_REFUND);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { error, setError, saving, run } = useApiSubmit({ setErrors });
  const set = (patch: Partial<RefundDraft>) => setDraft({ ...draft, ...patch });

  async function refund() {
    setError(null);
    const amountPaise = paiseOf(draft.amount);
    if (!amountPaise) return setErrors({ amountPaise: 'Enter the amount to refund' });
    setErrors({});
    const r = await run(() => call('billing.refund', { invoiceId: invoice.id, amountPaise, mode: draft.mode, reason: draft.reason }));
    if (!r) return;
    notifications.show({ message: `Refunded ${formatRupees(r.amountPaise)} paid beyond the bill.` });
    setDraft(EMPTY_REFUND);
    onDone();
  }

  return (
    <Stack gap={4}>
      <Group gap="xs" align="flex-end">
        <TextInput size="xs" label={`Paid beyond the bill (${formatRupees(invoice.creditPaise)}): refund ₹`} w={260} value={draft.amount} error={errors.amountPaise} onChange={(e) => set({ amount: e.currentTarget.value })} />
        <NativeSelect size="xs" label="Mode" data={REFUND_MODES} value={draft.mode} error={errors.mode} onChange={(e) => set({ mode: e.currentTarget.value as RefundMode })} />
        <TextInput size="xs" label="Reason" w={200} value={draft.reason} error={errors.reason} onChange={(e) => set({ reason: e.currentTarget.value })} />
        <Button size="xs" variant="default" onClick={() => void refund()} loading={saving}>
          Refund
        </Button>
      </Group>
      <FormError error={error} />
    </Stack>
  );
}
