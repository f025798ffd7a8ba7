import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { call } from '../api/client';
import { FormError } from '../FormError';
import { useApiSubmit } from '../forms';

export interface BatchRef {
  batchId: string;
  label: string;
  batchNumber: string;
  onHand: number;
}

/** adjust: units ± with a reason; count: what is on the shelf (the adjustment is the difference); return: units back to the supplier. */
export type BatchAction = 'adjust' | 'count' | 'return';

const TITLES: Record<BatchAction, string> = { adjust: 'Adjust stock', count: 'Count and correct', return: 'Return to supplier' };

/**
 * One correction of one batch: each is a new movement in the ledger with its reason (a mistake is
 * put right by another movement, never by editing one). Enter confirms, Escape closes.
 */
// Long by design: three small forms that differ in one box and one call.
export function BatchActionDialog({ batch, action, onClose }: { batch: BatchRef; action: BatchAction; onClose: () => void }) {
  const [qty, setQty] = useState('');
  const [reason, setReason] = useState(action === 'count' ? 'Counted on the shelf' : '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { error, saving, run } = useApiSubmit({ setErrors });
  const n = /^[+-]?\d{1,7}$/.test(qty.trim()) ? Number(qty.trim()) : null;
  const change = action === 'count' && n !== null ? n - batch.onHand : n;

  async function confirm(e: React.SyntheticEvent) {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (n === null || (action !== 'adjust' && n < 0)) found.quantity = action === 'adjust' ? 'Units to add (+) or take off (−), e.g. -2' : 'Whole units';
    else if (change === 0) found.quantity = action === 'count' ? 'That is what the ledger says: nothing to correct' : 'Quantity cannot be zero';
    if (!reason.trim()) found.reason = 'Reason is required';
    setErrors(found);
    if (Object.keys(found).length > 0 || change === null) return;
    const done = await run(() =>
      action === 'return'
        ? call('pharmacy.returnToSupplier', { batchId: batch.batchId, quantity: change, reason: reason.trim() })
        : call('pharmacy.adjust', { batchId: batch.batchId, quantity: change, reason: reason.trim() }),
    );
    if (done) onClose();
  }

  return (
    <Modal opened onClose={onClose} title={`${TITLES[action]}: ${batch.label}, batch ${batch.batchNumber}`}>
      <form onSubmit={(e) => void confirm(e)} noValidate aria-label={TITLES[action]}>
        <Stack gap="xs">
          <Text size="sm">
            The ledger says <b>{batch.onHand}</b> units on hand.
          </Text>
          <TextInput
            data-autofocus
            label={action === 'count' ? 'Units counted on the shelf' : action === 'return' ? 'Units sent back' : 'Units (+ found, − missing or broken)'}
            value={qty}
            error={errors.quantity}
            onChange={(e) => setQty(e.currentTarget.value)}
            description={action === 'count' && change !== null ? `Adjustment: ${change > 0 ? '+' : ''}${change} units` : undefined}
          />
          <TextInput label="Reason" required value={reason} error={errors.reason} maxLength={200} onChange={(e) => setReason(e.currentTarget.value)} placeholder={action === 'return' ? 'e.g. near expiry, damaged in transit' : 'e.g. strip broken, recount'} />
          <FormError error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={saving}>{TITLES[action]}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
