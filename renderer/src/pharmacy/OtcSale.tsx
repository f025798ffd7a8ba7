import { Badge, Button, Group, Kbd, NumberInput, Paper, Stack, Table, Text } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { hasPermission } from '../../../shared/permissions';
import { call, type Output } from '../api/client';
import { useMethod } from '../api/hooks';
import { PatientSearch } from '../reception/PatientSearch';
import { SearchAsYouType, useSearchQuery } from '../SearchAsYouType';
import { useSingleFlight } from '../forms';
import { useSession } from '../session';
import { SalesList, type Sale } from './SalesList';

type Drug = Output<'formulary.search'>[number];
const SCHEDULED = ['H', 'H1', 'X'];

/**
 * A sale without a prescription: non-scheduled drugs only (the service refuses H, H1 and X naming
 * the drug), first expiry first out. A bill needs a patient (GST invoices are the patient's), so the
 * customer is found among the registered patients to bill; a sale to nobody in particular is
 * recorded in stock and billed at the counter once the customer is registered.
 */
// Long by design: the medicine search, the customer, the lines and the sales made here are one form.
export function OtcSale() {
  const { user } = useSession();
  const navigate = useNavigate();
  const search = useSearchQuery(100);
  const results = useMethod('formulary.search', { query: search.query, limit: 10 }, { enabled: search.ready });
  const [lines, setLines] = useState<{ drug: Drug; quantity: string | number }[]>([]);
  const [patient, setPatient] = useState<{ id: string; name: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The sales made here this session: shown below with Return and Bill.
  const [sold, setSold] = useState<string[]>([]);
  const today = useMethod('pharmacy.sales', {}, { enabled: sold.length > 0 });
  const sales = (today.data ?? []).filter((s) => sold.includes(s.dispenseId));
  const canFindPatient = hasPermission(user.roles, 'patients.read');

  // Ctrl+Enter pressed twice or held (the key repeats) must not sell twice: one sale in flight at a time.
  const selling = useSingleFlight();
  const billing = useSingleFlight();

  async function sell() {
    if (lines.length === 0) return setError('Add a medicine first.');
    const r = await call('pharmacy.dispense', { ...(patient ? { patientId: patient.id } : {}), lines: lines.map((l) => ({ drugId: l.drug.id, quantity: Number(l.quantity) })) });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setLines([]);
    notifications.show({ color: 'teal', message: `Sold ${r.value.lines.length} batch line${r.value.lines.length === 1 ? '' : 's'} over the counter.` });
    setSold((ids) => [...ids, r.value.dispense.id]);
    void today.refetch();
  }
  const sellOnce = () => void selling(sell);
  useHotkeys([['mod+Enter', (e) => !e.repeat && sellOnce()]], []);

  async function bill(sale: Sale) {
    const patientId = sale.patientId;
    if (!patientId) return notifications.show({ color: 'orange', message: 'A bill needs a patient: find the customer (or have reception register them) before selling, then bill.' });
    const billLines = await call('pharmacy.billLines', { dispenseId: sale.dispenseId });
    if (!billLines.ok) {
      // Billed already (Bill pressed again): the customer's draft bill is where it is, so open it.
      const draft = billLines.error.code === 'conflict' ? await openDraftOf(patientId) : null;
      if (draft) return void navigate(`/billing?patient=${patientId}&invoice=${draft}`);
      return notifications.show({ color: billLines.error.code === 'conflict' ? 'orange' : 'red', message: billLines.error.message });
    }
    const created = await call('billing.createInvoice', { patientId, lines: billLines.value });
    if (!created.ok) return notifications.show({ color: 'red', message: created.error.message });
    void navigate(`/billing?patient=${patientId}&invoice=${created.value.id}`);
  }

  return (
    <Stack>
      <Paper withBorder p="sm" component="section" aria-label="Over the counter">
        <Group align="flex-start" grow>
          <SearchAsYouType
            search={search}
            results={results}
            label="Add medicine"
            placeholder="Generic or brand name"
            listLabel="Medicine matches"
            variant="rows"
            hitKey={(d) => d.id}
            renderHit={(d) => (
              <Text size="sm">
                <b>{d.genericName.toUpperCase()}</b> {d.strength ?? ''} {d.form} {d.brandNames.length > 0 && <Text span c="dimmed" size="xs">{`(${d.brandNames.join(', ')})`}</Text>}
                {d.schedule && <Badge ml={6} size="xs" color={SCHEDULED.includes(d.schedule) ? 'red' : 'gray'}>Sch {d.schedule}{SCHEDULED.includes(d.schedule) ? ': prescription only' : ''}</Badge>}
              </Text>
            )}
            onPick={(d) => setLines((ls) => [...ls, { drug: d, quantity: 1 }])}
            noMatch={(q) => `No drug in the formulary matches “${q}”.`}
            clearOnPick
            autoFocus
          />
          {canFindPatient && (<div>
            <PatientSearch onPick={(h) => setPatient({ id: h.id, name: h.name })} />
            <Text size="xs" c="dimmed" mt={2}>
              Customer: {patient ? patient.name : 'none (needed for a bill)'}
            </Text>
          </div>)}
        </Group>
        {lines.length > 0 && (
          <Table mt="sm" withTableBorder verticalSpacing={4}>
            <Table.Tbody>
              {lines.map((l, i) => (
                <Table.Tr key={`${l.drug.id}-${i}`}>
                  <Table.Td>
                    {l.drug.brandNames[0] ?? l.drug.genericName} {l.drug.strength} {l.drug.form}
                  </Table.Td>
                  <Table.Td w={110}>
                    <NumberInput size="xs" min={1} allowDecimal={false} aria-label={`Units of ${l.drug.genericName}`} value={l.quantity} onChange={(v) => setLines((ls) => ls.map((x, j) => (j === i ? { ...x, quantity: v } : x)))} />
                  </Table.Td>
                  <Table.Td w={80}>
                    <Button size="compact-xs" variant="subtle" color="red" onClick={() => setLines((ls) => ls.filter((_, j) => j !== i))}>
                      Remove
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {error && <Text c="red" mt="xs">{error}</Text>}
        <Group justify="flex-end" mt="sm">
          <Button onClick={sellOnce}>
            Sell <Kbd ml={6} size="xs">Ctrl+Enter</Kbd>
          </Button>
        </Group>
      </Paper>
      <SalesList title="Sold here" sales={sales} onChanged={() => void today.refetch()} {...(hasPermission(user.roles, 'billing.write') ? { onBill: (s: Sale) => void billing(() => bill(s)) } : {})} />
    </Stack>
  );
}

/** The customer's newest draft bill without a visit (where a counter sale billed from here went), if any. */
async function openDraftOf(patientId: string): Promise<string | null> {
  const drafts = await call('billing.list', { patientId, status: 'draft' });
  return drafts.ok ? (drafts.value.find((i) => i.visitId === null)?.id ?? null) : null;
}
