import { ActionIcon, Badge, Button, Group, NativeSelect, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { call, type Output } from '../api/client';
import { FormError } from '../FormError';
import { useApiSubmit } from '../forms';
import { useSession } from '../session';
import { hasPermission } from '../../../shared/permissions';
import { supplyLabel } from '../../../shared/supply';
import { Totals } from './InvoiceEditor';
import { BillNotices } from './BillNotices';
import { formatRupees, paiseOf, rupees } from './money';
import { EMPTY_REFUND, RefundForm, type RefundDraft } from './RefundForm';

type Invoice = Output<'billing.invoice'>;
const MODES = ['cash', 'upi', 'card', 'netbanking', 'wallet', 'insurance', 'advance'] as const;
type Mode = (typeof MODES)[number];
export { REFUND_MODES, type RefundMode } from './RefundForm';
const NEEDS_REF: Partial<Record<Mode, string>> = { upi: 'UTR (12 digits)', card: 'RRN (12 digits)', netbanking: 'Reference', insurance: 'Claim number' };

/** An issued bill: its totals, the money taken so far, and taking the rest (split across modes). */
export function PaymentPanel({ invoice, onDocument }: { invoice: Invoice; onDocument: (kind: 'invoice' | 'receipt' | 'credit-note', id: string) => void }) {
  const { user } = useSession();
  const canRefund = hasPermission(user.roles, 'billing.refund');
  // "Refund it" on a credit fills the refund form: a fresh form (new key) starting from the credit.
  const [refundPrefill, setRefundPrefill] = useState<{ draft: RefundDraft; n: number } | null>(null);
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={4}>
          {invoice.documentType} {invoice.invoiceNumber} · {invoice.patient.name}
        </Title>
        <Badge size="lg" color={invoice.statusLabel === 'paid' ? 'teal' : invoice.statusLabel === 'void' ? 'gray' : 'orange'} data-testid="invoice-status">
          {invoice.statusLabel}
        </Badge>
      </Group>
      <BillNotices invoice={invoice} onRefundCredit={(creditPaise) => setRefundPrefill({ draft: { ...EMPTY_REFUND, amount: rupees(creditPaise), reason: 'Paid beyond the bill total' }, n: (refundPrefill?.n ?? 0) + 1 })} />
      <Table withTableBorder aria-label="Bill lines">
        <Table.Tbody>
          {invoice.lines.map((l, i) => (
            <Table.Tr key={i}>
              <Table.Td>{l.description}</Table.Td>
              <Table.Td>
                {l.quantity} × {formatRupees(l.ratePaise)}
              </Table.Td>
              <Table.Td>{l.supplyKind === 'taxable' ? `GST ${l.gstRateBp / 100}%` : supplyLabel(l.supplyKind)}</Table.Td>
              <Table.Td ta="right">{formatRupees(l.totalPaise)}</Table.Td>
              <Table.Td ta="right" c="dimmed" data-testid={`line-${i}-refunded`}>
                {l.refundedPaise > 0 ? `refunded ${l.refundedQuantity > 0 ? `${l.refundedQuantity} · ` : ''}${formatRupees(l.refundedPaise)}` : ''}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Totals invoice={invoice} />
      {invoice.payments.length > 0 && <PaymentsTaken invoice={invoice} onDocument={onDocument} />}
      <Text fw={700} data-testid="balance">
        {balanceText(invoice)}
      </Text>
      {invoice.status === 'issued' && invoice.balancePaise > 0 && <TakePayment invoice={invoice} />}
      {canRefund && invoice.status === 'issued' && (invoice.paidPaise > 0 || invoice.lines.some((l) => l.refundedPaise < l.totalPaise)) && (
        <RefundForm key={refundPrefill?.n ?? 0} invoice={invoice} initial={refundPrefill?.draft ?? null} onDocument={(id) => onDocument('credit-note', id)} />
      )}
      <Group>
        <Button variant="default" size="xs" onClick={() => onDocument('invoice', invoice.id)}>
          Invoice PDF / print
        </Button>
      </Group>
    </Stack>
  );
}

/** What the bill still asks for, or why it asks for nothing; lines taken off a bill not paid for are named. */
function balanceText(invoice: Invoice): string {
  const off = invoice.creditedPaise > invoice.refundedPaise ? ` (${formatRupees(invoice.creditedPaise)} taken off the bill)` : '';
  if (invoice.balancePaise > 0) return `Balance due ${formatRupees(invoice.balancePaise)}${off}`;
  if (invoice.status === 'void') return `Void: ${invoice.voidReason ?? ''}`;
  if (invoice.statusLabel === 'refunded') return 'Refunded in full';
  if (invoice.statusLabel === 'credited') return `Nothing due: every line taken off the bill (${formatRupees(invoice.creditedPaise)})`;
  if (invoice.statusLabel === 'partly refunded') return `Paid in full, refunded in part (${formatRupees(invoice.creditedPaise)})`;
  return `Paid in full${off}`;
}

/** The receipts issued against the bill, and its refunds. */
function PaymentsTaken({ invoice, onDocument }: { invoice: Invoice; onDocument: (kind: 'receipt' | 'credit-note', id: string) => void }) {
  return (
    <Table aria-label="Payments">
      <Table.Tbody>
        {invoice.payments.map((p) => (
          <Table.Tr key={p.id}>
            <Table.Td>{p.receiptNumber}</Table.Td>
            <Table.Td>{p.mode}</Table.Td>
            <Table.Td>{p.reference ?? ''}</Table.Td>
            <Table.Td ta="right">{formatRupees(p.amountPaise)}</Table.Td>
            <Table.Td>
              <Button size="compact-xs" variant="subtle" onClick={() => onDocument('receipt', p.id)}>
                Receipt
              </Button>
            </Table.Td>
          </Table.Tr>
        ))}
        {invoice.refunds.map((r) => (
          <Table.Tr key={r.id}>
            <Table.Td>{r.amountPaise > 0 ? 'refund' : 'taken off'}</Table.Td>
            <Table.Td>{r.amountPaise > 0 ? r.mode : 'not paid: no money back'}</Table.Td>
            <Table.Td>
              {r.lines.map((l) => `#${l.line + 1} ${l.description}${l.quantity !== null ? ` × ${l.quantity}` : ''}`).join('; ') || 'paid beyond the bill'} · {r.reason}
            </Table.Td>
            <Table.Td ta="right">−{formatRupees(r.amountPaise > 0 ? r.amountPaise : r.creditedPaise)}</Table.Td>
            <Table.Td>
              {r.creditNote && (
                <Button size="compact-xs" variant="subtle" onClick={() => onDocument('credit-note', r.creditNote!.id)}>
                  {r.creditNote.title} {r.creditNote.number}
                </Button>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

type Part = { mode: Mode; amount: string; reference: string };

/** Taking the balance, split across modes; UPI, card and bank transfers need their reference. */
function TakePayment({ invoice }: { invoice: Invoice }) {
  const [parts, setParts] = useState<Part[]>([{ mode: 'cash', amount: rupees(Math.max(0, invoice.balancePaise)), reference: '' }]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { error, setError, saving, run } = useApiSubmit({ setErrors });
  const setPart = (i: number, patch: Partial<Part>) => setParts(parts.map((x, j) => (j === i ? { ...x, ...patch } : x)));

  async function pay() {
    setError(null);
    const bad: Record<string, string> = {};
    const out = parts.map((p, i) => {
      const paise = paiseOf(p.amount);
      if (paise === null || paise === 0) bad[`parts.${i}.amountPaise`] = 'Enter an amount';
      return { mode: p.mode, amountPaise: paise ?? 0, ...(p.reference ? { reference: p.reference } : {}) };
    });
    setErrors(bad);
    if (Object.keys(bad).length > 0) return;
    const paid = await run(() => call('billing.recordPayment', { invoiceId: invoice.id, parts: out }));
    if (!paid) return;
    notifications.show({ color: 'teal', message: `Received ${formatRupees(out.reduce((s, p) => s + p.amountPaise, 0))} (receipt ${paid.receiptNumber}).` });
    setParts([{ mode: 'cash', amount: '0.00', reference: '' }]);
  }

  return (
    <Paper
      withBorder
      p="sm"
      component="section"
      aria-label="Take payment"
      // Enter in an amount or a reference records the payment; buttons and selects keep their own Enter.
      onKeyDown={(e) => e.key === 'Enter' && e.target instanceof HTMLInputElement && !saving && void pay()}
    >
      <Stack gap={4}>
        {parts.map((p, i) => (
          <Group key={i} gap="xs" align="flex-start">
            <NativeSelect size="xs" aria-label={`Part ${i + 1} mode`} data={[...MODES]} value={p.mode} onChange={(e) => setPart(i, { mode: e.currentTarget.value as Mode })} />
            <TextInput size="xs" w={110} aria-label={`Part ${i + 1} amount`} autoFocus={i === 0} value={p.amount} error={errors[`parts.${i}.amountPaise`]} onChange={(e) => setPart(i, { amount: e.currentTarget.value })} />
            {NEEDS_REF[p.mode] && (
              <TextInput size="xs" w={170} aria-label={`Part ${i + 1} reference`} placeholder={NEEDS_REF[p.mode]} value={p.reference} error={errors[`parts.${i}.reference`]} onChange={(e) => setPart(i, { reference: e.currentTarget.value })} />
            )}
            {parts.length > 1 && (
              <ActionIcon variant="subtle" color="red" aria-label={`Remove part ${i + 1}`} onClick={() => setParts(parts.filter((_, j) => j !== i))}>
                ×
              </ActionIcon>
            )}
          </Group>
        ))}
        <Group>
          <Button size="xs" variant="subtle" onClick={() => setParts([...parts, { mode: 'upi', amount: '', reference: '' }])}>
            + Split: add another mode
          </Button>
          <Button size="sm" onClick={() => void pay()} loading={saving}>
            Record payment
          </Button>
        </Group>
        <FormError error={error} />
      </Stack>
    </Paper>
  );
}
