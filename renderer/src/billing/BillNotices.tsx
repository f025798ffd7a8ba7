import { Alert, Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { hasPermission } from '../../../shared/permissions';
import { call, type Output } from '../api/client';
import { useSession } from '../session';
import { formatRupees } from './money';

type Invoice = Output<'billing.invoice'>;

/**
 * What sync made of a bill that the cashier must see: a bill issued at two desks while offline (both
 * numbers, which one it keeps), and money paid beyond its total (refund it, or keep it as advance).
 */
export function BillNotices({ invoice, onRefundCredit }: { invoice: Invoice; onRefundCredit: (creditPaise: number) => void }) {
  const { user } = useSession();
  const canRefund = hasPermission(user.roles, 'billing.refund');
  return (
    <>
      {invoice.issues.notice && (
        <Alert color="yellow" p="xs" role="status" data-testid="issued-twice">
          <Text size="sm">{invoice.issues.notice}</Text>
          <Text size="xs" c="dimmed">
            The voided number stays in its desk's GST series and day-end. Nothing to do unless the patient holds the voided bill: give them this one.
          </Text>
        </Alert>
      )}
      {invoice.creditNotice && <CreditNotice invoiceId={invoice.id} creditPaise={invoice.creditPaise} notice={invoice.creditNotice} canAct={canRefund} onRefund={() => onRefundCredit(invoice.creditPaise)} />}
    </>
  );
}

/** "Credit ₹500: refund it or keep it as advance", with both actions for a cashier or administrator. */
export function CreditNotice(props: { invoiceId: string; creditPaise: number; notice: string; canAct: boolean; onRefund?: (() => void) | undefined }) {
  const [error, setError] = useState<string | null>(null);
  async function keep() {
    setError(null);
    const r = await call('billing.keepCreditAsAdvance', { invoiceId: props.invoiceId });
    if (!r.ok) return setError(r.error.message);
    notifications.show({ color: 'teal', message: `${formatRupees(r.value.amountPaise)} moved to the patient's advance (receipt ${r.value.receiptNumber}); advance left ${formatRupees(r.value.advanceBalancePaise)}.` });
  }
  return (
    <Alert color="orange" p="xs" role="status" data-testid="credit-notice">
      <Group justify="space-between" gap="xs">
        <Text size="sm">{props.notice}</Text>
        {props.canAct && (
          <Group gap="xs">
            {props.onRefund && (
              <Button size="compact-xs" variant="default" onClick={props.onRefund}>
                Refund it
              </Button>
            )}
            <Button size="compact-xs" variant="default" onClick={() => void keep()}>
              Keep as advance
            </Button>
          </Group>
        )}
      </Group>
      {error && (
        <Text size="xs" c="red" role="alert">
          {error}
        </Text>
      )}
    </Alert>
  );
}
