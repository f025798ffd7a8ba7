import { Group, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { formatRupees } from '../../../shared/money';
import { addDays } from '../format';
import { useMethod } from '../api/hooks';
import { PurchaseRegister } from './PurchaseRegister';

/** The stock's worth (at purchase rate and at MRP), fast and slow movers over a range, and the purchase register. */
export function ReportsTab({ today }: { today: string }) {
  const valuation = useMethod('pharmacy.valuation', {});
  const [from, setFrom] = useState(addDays(today, -29));
  const [to, setTo] = useState(today);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  const movers = useMethod('pharmacy.movers', { from, to, limit: 10 }, { enabled: valid });
  const v = valuation.data;
  return (
    <Stack gap="sm">
      <Paper withBorder p="sm" component="section" aria-label="Stock valuation">
        <Title order={5} mb={4}>Stock valuation</Title>
        <Table fz="sm" striped withTableBorder aria-label="Valuation by item">
          <Table.Thead><Table.Tr><Table.Th>Item</Table.Th><Table.Th ta="right">Units</Table.Th><Table.Th ta="right">At purchase rate</Table.Th><Table.Th ta="right">At MRP</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {v?.items.length === 0 && <Table.Tr><Table.Td colSpan={4}>Nothing in stock.</Table.Td></Table.Tr>}
            {(v?.items ?? []).map((i) => (
              <Table.Tr key={i.drugId}><Table.Td>{i.drugName}</Table.Td><Table.Td ta="right">{i.units}</Table.Td><Table.Td ta="right">{formatRupees(i.atPurchasePaise)}</Table.Td><Table.Td ta="right">{formatRupees(i.atMrpPaise)}</Table.Td></Table.Tr>
            ))}
          </Table.Tbody>
          {v && (
            <Table.Tfoot><Table.Tr fw={700}><Table.Td colSpan={2}>In all</Table.Td><Table.Td ta="right">{formatRupees(v.atPurchasePaise)}</Table.Td><Table.Td ta="right">{formatRupees(v.atMrpPaise)}</Table.Td></Table.Tr></Table.Tfoot>
          )}
        </Table>
        <Text size="xs" c="dimmed" mt={4}>Purchase rate before GST; batches below zero count as none (see Negative stock).</Text>
      </Paper>
      <Paper withBorder p="sm" component="section" aria-label="Fast and slow movers">
        <Group justify="space-between" align="end" mb={4}>
          <Title order={5}>Fast and slow movers</Title>
          <Group gap="xs">
            <TextInput size="xs" type="date" label="From" value={from} max={to} onChange={(e) => setFrom(e.currentTarget.value)} />
            <TextInput size="xs" type="date" label="To" value={to} min={from} onChange={(e) => setTo(e.currentTarget.value)} />
          </Group>
        </Group>
        <SimpleGrid cols={2}>
          <Movers caption="Fast movers" rows={movers.data?.fast ?? []} />
          <Movers caption="Slow movers" rows={movers.data?.slow ?? []} />
        </SimpleGrid>
      </Paper>
      <PurchaseRegister today={today} />
    </Stack>
  );
}

function Movers({ caption, rows }: { caption: string; rows: { drugId: string; drugName: string; dispensed: number; onHand: number }[] }) {
  return (
    <Table fz="sm" striped withTableBorder aria-label={caption} captionSide="top">
      <Table.Caption>{caption}</Table.Caption>
      <Table.Thead><Table.Tr><Table.Th>Item</Table.Th><Table.Th ta="right">Dispensed</Table.Th><Table.Th ta="right">On hand</Table.Th></Table.Tr></Table.Thead>
      <Table.Tbody>
        {rows.length === 0 && <Table.Tr><Table.Td colSpan={3}>Nothing in these days.</Table.Td></Table.Tr>}
        {rows.map((r) => <Table.Tr key={r.drugId}><Table.Td>{r.drugName}</Table.Td><Table.Td ta="right">{r.dispensed}</Table.Td><Table.Td ta="right">{r.onHand}</Table.Td></Table.Tr>)}
      </Table.Tbody>
    </Table>
  );
}
