import { Table, Text } from '@mantine/core';
import type { Output } from '../api/client';
import { dateTime } from '../format';
import { useSession } from '../session';

type FirstKey = Output<'sync.devices'>['firstKeys'][number];


/**
 * Admin: first signing keys staff from before signed changes registered themselves, and on which
 * workstation. A registration from a desk the person does not use is answered with a password reset.
 */
export function FirstKeys({ keys }: { keys: readonly FirstKey[] }) {
  const { timeZone } = useSession();
  if (keys.length === 0) return null;
  return (
    <>
      <Text size="sm" fw={500} mt="md" mb={4}>
        First signing keys registered at login
      </Text>
      <Text size="xs" c="dimmed" mb="xs">
        If a key was registered on a workstation that person does not use, reset their password.
      </Text>
      <Table striped data-testid="first-keys">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>User</Table.Th>
            <Table.Th>Workstation</Table.Th>
            <Table.Th>When</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.map((k) => (
            <Table.Tr key={`${k.userId}:${k.at}`}>
              <Table.Td>{k.username ?? k.userId}</Table.Td>
              <Table.Td>{k.deviceName ?? k.deviceId ?? '—'}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{dateTime(k.at, timeZone)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}
