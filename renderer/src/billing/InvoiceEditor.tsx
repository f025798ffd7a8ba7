import { ActionIcon, Alert, Badge, Button, Checkbox, Group, NativeSelect, Paper, PasswordInput, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { SERVICE_KINDS } from '../../../shared/enums';
import { call, type Input, type Output } from '../api/client';
import { useMethod } from '../api/hooks';
import { formatRupees, paiseOf, rupees } from './money';

type Invoice = Output<'billing.invoice'>;
type LineIn = NonNullable<Input<'billing.updateInvoice'>['lines']>[number];

/** Lines as the cashier edits them: amounts as typed (rupees), converted to paise when saved. */
interface EditLine {
  kind: LineIn['kind'];
  refId: string | null;
  description: string;
  sacHsn: string | null;
  quantity: string;
  rate: string;
  discount: string;
  gstRateBp: number;
  taxInclusive: boolean;
}

function toEdit(l: Invoice['lines'][number]): EditLine {
  return { kind: l.kind, refId: l.refId, description: l.description, sacHsn: l.sacHsn, quantity: String(l.quantity), rate: rupees(l.ratePaise), discount: rupees(l.discountPaise), gstRateBp: l.gstRateBp, taxInclusive: l.taxInclusive };
}

/** A draft bill: lines, discount, the totals as they will print, then Issue (which numbers it). */
export function InvoiceEditor({ invoice }: { invoice: Invoice }) {
  const [lines, setLines] = useState<EditLine[]>(invoice.lines.map(toEdit));
  const [discKind, setDiscKind] = useState<'amount' | 'percent'>(invoice.discount?.kind ?? 'amount');
  const [discValue, setDiscValue] = useState(invoice.discount ? (invoice.discount.kind === 'amount' ? rupees(invoice.discount.value) : String(invoice.discount.value / 100)) : '');
  const [discReason, setDiscReason] = useState(invoice.discount?.reason ?? '');
  const [approver, setApprover] = useState({ username: '', password: '' });
  const [needsApproval, setNeedsApproval] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const priceList = useMethod('billing.priceList', {});

  function payload(): { lines: LineIn[]; discount: Input<'billing.updateInvoice'>['discount'] } | null {
    const out: LineIn[] = [];
    const bad: Record<string, string> = {};
    lines.forEach((l, i) => {
      const rate = paiseOf(l.rate);
      const discount = paiseOf(l.discount || '0');
      const qty = Number(l.quantity);
      if (rate === null) bad[`lines.${i}.ratePaise`] = 'Enter an amount like 500 or 47.25';
      if (discount === null) bad[`lines.${i}.discountPaise`] = 'Enter an amount like 10 or 2.50';
      if (!Number.isInteger(qty) || qty < 1) bad[`lines.${i}.quantity`] = 'Whole number, 1 or more';
      out.push({ kind: l.kind, refId: l.refId, description: l.description, sacHsn: l.sacHsn, quantity: qty, ratePaise: rate ?? 0, discountPaise: discount ?? 0, gstRateBp: l.gstRateBp, taxInclusive: l.taxInclusive });
    });
    let discount: Input<'billing.updateInvoice'>['discount'] = null;
    if (discValue.trim()) {
      // Rupees to paise, and a percentage to basis points, have the same two-decimal shape.
      const v = paiseOf(discValue);
      if (v === null) bad['discount.value'] = 'Enter a number';
      else discount = { kind: discKind, value: v, reason: discReason };
    }
    setErrors(bad);
    return Object.keys(bad).length > 0 ? null : { lines: out, discount };
  }

  async function save(): Promise<boolean> {
    setError(null);
    const p = payload();
    if (!p) return false;
    const r = await call('billing.updateInvoice', { invoiceId: invoice.id, lines: p.lines, discount: p.discount, ...(needsApproval ? { approval: approver } : {}) });
    if (!r.ok) {
      setError(r.error.message);
      setErrors(r.error.fields ?? {});
      if (/admin/i.test(r.error.message)) setNeedsApproval(true);
      return false;
    }
    return true;
  }

  async function issue() {
    if (!(await save())) return;
    const r = await call('billing.issueInvoice', { invoiceId: invoice.id, ...(needsApproval ? { approval: approver } : {}) });
    if (!r.ok) {
      setError(r.error.message);
      if (/admin/i.test(r.error.message)) setNeedsApproval(true);
      return;
    }
    notifications.show({ color: 'teal', message: `Issued ${r.value.invoiceNumber} for ${formatRupees(r.value.totals.totalPaise)}.` });
  }

  const set = (i: number, patch: Partial<EditLine>) => setLines(lines.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const err = (i: number, f: string) => errors[`lines.${i}.${f}`];

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={4}>
          Draft bill · {invoice.patient.name} <Text span c="dimmed" size="sm">{invoice.patient.mrn}</Text>
        </Title>
        <Badge variant="light">{invoice.documentType}</Badge>
      </Group>
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
                <TextInput size="xs" w={90} aria-label={`Line ${i + 1} rate`} value={l.rate} error={err(i, 'ratePaise')} onChange={(e) => set(i, { rate: e.currentTarget.value })} />
              </Table.Td>
              <Table.Td>
                <TextInput size="xs" w={80} aria-label={`Line ${i + 1} discount`} value={l.discount} error={err(i, 'discountPaise')} onChange={(e) => set(i, { discount: e.currentTarget.value })} />
              </Table.Td>
              <Table.Td>
                <NativeSelect size="xs" aria-label={`Line ${i + 1} GST`} value={String(l.gstRateBp)} data={[{ value: '0', label: 'Exempt' }, { value: '500', label: '5%' }, { value: '1200', label: '12%' }, { value: '1800', label: '18%' }]} onChange={(e) => set(i, { gstRateBp: Number(e.currentTarget.value) })} />
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
        <NativeSelect size="xs" aria-label="Kind of the last line" value={lines.at(-1)?.kind ?? 'other'} data={[...SERVICE_KINDS]} onChange={(e) => lines.length > 0 && set(lines.length - 1, { kind: e.currentTarget.value as LineIn['kind'] })} />
      </Group>
      <Group align="flex-end" gap="xs">
        <SegmentedControl size="xs" value={discKind} onChange={(v) => setDiscKind(v)} data={[{ value: 'amount', label: '₹ off' }, { value: 'percent', label: '% off' }]} aria-label="Discount kind" />
        <TextInput size="xs" label="Bill discount" w={100} value={discValue} error={errors['discount.value']} onChange={(e) => setDiscValue(e.currentTarget.value)} />
        <TextInput size="xs" label="Reason" w={240} value={discReason} onChange={(e) => setDiscReason(e.currentTarget.value)} />
      </Group>
      {needsApproval && (
        <Paper withBorder p="xs" bg="yellow.0">
          <Text size="sm" mb={4}>
            This discount is above the counter's limit: an administrator approves it here.
          </Text>
          <Group gap="xs">
            <TextInput size="xs" label="Administrator" value={approver.username} onChange={(e) => setApprover({ ...approver, username: e.currentTarget.value })} />
            <PasswordInput size="xs" label="Password" value={approver.password} onChange={(e) => setApprover({ ...approver, password: e.currentTarget.value })} />
          </Group>
        </Paper>
      )}
      <Totals invoice={invoice} />
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Group>
        <Button variant="default" onClick={() => void save()}>
          Save draft
        </Button>
        <Button onClick={() => void issue()}>Issue bill</Button>
      </Group>
    </Stack>
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
