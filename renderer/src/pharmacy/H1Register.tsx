import { Button, Group, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { call } from '../api/client';
import { useMethod } from '../api/hooks';
import { downloadJobDocument, waitForJob } from '../api/jobs';
import { addDays, today as todayIn } from '../format';
import { useSession } from '../session';

/** The Schedule H1 register by date range, as a table and as a PDF for the inspector (a job; audited). */
export function H1Register() {
  const { timeZone } = useSession();
  const today = todayIn(timeZone);
  const [from, setFrom] = useState(addDays(today, -30));
  const [to, setTo] = useState(today);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  const rows = useMethod('pharmacy.h1Register', { from, to }, { enabled: valid });
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  async function print() {
    setBusy(true);
    const started = await call('pharmacy.h1RegisterPdf', { from, to });
    const failed = !started.ok ? started.error.message : await downloadJobDocument(await waitForJob(started.value.id));
    setBusy(false);
    setMessage(failed);
  }

  return (
    <Paper withBorder p="sm" component="section" aria-label="H1 register">
      <Group align="flex-end" mb="sm">
        <TextInput type="date" label="From" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput type="date" label="To" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        <Button disabled={!valid} loading={busy} onClick={() => void print()}>
          Print PDF
        </Button>
        {message && <Text c="red" size="sm">{message}</Text>}
      </Group>
      {!valid ? (
        <Text c="red">Choose a From date on or before the To date.</Text>
      ) : rows.error ? (
        <Text c="red">{rows.error.message}</Text>
      ) : (
        <Stack gap={4}>
          <Table striped withTableBorder verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Date</Table.Th>
                <Table.Th>Patient and address</Table.Th>
                <Table.Th>Prescriber</Table.Th>
                <Table.Th>Drug</Table.Th>
                <Table.Th>Batch</Table.Th>
                <Table.Th>Qty</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(rows.data ?? []).map((r, i) => (
                <Table.Tr key={i} data-testid="h1-row">
                  <Table.Td>{r.dispensedOn}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{r.patientName}</Text>
                    <Text size="xs" c="dimmed">{r.patientAddress}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{r.prescriberName}</Text>
                    {r.prescriberRegistration && <Text size="xs" c="dimmed">{r.prescriberRegistration}</Text>}
                  </Table.Td>
                  <Table.Td>{r.drugName}</Table.Td>
                  <Table.Td>{r.batchNumber}</Table.Td>
                  <Table.Td>{r.qty}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {rows.data?.length === 0 && <Text c="dimmed" size="sm">No Schedule H1 drug was supplied in these dates.</Text>}
        </Stack>
      )}
    </Paper>
  );
}
