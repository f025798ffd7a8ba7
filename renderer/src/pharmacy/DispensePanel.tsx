import { Alert, Badge, Button, Group, Kbd, NumberInput, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { hasPermission } from '../../../shared/permissions';
import { call } from '../api/client';
import { useMethod } from '../api/hooks';
import { useSession } from '../session';
import { choiceOf, draftLineOfField, initialDraft, toDispense, type DraftLine, type Rx, type VisitView } from './dispense-draft';
import { SalesList } from './SalesList';
import { ScanBox } from './ScanBox';

/** One visit's prescription at the counter: loads what it needs, then the draft. */
export function DispensePanel({ visitId, onDone }: { visitId: string; onDone: () => void }) {
  const rx = useMethod('pharmacy.prescription', { visitId });
  const view = useMethod('pharmacy.visit', { visitId });
  const sales = useMethod('pharmacy.sales', { visitId });
  if (rx.error || view.error) return <Alert color="red">{(rx.error ?? view.error)?.message}</Alert>;
  if (!rx.data || !view.data) return <Text c="dimmed">Loading the prescription…</Text>;
  const refresh = () => {
    void rx.refetch();
    void view.refetch();
    void sales.refetch();
    onDone();
  };
  // Keyed by what was given so far: after a dispense the draft starts again from what is open.
  const key = `${visitId}-${rx.data.items.map((i) => i.dispensed).join(',')}`;
  return (
    <Stack>
      <DispenseDraft key={key} rx={rx.data} view={view.data} onDispensed={refresh} />
      <VisitSales visitId={visitId} sales={sales.data ?? []} onChanged={refresh} />
    </Stack>
  );
}

function VisitSales({ visitId, sales, onChanged }: { visitId: string; sales: NonNullable<ReturnType<typeof useMethod<'pharmacy.sales'>>['data']>; onChanged: () => void }) {
  const { user } = useSession();
  const navigate = useNavigate();
  // The bill is made at the billing counter; someone who is also the cashier goes there with the visit.
  const canBill = hasPermission(user.roles, 'billing.write');
  return <SalesList sales={sales} onChanged={onChanged} {...(canBill ? { onBill: () => void navigate(`/billing?visit=${visitId}`) } : {})} />;
}

// Long by design: the draft table, the scan box, the H1 notice and Ctrl+Enter read best together.
function DispenseDraft({ rx, view, onDispensed }: { rx: Rx; view: VisitView; onDispensed: () => void }) {
  const [draft, setDraft] = useState<DraftLine[]>(() => initialDraft(rx, view));
  const [errors, setErrors] = useState<Record<number, string>>({});
  const [saving, setSaving] = useState(false);
  const setLine = (i: number, patch: Partial<DraftLine>) => setDraft((d) => d.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const h1 = draft.filter((l) => Number(l.quantity) > 0 && choiceOf(view, l)?.schedule === 'H1');

  async function dispense() {
    if (saving) return;
    const p = toDispense(draft);
    if ('errors' in p) return setErrors(p.errors);
    setErrors({});
    setSaving(true);
    const r = await call('pharmacy.dispense', { visitId: view.visitId, lines: p.lines });
    setSaving(false);
    if (!r.ok) {
      const at = Object.keys(r.error.fields ?? {}).map((f) => draftLineOfField(p.lines, draft, f)).find((i) => i !== null);
      return setErrors({ [at ?? -1]: at !== undefined && at !== null ? `Line ${at + 1}: ${r.error.message}` : r.error.message });
    }
    notifications.show({ color: 'teal', message: `Dispensed ${r.value.lines.length} batch line${r.value.lines.length === 1 ? '' : 's'} for ${view.patientName}.` });
    onDispensed();
  }
  useHotkeys([['mod+Enter', () => void dispense()]], []);
  const allGiven = rx.items.every((i) => i.open === 0);

  return (
    <Paper withBorder p="sm" component="section" aria-label="Dispense">
      <Group justify="space-between" mb="xs">
        <div>
          <Title order={4}>
            {view.tokenLabel}. {view.patientName} <Text span c="dimmed" size="sm">{view.mrn}</Text>
          </Title>
          <Text size="sm" c="dimmed">
            {rx.rxNumber} · {view.doctorName}
          </Text>
        </div>
        <ScanBox rx={rx} view={view} draft={draft} onSelect={(i, drugId, batchId) => setLine(i, { drugId, batchId })} />
      </Group>
      {allGiven && (
        <Alert color="teal" mb="xs">
          Everything on this prescription has been given.
        </Alert>
      )}
      <Table striped withTableBorder verticalSpacing={4} display={allGiven ? 'none' : undefined}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>Prescribed</Table.Th>
            <Table.Th>Given / open</Table.Th>
            <Table.Th>Give</Table.Th>
            <Table.Th>Batch</Table.Th>
            <Table.Th>Qty</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {draft.map((line, i) => {
            const item = rx.items[line.itemIndex]!;
            const choices = view.items[line.itemIndex]?.choices ?? [];
            const choice = choiceOf(view, line);
            const fefo = choice?.prescribed && item.proposal ? item.proposal.picks.map((p) => `${p.batchNumber} (exp ${p.expiry}) × ${p.qty}`).join(', ') : choice?.batches[0] ? `${choice.batches[0].batchNumber} (exp ${choice.batches[0].expiry})` : null;
            return (
              <Table.Tr key={line.itemIndex} data-testid="dispense-line" bg={errors[i] ? 'red.0' : undefined}>
                <Table.Td>{i + 1}</Table.Td>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {[item.genericName, item.strength, item.form].filter(Boolean).join(' ')}
                  </Text>
                  {errors[i] && <Text size="xs" c="red">{errors[i]}</Text>}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {item.dispensed} / {item.open ?? '—'} <Text span size="xs" c="dimmed">of {item.prescribed ?? item.prescribedText ?? '—'}</Text>
                  </Text>
                </Table.Td>
                <Table.Td>
                  {choices.length === 0 ? (
                    <Text size="sm" c="red">Not in the formulary</Text>
                  ) : (
                    <Group gap={4} wrap="nowrap">
                      <Select
                        size="xs"
                        aria-label={`Drug for line ${i + 1}`}
                        data={choices.map((c) => ({ value: c.drugId, label: `${c.label}${c.prescribed ? '' : ' · substitute'} · ${c.batches.reduce((a, b) => a + b.onHand, 0)} in stock` }))}
                        value={line.drugId}
                        onChange={(v) => v && setLine(i, { drugId: v, batchId: null })}
                        allowDeselect={false}
                        w={230}
                      />
                      {choice?.schedule && <Badge size="xs" style={{ flexShrink: 0 }} color={choice.schedule === 'H1' ? 'grape' : 'gray'}>Sch {choice.schedule}</Badge>}
                    </Group>
                  )}
                </Table.Td>
                <Table.Td>
                  <Select
                    size="xs"
                    aria-label={`Batch for line ${i + 1}`}
                    data={[{ value: '', label: `First expiry first${fefo ? `: ${fefo}` : ' (none in stock)'}` }, ...(choice?.batches ?? []).map((b) => ({ value: b.batchId, label: `${b.batchNumber} · exp ${b.expiry} · ${b.onHand} on hand` }))]}
                    value={line.batchId ?? ''}
                    onChange={(v) => setLine(i, { batchId: v || null })}
                    allowDeselect={false}
                    w={240}
                  />
                </Table.Td>
                <Table.Td>
                  <NumberInput size="xs" w={80} min={0} allowDecimal={false} aria-label={`Quantity for line ${i + 1}`} value={line.quantity} onChange={(v) => setLine(i, { quantity: String(v) })} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {h1.length > 0 && (
        <Alert mt="xs" color={view.address ? 'grape' : 'red'} title="Schedule H1: the register records the patient's name and address">
          {view.address ? `Address for the register: ${view.address}` : 'This patient has no address: ask reception to add it before dispensing the H1 drug.'}
        </Alert>
      )}
      {errors[-1] && <Text c="red" mt="xs">{errors[-1]}</Text>}
      <Group justify="flex-end" mt="sm" display={allGiven ? 'none' : undefined}>
        <Text size="xs" c="dimmed">A smaller quantity leaves the rest open; an empty one skips the line.</Text>
        <Button onClick={() => void dispense()} loading={saving}>
          Dispense <Kbd ml={6} size="xs">Ctrl+Enter</Kbd>
        </Button>
      </Group>
    </Paper>
  );
}
