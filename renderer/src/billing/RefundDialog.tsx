import { Button, Checkbox, Group, Modal, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState, type KeyboardEvent, type SyntheticEvent } from 'react';
import { call, type Output } from '../api/client';
import { FormError } from '../FormError';
import { useApiSubmit } from '../forms';
import { formatRupees } from './money';
import { emptyDrafts, previewRefund, refundableLines, REFUND_MODES, type LineDraft, type RefundableLine, type RefundMode } from './refund-draft';

type Invoice = Output<'billing.invoice'>;
export type RefundDone = Output<'billing.refund'>;

/**
 * Taking lines back off an issued bill, several in one refund: tick the lines, the units (or an
 * amount in rupees) of each, see what comes off the bill and the money that goes back (only what
 * was paid beyond the new total: none for lines not paid for), the mode when money goes back, and
 * the reason. Enter confirms; refusals land under the field they name.
 */
export function RefundDialog({ invoice, onClose, onDone }: { invoice: Invoice; onClose: () => void; onDone: (done: RefundDone) => void }) {
  const lines = refundableLines(invoice);
  const [drafts, setDrafts] = useState<Record<number, LineDraft>>(() => emptyDrafts(lines));
  const [mode, setMode] = useState<RefundMode>('cash');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { error, setError, saving, run } = useApiSubmit({ setErrors });
  const preview = previewRefund(invoice, drafts);
  const setLine = (i: number, patch: Partial<LineDraft>) => {
    setDrafts({ ...drafts, [i]: { ...drafts[i]!, ...patch } });
    // A line ticked answers "Tick the lines taken back" at once.
    if (patch.ticked) setErrors(({ lines: _answered, ...rest }) => rest);
  };
  const position = (i: number) => preview.asks.findIndex((a) => a.line === i);

  async function confirm(e?: SyntheticEvent) {
    e?.preventDefault();
    setError(null);
    const found = { ...preview.errors, ...(reason.trim() === '' ? { reason: 'Reason is required' } : {}) };
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const money = preview.moneyBackPaise > 0;
    const done = await run(() => call('billing.refund', { invoiceId: invoice.id, lines: preview.asks, reason: reason.trim(), ...(money ? { mode } : {}) }));
    if (done) onDone(done);
  }

  // Enter anywhere in the form (a checkbox too) confirms; buttons keep their own Enter.
  function onKeyDown(e: KeyboardEvent<HTMLFormElement>) {
    if (e.key !== 'Enter' || e.target instanceof HTMLButtonElement || e.target instanceof HTMLSelectElement) return;
    void confirm(e);
  }

  return (
    <Modal opened onClose={onClose} size="xl" title={`Refund lines of ${invoice.invoiceNumber ?? 'the bill'}`}>
      <form onSubmit={(e) => void confirm(e)} onKeyDown={onKeyDown} noValidate aria-label="Refund lines">
        <Stack gap="xs">
          <LinesTable lines={lines} drafts={drafts} preview={preview} errors={errors} position={position} onLine={setLine} />
          {errors.lines && (
            <Text size="sm" c="red" role="alert">
              {errors.lines}
            </Text>
          )}
          <RefundFigures invoice={invoice} preview={preview} />
          <Group align="flex-start">
            {preview.moneyBackPaise > 0 && <NativeSelect label="Mode" data={REFUND_MODES} value={mode} error={errors.mode} onChange={(e) => setMode(e.currentTarget.value as RefundMode)} />}
            <TextInput label="Reason" required w={360} maxLength={300} value={reason} error={errors.reason} onChange={(e) => setReason(e.currentTarget.value)} placeholder="e.g. X-ray not taken, brace returned" />
          </Group>
          <FormError error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="orange" loading={saving}>
              {preview.moneyBackPaise > 0 ? `Refund ${formatRupees(preview.moneyBackPaise)}` : 'Take off the bill'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function LinesTable(props: {
  lines: RefundableLine[];
  drafts: Record<number, LineDraft>;
  preview: ReturnType<typeof previewRefund>;
  errors: Record<string, string>;
  position: (i: number) => number;
  onLine: (i: number, patch: Partial<LineDraft>) => void;
}) {
  const { lines, drafts, preview, errors, onLine } = props;
  // A line's refusal, from this form or the server, under the input it names (by its place among the ticked lines).
  const errorOf = (i: number, key: 'quantity' | 'amountPaise') => {
    const bad = preview.perLine[i];
    if (bad && 'error' in bad) return bad.field.endsWith(key) ? errors[bad.field] : undefined;
    const p = props.position(i);
    return p >= 0 ? (errors[`lines.${p}.${key}`] ?? (key === 'quantity' ? errors[`lines.${p}.line`] : undefined)) : undefined;
  };
  return (
    <Table aria-label="Lines to refund" verticalSpacing={4}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Line</Table.Th>
          <Table.Th>Left to refund</Table.Th>
          <Table.Th>Units</Table.Th>
          <Table.Th>or amount ₹</Table.Th>
          <Table.Th ta="right">Takes back</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {lines.map((l, n) => {
          const d = drafts[l.index]!;
          const got = preview.perLine[l.index];
          return (
            <Table.Tr key={l.index} data-testid={`refund-line-${l.index}`}>
              <Table.Td>
                <Checkbox data-autofocus={n === 0 ? true : undefined} label={`${l.index + 1}. ${l.description}`} checked={d.ticked} onChange={(e) => onLine(l.index, { ticked: e.currentTarget.checked })} />
              </Table.Td>
              <Table.Td>
                {l.quantityLeft} of {l.quantity} · {formatRupees(l.leftPaise)}
              </Table.Td>
              <Table.Td>
                <TextInput size="xs" w={70} aria-label={`Line ${l.index + 1} units`} disabled={!d.ticked || d.amount.trim() !== ''} value={d.quantity} error={errorOf(l.index, 'quantity')} onChange={(e) => onLine(l.index, { quantity: e.currentTarget.value })} />
              </Table.Td>
              <Table.Td>
                <TextInput size="xs" w={100} aria-label={`Line ${l.index + 1} amount ₹`} disabled={!d.ticked} value={d.amount} error={errorOf(l.index, 'amountPaise')} onChange={(e) => onLine(l.index, { amount: e.currentTarget.value })} />
              </Table.Td>
              <Table.Td ta="right">{got && 'amountPaise' in got ? formatRupees(got.amountPaise) : ''}</Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

/** What comes off the bill, the money that goes back and the balance due after. */
function RefundFigures({ invoice, preview }: { invoice: Invoice; preview: ReturnType<typeof previewRefund> }) {
  const kept = preview.takenPaise - preview.moneyBackPaise;
  return (
    <Stack gap={0}>
      <Text size="sm">
        Taken off the bill: <b data-testid="refund-taken">{formatRupees(preview.takenPaise)}</b>
      </Text>
      <Text size="sm" fw={700} data-testid="refund-money">
        {preview.moneyBackPaise > 0 ? `Money back: ${formatRupees(preview.moneyBackPaise)}` : 'No money back'}
        {kept > 0 && preview.asks.length > 0 ? ` · ${formatRupees(kept)} was not paid: the balance due falls instead` : ''}
      </Text>
      <Text size="sm" c="dimmed">
        Paid so far {formatRupees(invoice.paidPaise)} · balance due after {formatRupees(preview.balanceAfterPaise)}. A taxable line gives a credit note, exempt lines a refund voucher.
      </Text>
    </Stack>
  );
}
