import { Alert, Badge, Button, Group, Kbd, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useRef, useState } from 'react';
import { hasPermission } from '../../../shared/permissions';
import { numericValue } from '../../../shared/lab-ranges';
import { call, type Output } from '../api/client';
import { useMethod } from '../api/hooks';
import { downloadJobDocument, waitForJob } from '../api/jobs';
import { useSession } from '../session';
import { today } from '../format';
import { AmendDialog } from './AmendDialog';
import { OutsideReportDialog } from './OutsideReportDialog';
import { ResultInput } from './ResultInput';

/*
 * The lab's day (docs/LAB.md): every order of the chosen date by step. Collect a sample (its label
 * prints), type results (Enter saves and moves to the next; out-of-range values turn red as typed),
 * verify someone else's entry, print the visit's report.
 */

export type LabRow = Output<'labs.pending'>[number];

const STEPS: { status: LabRow['status']; title: string }[] = [
  { status: 'ordered', title: 'To collect' },
  { status: 'collected', title: 'Awaiting result' },
  { status: 'resulted', title: 'Awaiting verification' },
  { status: 'verified', title: 'Verified' },
  { status: 'cancelled', title: 'Cancelled' },
];

export function LabScreen() {
  // The clinic's day, not the computer's: a desk set to UTC would show yesterday's list until 05:30 IST.
  const { timeZone } = useSession();
  const [date, setDate] = useState(() => today(timeZone));
  const list = useMethod('labs.pending', { date });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const dateRef = useRef<HTMLInputElement>(null);
  // Held here, not in the row: the row moves to another step (or is cancelled by the doctor) while the
  // dialog is open, and a half-done save must stay on screen to be retried.
  const [outside, setOutside] = useState<LabRow | null>(null);
  useHotkeys([['alt+D', () => dateRef.current?.focus()]], []);
  const rows = list.data ?? [];
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={3}>Lab</Title>
        <TextInput ref={dateRef} type="date" label={<>Day <Kbd size="xs">Alt+D</Kbd></>} value={date} onChange={(e) => e.currentTarget.value && setDate(e.currentTarget.value)} w={200} />
      </Group>
      {message && (
        <Alert color={message.ok ? 'green' : 'red'} role={message.ok ? 'status' : 'alert'} withCloseButton onClose={() => setMessage(null)}>
          {message.text}
        </Alert>
      )}
      {list.error && <Alert color="red">{list.error.message}</Alert>}
      {rows.length === 0 && !list.isLoading && <Text c="dimmed">No lab orders for this day.</Text>}
      {STEPS.map((step) => {
        const some = rows.filter((r) => r.status === step.status);
        return some.length === 0 ? null : <StepTable key={step.status} title={step.title} rows={some} onMessage={setMessage} onOutside={setOutside} />;
      })}
      {outside && (
        <OutsideReportDialog
          row={outside}
          onClose={() => setOutside(null)}
          onDone={(text) => {
            setOutside(null);
            setMessage({ ok: true, text });
          }}
        />
      )}
    </Stack>
  );
}

type Say = (m: { ok: boolean; text: string }) => void;

type Open = (row: LabRow) => void;

