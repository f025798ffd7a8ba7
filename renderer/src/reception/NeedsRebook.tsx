import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useMethod } from '../api/hooks';
import { formatDay } from '../format';

/** Bookings another workstation won while both were offline: each needs a new slot. */
export function NeedsRebook({ onRebook }: { onRebook: (patientId: string, patientName: string, appointmentId: string) => void }) {
  const list = useMethod('appointments.needsRebook', {});
  if (!list.data || list.data.length === 0) return null;
  return (
    <Alert color="orange" title={`${list.data.length} appointment(s) need rebooking`} role="alert" aria-label="Needs rebooking">
      <Stack gap={4}>
        {list.data.map((a) => (
          <Group key={a.id} justify="space-between">
            <Text size="sm">
              {a.patientName} ({a.mrn}) · {a.doctorName} · {formatDay(a.date)} {a.start} — the slot was taken by a booking on another workstation
            </Text>
            <Button size="compact-xs" onClick={() => onRebook(a.patientId, a.patientName, a.id)}>
              Rebook
            </Button>
          </Group>
        ))}
      </Stack>
    </Alert>
  );
}
