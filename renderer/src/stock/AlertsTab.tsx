import { Paper, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useMethod } from '../api/hooks';
import { itemLabel } from './ItemPanel';

const DAYS = { '30': 30, '60': 60, '90': 90 } as const;

/** What needs the stock-keeper: batches expiring within 30, 60 or 90 days (expired ones too), and items below their reorder level. */
export function AlertsTab({ today }: { today: string }) {
  const [days, setDays] = useState<'30' | '60' | '90'>('30');
  const near = useMethod('pharmacy.nearExpiry', { days: DAYS[days] });
  const below = useMethod('pharmacy.belowReorder', {});
  const ids = (below.data ?? []).map((b) => b.drugId);
  const names = useMethod('pharmacy.items', { drugIds: ids }, { enabled: ids.length > 0 });
  const nameOf = (drugId: string) => {
    const i = names.data?.find((n) => n.drugId === drugId);
    return i ? itemLabel(i) : '…';
  };
  return (
    <Stack gap="sm">
      <Paper withBorder p="sm" component="section" aria-label="Near expiry">
        <Title order={5} mb={4}>Near expiry</Title>
        <SegmentedControl size="xs" value={days} onChange={setDays} data={[{ value: '30', label: '30 days' }, { value: '60', label: '60 days' }, { value: '90', label: '90 days' }]} aria-label="Expiring within" />
        <Table fz="sm" mt={4} striped aria-label={`Expiring within ${days} days`}>
          <Table.Thead><Table.Tr><Table.Th>Drug</Table.Th><Table.Th>Batch</Table.Th><Table.Th>Expiry</Table.Th><Table.Th ta="right">On hand</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {near.data?.length === 0 && <Table.Tr><Table.Td colSpan={4}>Nothing in stock expires within {days} days.</Table.Td></Table.Tr>}
            {(near.data ?? []).map((b) => (
              <Table.Tr key={b.batchId}>
                <Table.Td>{b.drugName}</Table.Td><Table.Td>{b.batchNumber}</Table.Td>
                <Table.Td c={b.expiry < today ? 'red' : 'orange.8'}>{b.expiry}{b.expiry < today ? ' (expired)' : ''}</Table.Td>
                <Table.Td ta="right">{b.onHand}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <Paper withBorder p="sm" component="section" aria-label="Below reorder level">
        <Title order={5} mb={4}>Below reorder level</Title>
        <Table fz="sm" striped aria-label="Items below reorder level">
          <Table.Thead><Table.Tr><Table.Th>Item</Table.Th><Table.Th ta="right">On hand</Table.Th><Table.Th ta="right">Reorder level</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {below.data?.length === 0 && <Table.Tr><Table.Td colSpan={3}>Every item is at or above its reorder level.</Table.Td></Table.Tr>}
            {(below.data ?? []).map((b) => (
              <Table.Tr key={b.drugId}><Table.Td>{nameOf(b.drugId)}</Table.Td><Table.Td ta="right" c={b.onHand < 0 ? 'red' : undefined}>{b.onHand}</Table.Td><Table.Td ta="right">{b.reorderLevel}</Table.Td></Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed" mt={4}>Set an item’s reorder level on the Stock tab.</Text>
      </Paper>
    </Stack>
  );
}
