import { Button, Group, Paper, Table, Text } from '@mantine/core';
import { bpPercent, formatRupees } from '../../../shared/money';
import { purchaseTotals } from '../../../shared/purchase-money';
import type { AddedLine, Saved } from './usePurchaseDraft';

/** The lines added so far with each one's money, a refusal under the line it names, and the purchase's totals. */
export function PurchaseLines({ lines, errors, onEdit, onRemove }: { lines: AddedLine[]; errors: Record<number, string>; onEdit: (i: number) => void; onRemove: (i: number) => void }) {
  const totals = purchaseTotals(lines.map((l) => l.money));
  return (
    <Table striped withTableBorder aria-label="Purchase lines" fz="sm">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>#</Table.Th><Table.Th>Drug</Table.Th><Table.Th>Batch</Table.Th><Table.Th>Expiry</Table.Th>
          <Table.Th ta="right">Packs + free</Table.Th><Table.Th ta="right">Rate</Table.Th><Table.Th ta="right">MRP</Table.Th>
          <Table.Th ta="right">Disc</Table.Th><Table.Th ta="right">Taxable</Table.Th><Table.Th ta="right">GST</Table.Th><Table.Th ta="right">Total</Table.Th><Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {lines.length === 0 && (
          <Table.Tr><Table.Td colSpan={12}><Text size="sm" c="dimmed">No lines yet: scan or pick a drug above, fill the line, press Enter.</Text></Table.Td></Table.Tr>
        )}
        {lines.map(({ draft, line, money }, i) => (
          <LineRow key={i} i={i} error={errors[i]} cells={[
            draft.drugLabel, line.batchNumber, line.expiry, `${line.packs} + ${line.freePacks ?? 0} × ${line.packSize}`, formatRupees(line.ratePaise), formatRupees(line.mrpPaise),
            bpPercent(line.discountBp ?? 0), formatRupees(money.taxablePaise), `${formatRupees(money.gstPaise)} (${bpPercent(line.gstRateBp)})`, formatRupees(money.totalPaise),
          ]} onEdit={() => onEdit(i)} onRemove={() => onRemove(i)} />
        ))}
      </Table.Tbody>
      <Table.Tfoot>
        <Table.Tr fw={700}>
          <Table.Td colSpan={8}>Gross {formatRupees(totals.grossPaise)} · discount {formatRupees(totals.discountPaise)}</Table.Td>
          <Table.Td ta="right" aria-label="Taxable in all">{formatRupees(totals.taxablePaise)}</Table.Td>
          <Table.Td ta="right" aria-label="GST in all">{formatRupees(totals.gstPaise)}</Table.Td>
          <Table.Td ta="right" aria-label="Total in all">{formatRupees(totals.totalPaise)}</Table.Td>
          <Table.Td />
        </Table.Tr>
      </Table.Tfoot>
    </Table>
  );
}

function LineRow({ i, cells, error, onEdit, onRemove }: { i: number; cells: string[]; error: string | undefined; onEdit: () => void; onRemove: () => void }) {
  return (
    <>
      <Table.Tr bg={error ? 'red.0' : undefined}>
        <Table.Td>{i + 1}</Table.Td>
        {cells.map((c, j) => <Table.Td key={j} ta={j >= 3 ? 'right' : 'left'}>{c}</Table.Td>)}
        <Table.Td>
          <Group gap={4} wrap="nowrap">
            <Button size="compact-xs" variant="subtle" onClick={onEdit} aria-label={`Edit line ${i + 1}`}>Edit</Button>
            <Button size="compact-xs" variant="subtle" color="red" onClick={onRemove} aria-label={`Remove line ${i + 1}`}>Remove</Button>
          </Group>
        </Table.Td>
      </Table.Tr>
      {error && (
        <Table.Tr bg="red.0"><Table.Td colSpan={12}><Text size="sm" c="red" role="alert">{error}</Text></Table.Td></Table.Tr>
      )}
    </>
  );
}

/** What the service recorded: its own figures per line and in all (the ones on the supplier's invoice to check against). */
export function SavedPurchase({ saved }: { saved: Saved }) {
  const p = saved.purchase;
  return (
    <Paper withBorder p="sm" bg="teal.0" role="status" aria-label="Purchase saved">
      <Text fw={700}>
        Saved: {saved.supplierName}, invoice {p.supplierInvoice} of {p.invoiceDate}, {saved.lines.length} {saved.lines.length === 1 ? 'line' : 'lines'}. Taxable {formatRupees(p.taxablePaise)}, GST {formatRupees(p.gstPaise)}, total {formatRupees(p.totalPaise)}.
      </Text>
      <Table fz="xs" mt={4} aria-label="Saved lines">
        <Table.Tbody>
          {saved.lines.map((l, i) => (
            <Table.Tr key={l.id}>
              <Table.Td>{saved.labels[i]}</Table.Td>
              <Table.Td ta="right">gross {formatRupees(l.grossPaise)}</Table.Td>
              <Table.Td ta="right">discount {formatRupees(l.discountPaise)}</Table.Td>
              <Table.Td ta="right">taxable {formatRupees(l.taxablePaise)}</Table.Td>
              <Table.Td ta="right">GST {formatRupees(l.gstPaise)}</Table.Td>
              <Table.Td ta="right">total {formatRupees(l.totalPaise)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