function StepTable({ title, rows, onMessage, onOutside }: { title: string; rows: LabRow[]; onMessage: Say; onOutside: Open }) {
  return (
    <Paper withBorder p="sm" component="section" aria-label={title}>
      <Text fw={600} mb={4}>
        {title} ({rows.length})
      </Text>
      <Table striped highlightOnHover verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Patient</Table.Th>
            <Table.Th>Test</Table.Th>
            <Table.Th>Sample</Table.Th>
            <Table.Th>Result</Table.Th>
            <Table.Th>Range</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <OrderRow key={r.orderId} row={r} onMessage={onMessage} onOutside={onOutside} />
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

function FlagBadge({ flag, critical }: { flag: 'H' | 'L' | null; critical: boolean }) {
  if (!flag && !critical) return null;
  return (
    <Badge color="red" variant={critical ? 'filled' : 'light'} ml={6}>
      {flag ?? ''}
      {critical ? ' critical' : ''}
    </Badge>
  );
}

// Long by design: one table row whose cells and actions follow the order's step.
function OrderRow({ row, onMessage, onOutside }: { row: LabRow; onMessage: Say; onOutside: Open }) {
  const { user } = useSession();
  const [busy, setBusy] = useState(false);
  const run = async (what: () => Promise<string | null>) => {
    setBusy(true);
    const problem = await what();
    setBusy(false);
    if (problem) onMessage({ ok: false, text: problem });
  };
  const collect = () =>
    run(async () => {
      const r = await call('labs.collect', { orderId: row.orderId });
      if (!r.ok) return r.error.message;
      onMessage({ ok: true, text: `Sample ${r.value.sampleId} collected for ${row.testName}: its label is printing.` });
      const job = await call('labs.label', { orderId: row.orderId });
      return job.ok ? downloadJobDocument(await waitForJob(job.value.id)) : job.error.message;
    });
  const verify = () =>
    run(async () => {
      const r = await call('labs.verify', { orderId: row.orderId });
      if (!r.ok) return r.error.message;
      onMessage({ ok: true, text: `${row.testName} for ${row.patientName} verified.` });
      return null;
    });
  const report = () =>
    run(async () => {
      const r = await call('labs.report', { visitId: row.visitId });
      if (!r.ok) return r.error.message;
      onMessage({ ok: true, text: `Lab report for ${row.patientName} ready.` });
      return downloadJobDocument(await waitForJob(r.value.id));
    });
  const canVerify = hasPermission(user.roles, 'labs.verify') && row.resultedBy !== user.id;
  const [amending, setAmending] = useState(false);
  const canAttach = hasPermission(user.roles, 'labs.work') && hasPermission(user.roles, 'attachments.add');
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm" fw={500}>
          {row.patientName}
        </Text>
        <Text size="xs" c="dimmed">
          {row.mrn} · {row.age} y {row.sex === 'male' ? 'M' : row.sex === 'female' ? 'F' : 'O'} · {row.doctorName}
        </Text>
      </Table.Td>
      <Table.Td>{row.testName}</Table.Td>
      <Table.Td>{row.sampleId ?? '—'}</Table.Td>
      <Table.Td>
        {row.status === 'collected' || row.status === 'resulted' ? (
          <>
            <ResultInput row={row} onMessage={onMessage} />
            {row.result?.amended && (
              <Text size="xs" c="orange">
                Amended, to be verified again
              </Text>
            )}
          </>
        ) : row.result ? (
          <Text size="sm" fw={row.result.flag ? 700 : 400} c={row.result.flag || row.result.critical ? 'red' : undefined}>
            {row.result.value} {numericValue(row.result.value) !== null ? (row.result.unit ?? '') : ''}
            <FlagBadge flag={row.result.flag} critical={row.result.critical} />
          </Text>
        ) : row.status === 'cancelled' ? (
          <Text size="sm" c="dimmed">
            Cancelled: {row.cancelReason}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{row.referenceRange ?? ''}</Text>
      </Table.Td>
      <Table.Td>
        <Group gap={6} justify="flex-end" wrap="nowrap">
          {row.status === 'ordered' && (
            <Button size="xs" loading={busy} onClick={() => void collect()} aria-label={`Collect sample: ${row.testName} for ${row.patientName}`}>
              Collect sample
            </Button>
          )}
          {row.status === 'collected' && canAttach && (
            <Button size="xs" variant="default" onClick={() => onOutside(row)} aria-label={`Outside report: ${row.testName} for ${row.patientName}`}>
              Outside report…
            </Button>
          )}
          {row.status === 'resulted' && canVerify && (
            <Button size="xs" color="green" loading={busy} onClick={() => void verify()} aria-label={`Verify ${row.testName} for ${row.patientName}`}>
              Verify
            </Button>
          )}
          {row.status === 'verified' && (
            <Button size="xs" variant="light" loading={busy} onClick={() => void report()} aria-label={`Print report for ${row.patientName}`}>
              Print report{row.reportPrintCount > 0 ? ` (${row.reportPrintCount})` : ''}
            </Button>
          )}
          {row.status === 'verified' && hasPermission(user.roles, 'labs.work') && (
            <Button size="xs" variant="subtle" color="orange" onClick={() => setAmending(true)} aria-label={`Amend ${row.testName} for ${row.patientName}`}>
              Amend
            </Button>
          )}
          {amending && (
            <AmendDialog
              row={row}
              opened
              onClose={() => setAmending(false)}
              onDone={(text) => {
                setAmending(false);
                onMessage({ ok: true, text });
              }}
            />
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
