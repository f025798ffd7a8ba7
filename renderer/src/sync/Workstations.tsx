import { Alert, Badge, Button, Group, Modal, Paper, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { call, fetchValue, type Output } from '../api/client';
import { fieldErrors } from '../forms';
import { dateTime } from '../format';
import { useSession } from '../session';
import { FirstKeys } from './FirstKeys';

type Device = Output<'sync.devices'>['devices'][number];


/** Admin: the clinic's enrolled workstations (the server's list; the last known one offline), and removing a lost one. */
export function Workstations() {
  const { timeZone } = useSession();
  const when = (ms: number | null) => (ms === null ? '—' : dateTime(ms, timeZone));
  const list = useQuery({ queryKey: ['sync.devices'], queryFn: () => fetchValue('sync.devices'), refetchInterval: 5_000 });
  const [removing, setRemoving] = useState<Device | null>(null);
  const data = list.data;
  if (!data) return null;
  return (
    <Paper withBorder p="md" component="section" aria-label="Workstations">
      <Title order={4} mb="xs">
        Workstations of the clinic
      </Title>
      {data.note && (
        <Text size="sm" c="dimmed" mb="xs">
          {data.note}
          {data.fetchedAt ? ` (received ${when(data.fetchedAt)})` : ''}
        </Text>
      )}
      {data.devices.length > 0 && (
        <Table striped data-testid="workstations">
          <WorkstationsHead />
          <Table.Tbody>
            {data.devices.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>
                  {d.name}
                  {d.thisWorkstation && (
                    <Badge ml="xs" variant="light">
                      this workstation
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{d.seriesPrefix}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{when(d.enrolledAt)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{when(d.lastSeenAt)}</Table.Td>
                <Table.Td>{d.appVersion ?? '—'}</Table.Td>
                <Table.Td>
                  {d.revokedAt !== null ? (
                    <Badge color="red" variant="light" title={d.revokeReason ?? undefined}>
                      removed {when(d.revokedAt)}
                    </Badge>
                  ) : (
                    <Badge color="teal" variant="light">
                      active
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  {d.revokedAt === null && !d.thisWorkstation && (
                    <Button size="xs" variant="default" color="red" onClick={() => setRemoving(d)}>
                      Remove…
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <FirstKeys keys={data.firstKeys} />
      {removing && (
        <RemoveDialog
          device={removing}
          onClose={() => {
            setRemoving(null);
            void list.refetch();
          }}
        />
      )}
    </Paper>
  );
}

function RemoveDialog({ device, onClose }: { device: Device; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  async function remove() {
    const r = await call('sync.revokeDevice', { deviceId: device.id, reason });
    if (r.ok) onClose();
    else setError({ message: r.error.message, fields: fieldErrors(r.error) });
  }
  return (
    <Modal opened onClose={onClose} title={`Remove ${device.name} from the clinic`}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void remove();
        }}
      >
        <Text size="sm" mb="xs">
          The server will refuse this workstation from now on (a lost or stolen computer). What it recorded and has not sent stays on it.
        </Text>
        <TextInput label="Reason" data-autofocus value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={error?.fields.reason} />
        {error && !error.fields.reason && (
          <Alert color="red" mt="xs">
            {error.message}
          </Alert>
        )}
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" color="red" disabled={!reason.trim()}>
            Remove workstation
          </Button>
        </Group>
      </form>
    </Modal>
  );
}

function WorkstationsHead() {
  return (
    <Table.Thead>
      <Table.Tr>
        <Table.Th>Name</Table.Th>
        <Table.Th>Series</Table.Th>
        <Table.Th>Enrolled</Table.Th>
        <Table.Th>Last seen</Table.Th>
        <Table.Th>App version</Table.Th>
        <Table.Th>Status</Table.Th>
        <Table.Th />
      </Table.Tr>
    </Table.Thead>
  );
}
