import { Badge, Button, Group, Paper, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { formatRupees } from '../../../shared/money';
import { call, type Output } from '../api/client';
import { useMethod } from '../api/hooks';
import { FormError } from '../FormError';
import { useApiSubmit } from '../forms';
import type { BatchAction, BatchRef } from './BatchActionDialog';

export type Item = Output<'pharmacy.items'>[number];

export const itemLabel = (i: { genericName: string; strength: string | null; form: string }) => [i.genericName, i.strength, i.form].filter(Boolean).join(' ');

/** One item: its batches (expiry, on hand, MRP) with the corrections of each, and its settings. */
export function ItemPanel({ item, today, onAction }: { item: Item; today: string; onAction: (b: BatchRef, a: BatchAction) => void }) {
  const stock = useMethod('pharmacy.stock', { drugId: item.drugId });
  const [message, setMessage] = useState<string | null>(null);
  const label = itemLabel(item);
  async function writeOff(batchId: string) {
    const r = await call('pharmacy.writeOffExpired', { batchId });
    setMessage(r.ok ? `Written off ${r.value.reduce((s, m) => s - m.qty, 0)} expired units.` : r.error.message);
  }
  return (
    <Paper withBorder p="sm" component="section" aria-label={`Batches of ${label}`}>
      <Group justify="space-between" mb={4}>
        <Title order={5}>{label}</Title>
        <Text size="sm">On hand: <b>{stock.data?.onHand ?? item.onHand}</b> units</Text>
      </Group>
      <Table fz="sm" withTableBorder aria-label="Batches">
        <Table.Thead>
          <Table.Tr><Table.Th>Batch</Table.Th><Table.Th>Expiry</Table.Th><Table.Th ta="right">On hand</Table.Th><Table.Th ta="right">MRP / pack</Table.Th><Table.Th ta="right">Pack</Table.Th><Table.Th /></Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(stock.data?.batches ?? []).map((b) => {
            const expired = b.expiry < today;
            const ref = { batchId: b.batchId, label, batchNumber: b.batchNumber, onHand: b.onHand };
            return (
              <Table.Tr key={b.batchId} bg={b.onHand < 0 ? 'red.0' : undefined}>
                <Table.Td>{b.batchNumber}</Table.Td>
                <Table.Td>{b.expiry} {expired && <Badge size="xs" color="red">expired</Badge>}</Table.Td>
                <Table.Td ta="right" c={b.onHand < 0 ? 'red' : undefined} fw={b.onHand < 0 ? 700 : undefined}>{b.onHand}</Table.Td>
                <Table.Td ta="right">{formatRupees(b.mrpPaise)}</Table.Td>
                <Table.Td ta="right">{b.packSize}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button size="compact-xs" variant="light" onClick={() => onAction(ref, 'adjust')} aria-label={`Adjust batch ${b.batchNumber}`}>Adjust</Button>
                    {b.onHand > 0 && <Button size="compact-xs" variant="light" onClick={() => onAction(ref, 'return')} aria-label={`Return batch ${b.batchNumber}`}>Return</Button>}
                    {expired && b.onHand > 0 && <Button size="compact-xs" variant="light" color="red" onClick={() => void writeOff(b.batchId)}>Write off</Button>}
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {message && <Text size="sm" mt={4} role="status">{message}</Text>}
      <ItemSettings key={item.drugId} item={item} />
    </Paper>
  );
}

/** The item's reorder level (units; below it the item is on the alerts) and its barcode. */
function ItemSettings({ item }: { item: Item }) {
  const [level, setLevel] = useState(String(item.reorderLevel ?? 0));
  const [barcode, setBarcode] = useState(item.barcode ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState(false);
  const { error, saving, run } = useApiSubmit({ setErrors });
  async function save(e: React.SyntheticEvent) {
    e.preventDefault();
    setDone(false);
    if (!/^\d{1,7}$/.test(level.trim())) return setErrors({ reorderLevel: 'Whole units, 0 for none' });
    const saved = await run(() => call('pharmacy.saveItem', { drugId: item.drugId, reorderLevel: Number(level.trim()), barcode: barcode.trim() || null }));
    setDone(saved !== null);
  }
  return (
    <form onSubmit={(e) => void save(e)} noValidate aria-label="Item settings">
      <Group align="flex-end" gap="xs" mt="sm">
        <TextInput size="xs" label="Reorder level (units)" value={level} error={errors.reorderLevel} onChange={(e) => setLevel(e.currentTarget.value)} />
        <TextInput size="xs" label="Item barcode" value={barcode} error={errors.barcode} onChange={(e) => setBarcode(e.currentTarget.value)} />
        <Button size="xs" type="submit" variant="default" loading={saving}>Save settings</Button>
        {done && <Text size="xs" c="teal">Saved.</Text>}
      </Group>
      <FormError error={error} mt={4} />
    </form>
  );
}
