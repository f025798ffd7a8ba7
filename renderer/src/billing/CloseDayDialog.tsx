import { Button, Group, Modal, Stack, Table, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { call, type Output } from '../api/client';
import { FormError } from '../FormError';
import { useApiSubmit } from '../forms';
import type { CashLine, CashTyped } from './day-end-cash';
import { formatRupees } from './money';

type Report = Output<'billing.dayEnd'>;

function differenceWords(d: number): string {
  if (d === 0) return 'cash tallies';
  return d < 0 ? `SHORT by ${formatRupees(-d)}` : `EXCESS of ${formatRupees(d)}`;
}

/**
 * Closing the day locks it on this workstation, so it is confirmed with the figures it will be
 * closed with; a cash difference needs a reason, which goes on the report, its PDF and the audit log.
 */
export function CloseDayDialog(props: { opened: boolean; date: string; typed: CashTyped; cash: CashLine; onClosed: (report: Report) => void; onCancel: () => void }) {
  const { cash } = props;
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = useApiSubmit({ setErrors });

  async function confirm() {
    if (cash.differencePaise !== 0 && reason.trim() === '') {
      return setErrors({ differenceReason: `Reason for the difference is required (${differenceWords(cash.differencePaise)})` });
    }
    setErrors({});
    const closed = await submit.run(() => call('billing.dayEnd', { date: props.date, ...props.typed, close: true, differenceReason: reason.trim() || null }));
    if (closed) props.onClosed(closed);
  }

  const row = (label: string, paise: number, testId: string) => (
    <Table.Tr>
      <Table.Td>{label}</Table.Td>
      <Table.Td ta="right" data-testid={testId}>
        {formatRupees(paise)}
      </Table.Td>
    </Table.Tr>
  );
  return (
    <Modal opened={props.opened} onClose={props.onCancel} title={`Close ${props.date} on this workstation?`} centered>
      <Stack>
        <Table aria-label="Closing figures">
          <Table.Tbody>
            {row('Opening cash', cash.openingPaise, 'close-opening')}
            {row('Expected cash', cash.expectedPaise, 'close-expected')}
            {row('Counted cash', cash.countedPaise, 'close-counted')}
          </Table.Tbody>
        </Table>
        <Text fw={700} c={cash.differencePaise === 0 ? 'teal' : 'red'} data-testid="close-difference">
          {differenceWords(cash.differencePaise)}
        </Text>
        {cash.differencePaise !== 0 && (
          <Textarea
            label="Reason for the difference"
            description="Printed on the day-end report and kept in the audit log."
            required
            autosize
            minRows={2}
            maxLength={300}
            data-autofocus
            value={reason}
            error={errors.differenceReason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
        )}
        <Text size="sm" c="dimmed">
          Once closed, this workstation takes no more payments or refunds for the day.
        </Text>
        <FormError error={submit.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onCancel}>
            Cancel
          </Button>
          {/* Focused when the cash tallies (nothing to type): Enter closes the day the cashier asked to close. */}
          <Button color="red" data-autofocus={cash.differencePaise === 0 ? true : undefined} loading={submit.saving} onClick={() => void confirm()}>
            Close the day
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
