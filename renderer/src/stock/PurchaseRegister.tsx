import { Group, Paper, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { formatRupees } from '../../../shared/money';
import { useMethod } from '../api/hooks';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Goods received between two days: supplier, GSTIN, their invoice and its money, with the totals (for the accountant's GST return). */
export function PurchaseRegister({ today }: { today: string }) {
  const [from, setFrom] = useState(`${today.slice(0, 8)}01`);
  const [to, setTo] = useState(today);
  const valid = DAY.test(from) && DAY.test(to) && from <= to;
  const register = useMethod('pharmacy.purchaseRegister', { from, to }, { enabled: valid });
  const r = register.data;
  return (
    <Paper withBorder p="sm" component="section" aria-label="Purchase register">
      <Group justify="space-between" align="end" mb="xs">
        <Title order={4}>Purchase register</Title>
        <Group gap="xs" role="group" aria-label="Purchase register dates">
          <TextInput size="xs" type="date" label="From" value={from} max={to} onChange={(e) => setFrom(e.currentTarget.value)} />
          <TextInput size="xs" type="date" label="To" value={to} min={from} onChange={(e) => setTo(e.currentTarget.value)} />
        </Group>
      </Group>
      {!valid && <Text c="red" size="sm">Choose a From date on or before the To date.</Text>}
      {register.error && <Text c="red" size="sm">{register.error.message}</Text>}
      {r && (
        <Table striped withTableBorder fz="sm" aria-label="Purchases received">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Received</Table.Th><Table.Th>Supplier</Table.Th><Table.Th>GSTIN</Table.Th><Table.Th>Their invoice</Table.Th><Table.Th>Invoice date</Table.Th>
              <Table.Th ta="right">Taxable</Table.Th><Table.Th ta="right">GST</Table.Th><Table.Th ta="right">Total</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {r.purchases.length === 0 && <Table.Tr><Table.Td colSpan={8}>No purchases received in these days.</Table.Td></Table.Tr>}
            {r.purchases.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>{p.receivedOn}</Table.Td><Table.Td>{p.supplier}</Table.Td><Table.Td>{p.gstin ?? '—'}</Table.Td><Table.Td>{p.supplierInvoice}</Table.Td><Table.Td>{p.invoiceDate}</Table.Td>
                <Table.Td ta="right">{formatRupees(p.taxablePaise)}</Table.Td><Table.Td ta="right">{formatRupees(p.gstPaise)}</Table.Td><Table.Td ta="right">{formatRupees(p.totalPaise)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
          <Table.Tfoot>
            <Table.Tr fw={700}>
              <Table.Td colSpan={5}>{r.purchases.length} {r.purchases.length === 1 ? 'purchase' : 'purchases'}</Table.Td>
              <Table.Td ta="right">{formatRupees(r.taxablePaise)}</Table.Td><Table.Td ta="right">{formatRupees(r.gstPaise)}</Table.Td><Table.Td ta="right">{formatRupees(r.totalPaise)}</Table.Td>
            </Table.Tr>
          </Table.Tfoot>
        </Table>
      )}
    </Paper>
  );
}
