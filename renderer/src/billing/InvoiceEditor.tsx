import { ActionIcon, Alert, Badge, Button, Checkbox, Group, Kbd, NativeSelect, Paper, PasswordInput, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useRef } from 'react';
import { SERVICE_KINDS } from '../../../shared/enums';
import type { Output } from '../api/client';
import { useMethod } from '../api/hooks';
import { FormError } from '../FormError';
import { formatRupees, rupees } from './money';
import { needsPrice, useInvoiceDraft, type LineIn } from './useInvoiceDraft';

type Invoice = Output<'billing.invoice'>;
type Draft = ReturnType<typeof useInvoiceDraft>;

/**
 * A draft bill: lines, discount, the totals as they will print, then Issue (which numbers it).
 * What the suggestion could not do (a medicine without an MRP, a fee not set up) is listed under
 * the bill's header, in the page: a floating warning would cover the header.
 */
export function InvoiceEditor({ invoice, notes = [] }: { invoice: Invoice; notes?: string[] }) {
  const draft = useInvoiceDraft(invoice);
  const issueRef = useRef<HTMLButtonElement>(null);
  // As Ctrl+Enter completes a visit: the bill is checked on screen, then issued from the keyboard.
  useHotkeys([['mod+Enter', () => void (!draft.saving && draft.issue())]], []);
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={4}>
          Draft bill · {invoice.patient.name} <Text span c="dimmed" size="sm">{invoice.patient.mrn}</Text>
        </Title>
        <Badge variant="light">{invoice.documentType}</Badge>
      </Group>
      {notes.length > 0 && (
        <Alert color="orange" p="xs" role="status" aria-label="Notes on this bill" data-testid="bill-notes">
          {notes.map((n) => (
            <Text size="sm" key={n}>
              {n}
            </Text>
          ))}
        </Alert>
      )}
      <BillLines draft={draft} onPriced={() => issueRef.current?.focus()} />
      <AddLines draft={draft} />
      <DiscountFields draft={draft} />
      {draft.needsApproval && <ApprovalFields draft={draft} />}
      <Totals invoice={invoice} />
      <FormError error={draft.error} />
      <Group>
        <Button variant="default" onClick={() => void draft.save()}>
          Save draft
        </Button>
        {/* Focused on opening a bill that needs no price typed: Enter issues what the screen shows. */}
        <Button ref={issueRef} autoFocus={!draft.lines.some(needsPrice)} onClick={() => void draft.issue()} loading={draft.saving} rightSection={<Kbd size="xs">Ctrl+Enter</Kbd>}>
          Issue bill
        </Button>
      </Group>
    </Stack>
  );
}

const GST_RATES = [{ value: '0', label: 'Exempt' }, { value: '500', label: '5%' }, { value: '1200', label: '12%' }, { value: '1800', label: '18%' }];

