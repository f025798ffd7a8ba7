import { Button, Grid, Group, NumberInput, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { call, type Output } from '../api/client';
import { today as todayIn } from '../format';
import { FormError } from '../FormError';
import { useSession } from '../session';
import { CloseDayDialog } from './CloseDayDialog';
import { DayEndNotes } from './DayEndNotes';
import { cashLine, NOTES, typedCash, type CashTyped } from './day-end-cash';
import { formatRupees, paiseOf } from './money';

type Report = Output<'billing.dayEnd'>;

/**
 * This workstation's day: what came in by mode, doctor and service, the cash count, and closing.
 * The PDF and the closing get the opening cash and the count as typed, as the screen shows them.
 */
export function DayEnd({ onDocument }: { onDocument: (date: string, typed: CashTyped | null) => void }) {
  const { timeZone } = useSession();
  const [date, setDate] = useState(todayIn(timeZone));
  const [opening, setOpening] = useState('0');
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [closing, setClosing] = useState(false);
  const openingCashPaise = paiseOf(opening);
  const typed = openingCashPaise === null ? null : typedCash(openingCashPaise, counts);

  async function show() {
    setError(null);
    if (!typed) return setError('Opening cash must be an amount in rupees.');
    const r = await call('billing.dayEnd', { date, ...typed, close: false });
    if (!r.ok) return setError(r.error.message);
    setReport(r.value);
  }

  function closed(r: Report) {
    setClosing(false);
    setReport(r);
    notifications.show({ color: 'teal', message: `Day ${r.date} closed on this workstation.` });
  }

  function askToClose() {
    if (!typed) return setError('Opening cash must be an amount in rupees.');
    setClosing(true);
  }

  return (
    <Stack>
      <Group align="flex-end">
        <TextInput label="Date" w={130} value={date} onChange={(e) => setDate(e.currentTarget.value)} />
        <TextInput label="Opening cash ₹" w={130} value={opening} onChange={(e) => setOpening(e.currentTarget.value)} />
        <Button variant="default" onClick={() => void show()}>
          Show figures
        </Button>
      </Group>
      <CashCount counts={counts} onCounts={setCounts} />
      <FormError error={error} />
      {report && <Figures report={report} typed={typed} onDocument={onDocument} onClose={askToClose} />}
      {report && typed && !report.closed && (
        <CloseDayDialog opened={closing} date={report.date} typed={typed} cash={cashLine(report.cash, typed)} onClosed={closed} onCancel={() => setClosing(false)} />
      )}
    </Stack>
  );
}

function CashCount({ counts, onCounts }: { counts: Record<string, number>; onCounts: (counts: Record<string, number>) => void }) {
  const counted = NOTES.reduce((s, n) => s + Number(n) * 100 * (counts[n] ?? 0), 0);
  return (
    <Paper withBorder p="sm" component="section" aria-label="Cash count">
      <Title order={5} mb={4}>
        Cash counted
      </Title>
      <Grid gap="xs">
        {NOTES.map((n) => (
          <Grid.Col span={{ base: 6, md: 2 }} key={n}>
            <NumberInput size="xs" label={`₹${n} ×`} min={0} allowDecimal={false} value={counts[n] ?? 0} onChange={(v) => onCounts({ ...counts, [n]: typeof v === 'number' ? v : 0 })} />
          </Grid.Col>
        ))}
      </Grid>
      <Text size="sm" mt={4}>
        Counted: <b data-testid="counted-cash">{formatRupees(counted)}</b>
      </Text>
    </Paper>
  );
}

/**
 * The day's figures as the day-end PDF prints them, and closing the day. An open day's cash line
 * follows what is typed; a closed day's is what it was closed with.
 */
function Figures(props: { report: Report; typed: CashTyped | null; onDocument: (date: string, typed: CashTyped | null) => void; onClose: () => void }) {
  const { report, typed, onDocument, onClose } = props;
  const cash = report.closed || !typed ? report.cash : cashLine(report.cash, typed);
  return (
    <Paper withBorder p="sm" component="section" aria-label="Day-end figures">
      <Group justify="space-between">
        <Title order={5}>
          {report.date} · series {report.seriesPrefix} {report.closed ? `· closed by ${report.closedBy ?? ''}` : '· not closed yet'}
        </Title>
        <Button size="xs" variant="subtle" onClick={() => onDocument(report.date, report.closed ? null : typed)}>
          Day-end PDF
        </Button>
      </Group>
      <Table aria-label="By payment mode">
        <Table.Tbody>
          {Object.entries(report.byMode)
            .filter(([, v]) => v !== 0)
            .map(([mode, v]) => (
              <Table.Tr key={mode} data-testid={`mode-${mode}`}>
                <Table.Td>{mode}</Table.Td>
                <Table.Td ta="right">{formatRupees(v)}</Table.Td>
              </Table.Tr>
            ))}
          <Table.Tr>
            <Table.Td fw={700}>Received</Table.Td>
            <Table.Td ta="right" fw={700} data-testid="received-total">
              {formatRupees(report.receivedPaise)}
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Td>Refunded</Table.Td>
            <Table.Td ta="right">{formatRupees(report.refundedPaise)}</Table.Td>
          </Table.Tr>
          {report.advancesRefundedPaise > 0 && (
            <Table.Tr>
              <Table.Td>of which unused advances</Table.Td>
              <Table.Td ta="right" data-testid="advances-refunded">
                {formatRupees(report.advancesRefundedPaise)}
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      <Text size="sm" fw={600} mt="xs">
        By doctor
      </Text>
      {report.byDoctor.map((d) => (
        <Text size="sm" key={d.doctorId ?? 'none'}>
          {d.doctorName}: {formatRupees(d.netPaise)}
        </Text>
      ))}
      <Text size="sm" fw={600} mt="xs">
        By service
      </Text>
      {report.byService.map((s) => (
        <Text size="sm" key={s.kind}>
          {s.kind}: {formatRupees(s.netPaise)}
        </Text>
      ))}
      <Text size="sm" mt="xs">
        Bills issued: {report.invoicesIssued.count} ({formatRupees(report.invoicesIssued.billedPaise)}) · void: {report.invoicesVoided.count} · dues outstanding: {report.dues.count} ({formatRupees(report.dues.totalPaise)})
      </Text>
      <SeriesNotes report={report} />
      <DayEndNotes creditNotes={report.creditNotes} refundVouchers={report.refundVouchers} />
      <Text size="sm" mt="xs" fw={700} c={cash.differencePaise === 0 ? 'teal' : 'red'} data-testid="cash-difference">
        Opening {formatRupees(cash.openingPaise)} · cash expected {formatRupees(cash.expectedPaise)} · counted {formatRupees(cash.countedPaise)} · difference {formatRupees(cash.differencePaise)}
      </Text>
      {report.differenceReason && (
        <Text size="sm" data-testid="difference-reason">
          Reason for the difference: {report.differenceReason}
        </Text>
      )}
      {!report.closed && (
        <Button mt="sm" color="red" onClick={onClose}>
          Close the day on this workstation
        </Button>
      )}
    </Paper>
  );
}

/** The day's numbers, those voided as issued twice while offline, and bills paid beyond their total. */
function SeriesNotes({ report }: { report: Report }) {
  return (
    <>
      {report.invoicesIssued.count > 0 && (
        <Text size="xs" c="dimmed" data-testid="day-numbers">
          Numbers: {report.invoicesIssued.numbers.join(', ')}
          {report.invoicesVoided.count > 0 && ` · voided: ${report.invoicesVoided.numbers.join(', ')}`}
        </Text>
      )}
      {report.issuedTwice.length > 0 && (
        <Text size="sm" c="orange" data-testid="day-issued-twice">
          Issued twice while offline (voided, still in the series): {report.issuedTwice.map((v) => v.number).join(', ')}
        </Text>
      )}
      {report.credits.count > 0 && (
        <Text size="sm" c="orange" data-testid="day-credits">
          Credits to refund or keep as advance: {report.credits.invoices.map((c) => `${c.invoiceNumber ?? 'a bill'} ${formatRupees(c.creditPaise)}`).join(', ')}
        </Text>
      )}
    </>
  );
}
