import { Alert, Button, Group, Modal, NativeSelect, Paper, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type SyntheticEvent } from 'react';
import { hasPermission } from '../../../shared/permissions';
import { call } from '../api/client';
import { useMethod } from '../api/hooks';
import { useSession } from '../session';
import { formatRupees, paiseOf, rupees } from './money';
import { REFUND_MODES, type RefundMode } from './PaymentPanel';
import { CreditNotice } from './BillNotices';

/** The patient's unused advance, and giving it back (cashier or administrator). */
export function AdvancePanel({ patientId }: { patientId: string }) {
  const { user } = useSession();
  const advance = useMethod('billing.advance', { patientId });
  const [refunding, setRefunding] = useState(false);
  const canRefund = hasPermission(user.roles, 'billing.refund');
  const a = advance.data;
  // A patient who never left an advance needs no panel.
  if (!a || (a.receivedPaise === 0 && a.credits.length === 0)) return null;
  return (
    <Paper withBorder p="xs" component="section" aria-label="Advance">
      <Group justify="space-between">
        <Text size="sm">
          Advance left <b data-testid="advance-balance">{formatRupees(a.balancePaise)}</b>
        </Text>
        {canRefund && a.balancePaise > 0 && (
          <Button size="compact-xs" variant="default" onClick={() => setRefunding(true)}>
            Refund advance
          </Button>
        )}
      </Group>
      <Text size="xs" c="dimmed">
        received {formatRupees(a.receivedPaise)} · used on bills {formatRupees(a.usedPaise)} · refunded {formatRupees(a.refundedPaise)}
      </Text>
      {a.balancePaise < 0 && (
        // Two desks offline can each spend the same advance (ledger rows are never merged away).
        <Alert color="red" mt={4} p="xs" role="alert">
          More was used or refunded than the patient left: {formatRupees(-a.balancePaise)} short. This happens when two workstations used the
          same advance while offline; collect it on the next bill.
        </Alert>
      )}
      {a.credits.map((c) => (
        // A bill paid beyond its total (two desks took it offline): refunded on the bill, or kept here.
        <CreditNotice key={c.invoiceId} invoiceId={c.invoiceId} creditPaise={c.creditPaise} notice={`${c.invoiceNumber ?? 'A bill'}: ${c.notice}`} canAct={canRefund} />
      ))}
      {refunding && <RefundAdvanceDialog patientId={patientId} patientName={a.patientName} balancePaise={a.balancePaise} onClose={() => setRefunding(false)} />}
    </Paper>
  );
}

function RefundAdvanceDialog({ patientId, patientName, balancePaise, onClose }: { patientId: string; patientName: string; balancePaise: number; onClose: () => void }) {
  const [amount, setAmount] = useState(rupees(balancePaise));
  const [mode, setMode] = useState<RefundMode>('cash');
  const [reason, setReason] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    setError(null);
    const amountPaise = paiseOf(amount);
    // Rupees are turned into paise here; the service checks everything else (and the balance again).
    if (amountPaise === null || amountPaise === 0) return setFields({ amountPaise: 'Enter the amount in rupees, e.g. 400 or 400.50' });
    setBusy(true);
    const r = await call('billing.refund', { patientId, amountPaise, mode, reason });
    setBusy(false);
    if (!r.ok) {
      setError(r.error.message);
      setFields(r.error.fields ?? {});
      return;
    }
    notifications.show({ color: 'teal', message: `Refunded ${formatRupees(amountPaise)} of ${patientName}'s advance (${mode}); ${formatRupees(r.value.advanceBalancePaise)} left.` });
    onClose();
  }

  return (
    <Modal opened onClose={onClose} title={`Refund advance: ${patientName}`}>
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="Refund advance">
        <Stack>
          <Text size="sm">Unused advance: {formatRupees(balancePaise)}. The refund is recorded for today on this workstation and cannot be undone.</Text>
          <TextInput label="Amount ₹" data-autofocus value={amount} error={fields.amountPaise} onChange={(e) => setAmount(e.currentTarget.value)} />
          <NativeSelect label="Mode" data={REFUND_MODES} value={mode} error={fields.mode} onChange={(e) => setMode(e.currentTarget.value as RefundMode)} />
          <TextInput label="Reason" value={reason} error={fields.reason} onChange={(e) => setReason(e.currentTarget.value)} />
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="orange" loading={busy}>
              Refund
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
