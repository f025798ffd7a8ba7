import { SegmentedControl, Stack, Table, Text, Title, Group } from '@mantine/core';
import { useState } from 'react';
import { useMethod } from '../api/hooks';
import { addDays, formatDay } from '../format';

/** Patients a doctor asked to see again, due today or this week, who have not come back yet. */
export function FollowUps({ today }: { today: string }) {
  const [range, setRange] = useState<'today' | 'week'>('today');
  const due = useMethod('patients.followUps', { from: range === 'today' ? addDays(today, -30) : today, to: range === 'today' ? today : addDays(today, 7) });
  return (
    <Stack gap="xs" component="section" aria-label="Follow-ups">
      <Group>
        <Title order={4}>Follow-ups</Title>
        <SegmentedControl
          size="xs"
          value={range}
          onChange={(v) => setRange(v)}
          data={[
            { value: 'today', label: 'Due today (and overdue)' },
            { value: 'week', label: 'Next 7 days' },
          ]}
        />
      </Group>
      {due.data?.length === 0 && <Text c="dimmed">No follow-ups due.</Text>}
      <Table withTableBorder striped>
        <Table.Tbody>
          {(due.data ?? []).map((f) => (
            <Table.Tr key={f.visitId}>
              <Table.Td>{formatDay(f.followUpDate)}</Table.Td>
              <Table.Td>
                {f.patientName} <Text span size="xs" c="dimmed">{f.mrn}</Text>
              </Table.Td>
              <Table.Td>{f.mobile ?? '—'}</Table.Td>
              <Table.Td>{f.doctorName}</Table.Td>
              <Table.Td>last seen {formatDay(f.lastVisit)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
