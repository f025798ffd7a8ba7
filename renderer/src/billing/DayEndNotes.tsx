import { Table, Text } from '@mantine/core';
import type { Output } from '../api/client';
import { formatRupees } from './money';

type Notes = Output<'billing.dayEnd'>['creditNotes'];

/**
 * The credit notes (with the taxable value and tax they reversed) and refund vouchers issued on
 * this workstation that day, each with its invoice, and their totals: the rows the day-end PDF prints.
 */
export function DayEndNotes({ creditNotes, refundVouchers }: { creditNotes: Notes; refundVouchers: Notes }) {
  if (creditNotes.count === 0 && refundVouchers.count === 0) {
    return (
      <Text size="sm" mt="xs" c="dimmed" data-testid="day-notes-none">
        No credit notes or refund vouchers today.
      </Text>
    );
  }
  return (
    <Table mt="xs" aria-label="Credit notes and refund vouchers" data-testid="day-notes">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Document</Table.Th>
          <Table.Th>Against invoice</Table.Th>
          <Table.Th ta="right">Taxable</Table.Th>
          <Table.Th ta="right">CGST</Table.Th>
          <Table.Th ta="right">SGST</Table.Th>
          <Table.Th ta="right">Total</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        <Kind title="Credit note" list={creditNotes} testId="day-credit-notes-total" />
        <Kind title="Refund voucher" list={refundVouchers} testId="day-refund-vouchers-total" />
      </Table.Tbody>
    </Table>
  );
}

function Kind({ title, list, testId }: { title: string; list: Notes; testId: string }) {
  if (list.count === 0) return null;
  const cells = (t: { taxablePaise: number; cgstPaise: number; sgstPaise: number; totalPaise: number }) => (
    <>
      <Table.Td ta="right">{formatRupees(t.taxablePaise)}</Table.Td>
      <Table.Td ta="right">{formatRupees(t.cgstPaise)}</Table.Td>
      <Table.Td ta="right">{formatRupees(t.sgstPaise)}</Table.Td>
      <Table.Td ta="right">{formatRupees(t.totalPaise)}</Table.Td>
    </>
  );
  return (
    <>
      {list.notes.map((n) => (
        <Table.Tr key={n.number} data-testid={`day-note-${n.number}`}>
          <Table.Td>
            {title} {n.number}
          </Table.Td>
          <Table.Td>{n.invoiceNumber}</Table.Td>
          {cells(n)}
        </Table.Tr>
      ))}
      <Table.Tr fw={700} data-testid={testId}>
        <Table.Td>
          {title}s: {list.count}
        </Table.Td>
        <Table.Td />
        {cells(list)}
      </Table.Tr>
    </>
  );
}
