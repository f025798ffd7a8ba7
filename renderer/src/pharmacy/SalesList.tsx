import { Badge, Button, Group, Modal, NumberInput, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { call, type Output } from '../api/client';
import { useSingleFlight } from '../forms';

export type Sale = Output<'pharmacy.sales'>[number];
type SaleLine = Sale['lines'][number];

/**
 * Dispenses with their lines: what was given, what came back, a Return per line (never more than
 * given less returned), and per sale the hand-off to billing when the caller offers one.
 */
export function SalesList({ sales, onChanged, onBill, title = 'Dispensed' }: { sales: Sale[]; onChanged: () => void; onBill?: (sale: Sale) => void; title?: string }) {
  const [returning, setReturning] = useState<SaleLine | null>(null);
  if (sales.length === 0) return null;
  return (
    <Paper withBorder p="xs" component="section" aria-label={title}>
      <Text fw={600} size="sm" mb={4}>
        {title}
      </Text>
      <Stack gap="xs">
        {sales.map((s, n) => (
          <div key={s.dispenseId} data-testid="sale">
            <Group justify="space-between">
              <Text size="xs" c="dimmed">
                {s.kind === 'otc' ? 'Over the counter' : 'Against the prescription'} · {s.dispensedOn} · #{n + 1}
              </Text>
              {onBill && (
                <Button size="compact-xs" onClick={() => onBill(s)}>
                  Bill
                </Button>
              )}
            </Group>
            <Table withRowBorders={false} verticalSpacing={2}>
              <Table.Tbody>
                {s.lines.map((l) => (
                  <Table.Tr key={l.lineId}>
                    <Table.Td>
                      <Text size="sm">
                        {l.description} {l.substituted && <Badge size="xs" variant="light">substitute</Badge>} {l.h1 && <Badge size="xs" color="grape">H1</Badge>}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {l.qty} given{l.returned > 0 ? `, ${l.returned} back` : ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Button size="compact-xs" variant="default" disabled={l.qty - l.returned <= 0} onClick={() => setReturning(l)} aria-label={`Return ${l.description}`}>
                        Return
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        ))}
      </Stack>
      <ReturnDialog line={returning} onClose={() => setReturning(null)} onDone={onChanged} />
    </Paper>
  );
}

/** Units a patient brings back into the batch they came from, with the reason. Enter returns, Esc closes. */
function ReturnDialog({ line, onClose, onDone }: { line: SaleLine | null; onClose: () => void; onDone: () => void }) {
  const [qty, setQty] = useState<string | number>('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const left = line ? line.qty - line.returned : 0;
  // Enter pressed twice would take the units back twice.
  const once = useSingleFlight();
  async function submit() {
    if (!line) return;
    const r = await call('pharmacy.saleReturn', { dispenseLineId: line.lineId, quantity: Number(qty), reason });
    if (!r.ok) return setError(r.error.message);
    notifications.show({ color: 'teal', message: `${qty} of ${line.description} taken back into stock.` });
    setQty('');
    setReason('');
    setError(null);
    onDone();
    onClose();
  }
  return (
    <Modal opened={line !== null} onClose={onClose} title={line ? `Return: ${line.description}` : ''}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void once(submit);
        }}
      >
        <Stack>
          <NumberInput label={`Units back (at most ${left})`} min={1} max={left} value={qty} onChange={setQty} data-autofocus allowDecimal={false} />
          <TextInput label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} placeholder="e.g. course changed" />
          {error && <Text c="red" size="sm">{error}</Text>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit">Take back</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
