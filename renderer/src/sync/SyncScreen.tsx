import { Alert, Badge, Button, Group, Paper, Progress, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { call, fetchValue, onProgress, type Output } from '../api/client';
import { useMethod } from '../api/hooks';
import { FormError } from '../FormError';
import { useApiSubmit } from '../forms';
import { dateTime } from '../format';
import { useSession } from '../session';
import { clockWarning } from './clock';
import { changedAt, changeLabel, recordLabel } from './outbox-labels';
import { Workstations } from './Workstations';
import { SetAside } from './SetAside';
import { WaitingRoomDisplay } from './WaitingRoomDisplay';

/** Admin: connect this workstation to the clinic's sync server and see what is waiting or refused. */
export function SyncScreen() {
  const status = useQuery({ queryKey: ['sync.status'], queryFn: () => fetchValue('sync.status'), refetchInterval: 3_000 });
  const pending = useMethod('sync.outbox', { kind: 'pending', limit: 50 });
  const rejected = useMethod('sync.outbox', { kind: 'rejected', limit: 50 });
  const flagged = useMethod('sync.outbox', { kind: 'flagged', limit: 50 });
  const [error, setError] = useState<string | null>(null);
  const { timeZone } = useSession();
  const s = status.data;

  async function toggle(enabled: boolean) {
    const r = await call('sync.configure', { enabled });
    if (!r.ok) setError(r.error.message);
    void status.refetch();
  }

  return (
    <Stack>
      <Title order={2}>Sync</Title>
      {s?.refusal === 'revoked' && (
        <Alert color="red" role="alert" title="This workstation was removed from the clinic">
          An administrator removed it on another workstation, so the sync server no longer accepts it. What was recorded here and not sent stays on this computer. If this was a mistake, ask for a new enrolment code.
        </Alert>
      )}
      {s && clockWarning(s.clockSkewMs) && (
        <Alert color="red" role="alert">
          {clockWarning(s.clockSkewMs)}
        </Alert>
      )}
      {s && (
        <Paper withBorder p="md" component="section" aria-label="Sync status">
          <Group>
            <Badge size="lg">{s.state}</Badge>
            <Text>
              {s.pending === 0 ? 'Nothing to send' : `${s.pending} ${s.pending === 1 ? 'change' : 'changes'} to send`} · {s.rejected} refused · {s.lastSyncAt ? `last synced ${dateTime(s.lastSyncAt, timeZone)}` : 'never synced'}
            </Text>
          </Group>
          <Text size="sm" c="dimmed" mt={4}>
            Workstation {s.deviceName ?? s.deviceId} · number series {s.seriesPrefix} {s.serverUrl ? `· server ${s.serverUrl}` : ''}
          </Text>
          {s.lastError && (
            <Text size="sm" c="red">
              {s.lastError}
            </Text>
          )}
          <Group mt="sm">
            <Switch label="Sync with the server" checked={s.enabled} disabled={!s.enrolled} onChange={(e) => void toggle(e.currentTarget.checked)} />
            <Button size="xs" variant="default" disabled={s.state !== 'online'} onClick={() => void call('sync.now')}>
              Sync now
            </Button>
          </Group>
        </Paper>
      )}
      {s && <HeldAndDecided status={s} />}
      {s && <SetAside items={s.setAside} />}
      {s && !s.enrolled && <EnrolPanel />}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {s?.enrolled && <Workstations />}
      <WaitingRoomDisplay />
      <Outbox title="Refused by the server" rows={rejected.data ?? []} reason="Why the server refused it" />
      <Outbox title="Accepted, with a note from the server" rows={flagged.data ?? []} reason="What the server noticed" />
      <Outbox title="Waiting to be sent" rows={pending.data ?? []} />
    </Stack>
  );
}

function Outbox({ title, rows, reason }: { title: string; rows: Output<'sync.outbox'>; reason?: string }) {
  const { timeZone } = useSession();
  if (rows.length === 0) return null;
  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <Title order={4} mb="xs">
        {title}
      </Title>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>Record</Table.Th>
            <Table.Th>Change</Table.Th>
            <Table.Th>Id</Table.Th>
            {reason && <Table.Th>{reason}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{changedAt(r.hlc, timeZone)}</Table.Td>
              <Table.Td>{recordLabel(r.tableName)}</Table.Td>
              <Table.Td>{changeLabel(r.op)}</Table.Td>
              <Table.Td>
                <Text span size="xs" c="dimmed" ff="monospace">
                  …{r.rowId.slice(-8)}
                </Text>
              </Table.Td>
              {reason && <Table.Td>{r.reason}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

/** Enrolling: the server's address and a one-time code; the job's progress as it runs. */
function EnrolPanel() {
  const [serverUrl, setServerUrl] = useState('');
  const [code, setCode] = useState('');
  const [job, setJob] = useState<Output<'jobs.get'> | null>(null);
  const { error, run } = useApiSubmit(null);
  useEffect(() => onProgress((j) => j.kind === 'sync.enrol' && setJob(j)), []);

  async function enrolNow() {
    const started = await run(() => call('sync.enrol', { serverUrl, code }));
    if (started) setJob(started);
  }

  return (
    <Paper withBorder p="md" component="section" aria-label="Enrol">
      <Title order={4}>Enrol this workstation</Title>
      <Text size="sm" c="dimmed" mb="xs">
        Ask the clinic's sync administrator for the server address and a one-time enrolment code.
      </Text>
      <Group align="flex-end">
        <TextInput label="Server address" placeholder="https://sync.example.in" w={320} value={serverUrl} onChange={(e) => setServerUrl(e.currentTarget.value)} />
        <TextInput label="Enrolment code" w={160} value={code} onChange={(e) => setCode(e.currentTarget.value)} />
        <Button onClick={() => void enrolNow()} disabled={!serverUrl || !code}>
          Enrol
        </Button>
      </Group>
      {job && (
        <Group mt="xs">
          <Progress w={240} value={job.status === 'done' ? 100 : job.total ? (job.done / job.total) * 100 : 10} color={job.status === 'failed' ? 'red' : 'teal'} />
          <Text size="sm" c={job.status === 'failed' ? 'red' : undefined}>
            {job.message}
          </Text>
        </Group>
      )}
      {job?.status === 'done' && typeof job.result?.warning === 'string' && (
        <Alert color="orange" title="Number series changed" role="alert" mt="xs">
          {job.result.warning}
        </Alert>
      )}
      <FormError error={error} mt="xs" />
    </Paper>
  );
}

/** What the server decided against this desk (uniqueness races) and a pull held up by a row it cannot store. */
function HeldAndDecided({ status }: { status: Output<'sync.status'> }) {
  return (
    <>
      {status.heldUp && (
        <Alert color="orange" title="Sync is held up" role="alert">
          {status.heldUp.message}
        </Alert>
      )}
      {status.conflicts.length > 0 && (
        <Paper withBorder p="md" component="section" aria-label="Conflicts">
          <Title order={4}>Decided by the server</Title>
          <Text size="sm" c="dimmed" mb="xs">
            Another desk had these first while this one was offline.
          </Text>
          <Stack gap={4}>
            {status.conflicts.map((c) => (
              <Text key={c.changeId} size="sm">
                {c.message}
              </Text>
            ))}
          </Stack>
        </Paper>
      )}
    </>
  );
}
