import { Badge, Button, Grid, Group, Paper, Stack, Tabs, Text, Title, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef, useState } from 'react';
import { call, type Output } from '../api/client';
import { useMethod } from '../api/hooks';
import { PatientSearch } from '../reception/PatientSearch';
import { today as todayIn } from '../format';
import { useSession } from '../session';
import { AdvancePanel } from './AdvancePanel';
import { DayEnd } from './DayEnd';
import { DocumentDialog, type DocumentRequest } from './DocumentDialog';
import { InvoiceEditor } from './InvoiceEditor';
import { useBillHandOff } from './hand-off';
import { formatRupees } from './money';
import { PaymentPanel } from './PaymentPanel';

/** The billing counter: seen patients waiting for a bill, a patient's bills, payments, and the day-end. */
export function BillingScreen() {
  const { timeZone } = useSession();
  const [patientId, setPatientId] = useState<string | null>(null);
  const [invoiceId, setInvoiceId] = useState<string | null>(null);
  const [doc, setDoc] = useState<DocumentRequest | null>(null);
  // What the suggestion could not do, shown in the bill it made (not as floating notifications over it).
  const [notes, setNotes] = useState<{ invoiceId: string; notes: string[] } | null>(null);
  const toBill = useMethod('billing.toBill', {});
  const bills = useMethod('billing.list', { patientId: patientId ?? undefined, limit: 20 }, { enabled: !!patientId });
  const invoice = useMethod('billing.invoice', { invoiceId: invoiceId ?? '' }, { enabled: !!invoiceId });

  async function billVisit(visitId: string, patient: string, doctorId: string) {
    const suggestion = await call('billing.suggest', { visitId });
    if (!suggestion.ok) return notifications.show({ color: 'red', message: suggestion.error.message });
    const created = await call('billing.createInvoice', { patientId: patient, visitId, doctorId, lines: suggestion.value.lines });
    if (!created.ok) return notifications.show({ color: 'red', message: created.error.message });
    setNotes({ invoiceId: created.value.id, notes: suggestion.value.notes });
    setPatientId(patient);
    setInvoiceId(created.value.id);
  }

  useBillHandOff({ visit: (v, patient, doctor) => void billVisit(v, patient, doctor), invoice: (patient, id) => {
      setPatientId(patient);
      setInvoiceId(id);
    } });

  async function newBill() {
    if (!patientId) return;
    const created = await call('billing.createInvoice', { patientId, lines: [] });
    if (created.ok) setInvoiceId(created.value.id);
    else notifications.show({ color: 'red', message: created.error.message });
  }

  return (
    <Stack>
      <Title order={2}>Billing</Title>
      <Tabs defaultValue="bills" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="bills">Bills</Tabs.Tab>
          <Tabs.Tab value="dayend">Day-end</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="bills" pt="sm">
          <Grid gap="md">
            <Grid.Col span={{ base: 12, md: 4 }}>
              <Stack>
                <ToBill visits={toBill.data} today={todayIn(timeZone)} onBill={(v) => void billVisit(v.visitId, v.patientId, v.doctorId)} />
                <PatientSearch
                  onPick={(h) => {
                    setPatientId(h.id);
                    setInvoiceId(null);
                  }}
                />
                {patientId && <PatientBills bills={bills.data} current={invoiceId} onOpen={setInvoiceId} onNew={() => void newBill()} />}
                {patientId && <AdvancePanel patientId={patientId} />}
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 8 }}>
              {invoice.data ? (
                invoice.data.status === 'draft' ? (
                  <InvoiceEditor key={`${invoice.data.id}-${invoice.data.lines.length}`} invoice={invoice.data} notes={notes?.invoiceId === invoice.data.id ? notes.notes : []} />
                ) : (
                  <PaymentPanel invoice={invoice.data} onDocument={(kind, id) => setDoc({ kind, id })} />
                )
              ) : (
                <Text c="dimmed">Choose a seen patient to bill, or find a patient.</Text>
              )}
            </Grid.Col>
          </Grid>
        </Tabs.Panel>
        <Tabs.Panel value="dayend" pt="sm">
          <DayEnd onDocument={(date, cash) => setDoc({ kind: 'dayend', id: date, cash })} />
        </Tabs.Panel>
      </Tabs>
      <DocumentDialog request={doc} onClose={() => setDoc(null)} />
    </Stack>
  );
}

type ToBillVisit = Output<'billing.toBill'>[number];

/** Focus in a field being typed in, or in an open dialog: not to be taken away. */
function busyElsewhere(el: Element | null): boolean {
  if (!el || el === document.body) return false;
  return el.matches('input, textarea, select, [contenteditable="true"]') || el.closest('[role="dialog"]') !== null;
}

/** Patients seen today whose visit has no bill yet; Bill starts one from what was done. */
function ToBill({ visits, today, onBill }: { visits: ToBillVisit[] | undefined; today: string; onBill: (v: ToBillVisit) => void }) {
  // The first patient waiting is focused once, when the list first has one: Enter starts their bill.
  // Never later (the list refreshes live), and never from someone typing or in a dialog.
  const firstBill = useRef<HTMLButtonElement>(null);
  const focusedOnce = useRef(false);
  useEffect(() => {
    if (focusedOnce.current || !firstBill.current) return;
    focusedOnce.current = true;
    if (!busyElsewhere(document.activeElement)) firstBill.current.focus();
  }, [visits]);
  return (
    <Paper withBorder p="xs" component="section" aria-label="To bill">
      <Text fw={600} size="sm" mb={4}>
        Seen today, not billed yet ({today})
      </Text>
      {visits?.length === 0 && (
        <Text size="sm" c="dimmed">
          Nobody waiting.
        </Text>
      )}
      {visits?.map((v, i) => (
        <Group key={v.visitId} justify="space-between" data-testid="to-bill">
          <Text size="sm">
            {v.tokenLabel}. {v.patientName} <Text span size="xs" c="dimmed">{v.doctorName}</Text>
          </Text>
          <Button size="compact-xs" ref={i === 0 ? firstBill : undefined} onClick={() => onBill(v)}>
            Bill
          </Button>
        </Group>
      ))}
    </Paper>
  );
}

function PatientBills({ bills, current, onOpen, onNew }: { bills: Output<'billing.list'> | undefined; current: string | null; onOpen: (id: string) => void; onNew: () => void }) {
  return (
    <Paper withBorder p="xs" component="section" aria-label="Bills of the patient">
      <Group justify="space-between" mb={4}>
        <Text fw={600} size="sm">
          Bills
        </Text>
        <Button size="compact-xs" variant="default" onClick={onNew}>
          New bill
        </Button>
      </Group>
      {bills?.map((b) => (
        <UnstyledButton key={b.id} display="block" w="100%" onClick={() => onOpen(b.id)} bg={b.id === current ? 'teal.0' : undefined} p={4}>
          <Group justify="space-between">
            <Text size="sm">{b.invoiceNumber ?? 'Draft'}</Text>
            <Group gap={4}>
              <Text size="sm">{formatRupees(b.totalPaise)}</Text>
              <Badge size="xs">{b.statusLabel}</Badge>
            </Group>
          </Group>
        </UnstyledButton>
      ))}
    </Paper>
  );
}