/** onPriced: Enter in the last rate still to fill (the prices typed, the bill can be issued). */
function BillLines({ draft, onPriced }: { draft: Draft; onPriced: () => void }) {
  const { lines, setLine: set, setLines, errors } = draft;
  // The first medicine without a price is focused when the bill opens; Enter goes on to the next one.
  const firstUnpriced = lines.findIndex(needsPrice);
  function nextPrice(i: number) {
    const next = lines.findIndex((l, j) => j > i && needsPrice(l));
    if (next < 0) return onPriced();
    document.querySelector<HTMLInputElement>(`[aria-label="Line ${next + 1} rate"]`)?.focus();
  }
  const err = (i: number, f: string) => errors[`lines.${i}.${f}`];
  return (
    <Table withTableBorder aria-label="Bill lines">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Item</Table.Th>
          <Table.Th>Qty</Table.Th>
          <Table.Th>Rate ₹</Table.Th>
          <Table.Th>Discount ₹</Table.Th>
          <Table.Th>GST</Table.Th>
          <Table.Th>MRP incl.</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {lines.map((l, i) => (
          <Table.Tr key={i} data-testid="bill-line">
            <Table.Td>
              <TextInput size="xs" aria-label={`Line ${i + 1} description`} value={l.description} onChange={(e) => set(i, { description: e.currentTarget.value })} />
              <Text size="xs" c="dimmed">
                {l.kind}
                {l.sacHsn ? ` · ${l.sacHsn}` : ''}
              </Text>
            </Table.Td>
            <Table.Td>
              <TextInput size="xs" w={60} aria-label={`Line ${i + 1} quantity`} value={l.quantity} error={err(i, 'quantity')} onChange={(e) => set(i, { quantity: e.currentTarget.value })} />
            </Table.Td>
            <Table.Td>
              <TextInput
                size="xs"
                w={90}
                aria-label={`Line ${i + 1} rate`}
                autoFocus={i === firstUnpriced}
                onKeyDown={(e) => {
                  if (e.key !== 'Enter') return;
                  // Else the same Enter's keypress lands on the button focused next, and issues at once.
                  e.preventDefault();
                  nextPrice(i);
                }}
                value={l.rate}
                placeholder={l.kind === 'medicine' ? 'Price?' : undefined}
                error={err(i, 'ratePaise') ?? (needsPrice(l) ? 'Enter the price' : undefined)}
                onChange={(e) => set(i, { rate: e.currentTarget.value })}
              />
            </Table.Td>
            <Table.Td>
              <TextInput size="xs" w={80} aria-label={`Line ${i + 1} discount`} value={l.discount} error={err(i, 'discountPaise')} onChange={(e) => set(i, { discount: e.currentTarget.value })} />
            </Table.Td>
            <Table.Td>
              <NativeSelect size="xs" aria-label={`Line ${i + 1} GST`} value={String(l.gstRateBp)} data={GST_RATES} onChange={(e) => set(i, { gstRateBp: Number(e.currentTarget.value) })} />
            </Table.Td>
            <Table.Td>
              <Checkbox aria-label={`Line ${i + 1} price includes GST`} checked={l.taxInclusive} onChange={(e) => set(i, { taxInclusive: e.currentTarget.checked })} />
            </Table.Td>
            <Table.Td>
              <ActionIcon variant="subtle" color="red" aria-label={`Remove line ${i + 1}`} onClick={() => setLines(lines.filter((_, j) => j !== i))}>
                ×
              </ActionIcon>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** A line from the price list, or any other item typed in; the last line's kind. */
function AddLines({ draft }: { draft: Draft }) {
  const { lines, setLines, setLine } = draft;
  const priceList = useMethod('billing.priceList', {});
  return (
    <Group gap="xs">
      <NativeSelect
        size="xs"
        aria-label="Add from price list"
        value=""
        data={[{ value: '', label: '+ Add from price list…' }, ...(priceList.data ?? []).map((p) => ({ value: p.id, label: `${p.name} (${formatRupees(p.pricePaise)})` }))]}
        onChange={(e) => {
          const p = priceList.data?.find((x) => x.id === e.currentTarget.value);
          if (p) setLines([...lines, { kind: p.kind, refId: p.id, description: p.name, sacHsn: p.sacHsn, quantity: '1', rate: rupees(p.pricePaise), discount: '0', gstRateBp: p.gstRateBp, taxInclusive: p.taxInclusive }]);
        }}
      />
      <Button size="xs" variant="subtle" onClick={() => setLines([...lines, { kind: 'other', refId: null, description: '', sacHsn: null, quantity: '1', rate: '', discount: '0', gstRateBp: 0, taxInclusive: false }])}>
        + Other item
      </Button>
      <NativeSelect size="xs" aria-label="Kind of the last line" value={lines.at(-1)?.kind ?? 'other'} data={[...SERVICE_KINDS]} onChange={(e) => lines.length > 0 && setLine(lines.length - 1, { kind: e.currentTarget.value as LineIn['kind'] })} />
    </Group>
  );
}

function DiscountFields({ draft }: { draft: Draft }) {
  const { discount, setDiscount } = draft;
  return (
    <Group align="flex-end" gap="xs">
      <SegmentedControl size="xs" value={discount.kind} onChange={(v) => setDiscount({ ...discount, kind: v })} data={[{ value: 'amount', label: '₹ off' }, { value: 'percent', label: '% off' }]} aria-label="Discount kind" />
      <TextInput size="xs" label="Bill discount" w={100} value={discount.value} error={draft.errors['discount.value']} onChange={(e) => setDiscount({ ...discount, value: e.currentTarget.value })} />
      <TextInput size="xs" label="Reason" w={240} value={discount.reason} onChange={(e) => setDiscount({ ...discount, reason: e.currentTarget.value })} />
    </Group>
  );
}

function ApprovalFields({ draft }: { draft: Draft }) {
  const { approver, setApprover } = draft;
  return (
    <Paper withBorder p="xs" bg="yellow.0">
      <Text size="sm" mb={4}>
        This discount is above the counter's limit: an administrator approves it here.
      </Text>
      <Group gap="xs">
        <TextInput size="xs" label="Administrator" value={approver.username} onChange={(e) => setApprover({ ...approver, username: e.currentTarget.value })} />
        <PasswordInput size="xs" label="Password" value={approver.password} onChange={(e) => setApprover({ ...approver, password: e.currentTarget.value })} />
      </Group>
    </Paper>
  );
}

export function Totals({ invoice }: { invoice: Invoice }) {
  const t = invoice.totals;
  const row = (label: string, paise: number, strong = false) => (
    <Group justify="space-between" w={300} key={label}>
      <Text size="sm" fw={strong ? 700 : 400}>
        {label}
      </Text>
      <Text size="sm" fw={strong ? 700 : 400} data-testid={`total-${label}`}>
        {formatRupees(paise)}
      </Text>
    </Group>
  );
  return (
    <Stack gap={0} aria-label="Totals" align="flex-end">
      {row('Gross', t.grossPaise)}
      {t.lineDiscountPaise + t.invoiceDiscountPaise > 0 && row('Discount', -(t.lineDiscountPaise + t.invoiceDiscountPaise))}
      {row('Taxable value', t.taxablePaise)}
      {t.cgstPaise > 0 && row('CGST', t.cgstPaise)}
      {t.sgstPaise > 0 && row('SGST', t.sgstPaise)}
      {t.roundOffPaise !== 0 && row('Round-off', t.roundOffPaise)}
      {row('Total', t.totalPaise, true)}
      <Text size="xs" c="dimmed">
        {invoice.amountInWords}
      </Text>
    </Stack>
  );
}
