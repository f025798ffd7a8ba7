import { Alert, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { call, type Output } from '../api/client';
import { useMethod } from '../api/hooks';
import { DoctorForm } from './DoctorForm';

export type Doctor = Output<'doctors.list'>[number];

/** Admin: each doctor's professional profile, fees, weekly timetable and leave. */
export function DoctorsScreen() {
  const doctors = useMethod('doctors.list', {});
  const [selected, setSelected] = useState<string | null>(null);
  const doctor = doctors.data?.find((d) => d.userId === (selected ?? doctors.data?.[0]?.userId));
  return (
    <Stack>
      <Title order={2}>Doctors and schedules</Title>
      {doctors.data?.length === 0 && <Text c="dimmed">No staff member has the doctor role yet. Add one on the Staff screen.</Text>}
      <Group>
        {doctors.data?.map((d) => (
          <Button key={d.userId} variant={d.userId === doctor?.userId ? 'filled' : 'default'} onClick={() => setSelected(d.userId)}>
            {d.fullName}
          </Button>
        ))}
      </Group>
      {doctor && <DoctorForm key={`${doctor.userId}${doctor.profile?.updatedAt ?? ''}`} doctor={doctor} />}
      {doctor && <Leaves doctor={doctor} />}
    </Stack>
  );
}

function Leaves({ doctor }: { doctor: Doctor }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  // eslint-disable-next-line react-hooks/set-state-in-effect -- another doctor's leave form starts without the last one's error
  useEffect(() => setError(null), [doctor.userId]);
  async function add() {
    const r = await call('doctors.addLeave', { doctorId: doctor.userId, fromDate: from, toDate: to || from, reason });
    if (!r.ok) setError(r.error.message);
    else {
      setError(null);
      setFrom('');
      setTo('');
      setReason('');
    }
  }
  return (
    <Paper withBorder p="md" aria-label="Leave">
      <Title order={5}>Leave</Title>
      <Table>
        <Table.Tbody>
          {doctor.leaves.map((l) => (
            <Table.Tr key={l.id}>
              <Table.Td>
                {l.fromDate} to {l.toDate}
              </Table.Td>
              <Table.Td>{l.reason}</Table.Td>
              <Table.Td>
                <Button size="compact-xs" variant="subtle" color="red" onClick={() => void call('doctors.removeLeave', { leaveId: l.id })}>
                  Remove
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group align="flex-end" gap="xs">
        <TextInput label="From" placeholder="YYYY-MM-DD" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput label="To" placeholder="YYYY-MM-DD" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        <TextInput label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        <Button variant="default" onClick={() => void add()}>
          Add leave
        </Button>
      </Group>
      {error && (
        <Alert color="red" role="alert" mt="sm">
          {error}
        </Alert>
      )}
    </Paper>
  );
}
