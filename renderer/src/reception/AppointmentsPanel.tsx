import { Alert, Badge, Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useMethod } from '../api/hooks';
import { call, type Output } from '../api/client';
import { formatDay } from '../format';

type Appointment = Output<'appointments.list'>[number];

/**
 * A doctor's day: the slots with free places, and the appointments booked. With a patient chosen,
 * picking a free slot books it; "Reschedule" then a slot moves an existing appointment.
 */
type Moving = Pick<Appointment, 'id' | 'patientName' | 'start'>;

export function AppointmentsPanel({ patient, today, bookRequest, rebook }: {
  patient: { id: string; name: string } | null;
  today: string;
  /** Changes when the receptionist asks to book for the chosen patient (focuses the slots). */
  bookRequest: number;
  /** An appointment to move to a new slot (one that lost its slot to another workstation). */
  rebook?: (Moving & { doctorId: string; date: string }) | null;
}) {
  const doctors = useMethod('doctors.list', {});
  const [doctorId, setDoctorId] = useState('');
  const [date, setDate] = useState(today);
  const [moving, setMoving] = useState<Moving | null>(null);
  useEffect(() => {
    if (!rebook) return;
    // eslint-disable-next-line react-hooks/set-state-in-effect -- a rebooking asked for from outside fills the booking form once
    setDoctorId(rebook.doctorId);
    setDate(rebook.date < today ? today : rebook.date);
    setMoving(rebook);
  }, [rebook, today]);
  const [error, setError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState<Appointment | null>(null);
  const [cancelReason, setCancelReason] = useState('');
  const chosen = doctorId || doctors.data?.[0]?.userId || '';
  const validDate = /^\d{4}-\d{2}-\d{2}$/.test(date);
  const slots = useMethod('appointments.slots', { doctorId: chosen, date }, { enabled: !!chosen && validDate });
  const list = useMethod('appointments.list', { date, doctorId: chosen }, { enabled: !!chosen && validDate });

  useEffect(() => {
    if (bookRequest > 0) document.querySelector<HTMLButtonElement>('[data-slot-free="true"]')?.focus();
  }, [bookRequest]);

  async function pick(start: string) {
    setError(null);
    const r = moving
      ? await call('appointments.reschedule', { appointmentId: moving.id, date, start })
      : patient
        ? await call('appointments.book', { patientId: patient.id, doctorId: chosen, date, start })
        : null;
    if (!r) return setError('Choose a patient first (search on the left), then pick a slot.');
    if (!r.ok) return setError(r.error.message);
    notifications.show({ color: 'teal', message: `${moving ? 'Moved' : 'Booked'} ${r.value.start} on ${formatDay(r.value.date)} (${r.value.bookingRef}).` });
    setMoving(null);
  }

  async function closeDay() {
    const r = await call('appointments.markNoShows', { date });
    if (r.ok) notifications.show({ message: `${r.value.marked} marked as no-show.` });
    else setError(r.error.message);
  }

  async function checkIn(a: Appointment) {
    const r = await call('queue.checkIn', { patientId: a.patientId, appointmentId: a.id });
    if (!r.ok) notifications.show({ color: 'red', message: r.error.message });
  }

  async function cancel() {
    if (!cancelling) return;
    const r = await call('appointments.cancel', { appointmentId: cancelling.id, reason: cancelReason });
    if (!r.ok) return setError(r.error.message);
    setCancelling(null);
    setCancelReason('');
  }

  return (
    <Stack gap="xs" component="section" aria-label="Appointments">
      <Group align="flex-end">
        <Title order={4}>Appointments</Title>
        <NativeSelect
          label="Doctor"
          value={chosen}
          onChange={(e) => setDoctorId(e.currentTarget.value)}
          data={(doctors.data ?? []).map((d) => ({ value: d.userId, label: d.fullName }))}
        />
        <TextInput label="Date" value={date} onChange={(e) => setDate(e.currentTarget.value)} placeholder="YYYY-MM-DD" w={130} />
      </Group>
      {moving && (
        <Alert color="blue" p="xs">
          Pick a new slot for {moving.patientName} ({moving.start}).{' '}
          <Button size="compact-xs" variant="subtle" onClick={() => setMoving(null)}>
            Cancel
          </Button>
        </Alert>
      )}
      {slots.data?.onLeave && (
        <Alert color="orange" p="xs">
          On leave {slots.data.onLeave.fromDate} to {slots.data.onLeave.toDate}
          {slots.data.onLeave.reason ? `: ${slots.data.onLeave.reason}` : ''}
        </Alert>
      )}
      {slots.data && !slots.data.onLeave && slots.data.slots.length === 0 && <Text c="dimmed">No sitting on {formatDay(date)}.</Text>}
      <Group gap={6} aria-label="Slots">
        {slots.data?.slots.map((s) => {
          const full = s.free === 0;
          return (
            <Tooltip key={s.start} label={`${s.booked} of ${s.capacity} booked${s.mode === 'video' ? ' · video' : ''}`}>
              <Button
                size="compact-sm"
                variant={full || s.past ? 'light' : 'outline'}
                color={full ? 'red' : 'teal'}
                disabled={s.past}
                data-slot-free={!full && !s.past}
                aria-label={`Slot ${s.start}, ${full ? 'full' : `${s.free} free`}`}
                onClick={() => void pick(s.start)}
              >
                {s.start}
                <Text span size="xs" ml={4} c="dimmed">
                  {s.booked}/{s.capacity}
                </Text>
              </Button>
            </Tooltip>
          );
        })}
      </Group>
      {error && (
        <Alert color="red" role="alert" p="xs">
          {error}
        </Alert>
      )}
      {validDate && date < today && (list.data ?? []).some((a) => a.status === 'scheduled' || a.status === 'confirmed') && (
        <Button size="xs" variant="light" color="orange" w="fit-content" onClick={() => void closeDay()}>
          Day is over: mark open appointments as no-show
        </Button>
      )}
      {cancelling && (
        <Group align="flex-end" gap="xs">
          <TextInput
            label={`Why is ${cancelling.patientName}'s ${cancelling.start} appointment cancelled?`}
            w={360}
            autoFocus
            value={cancelReason}
            onChange={(e) => setCancelReason(e.currentTarget.value)}
            onKeyDown={(e) => e.key === 'Enter' && void cancel()}
          />
          <Button size="xs" color="red" disabled={!cancelReason.trim()} onClick={() => void cancel()}>
            Cancel appointment
          </Button>
          <Button size="xs" variant="subtle" onClick={() => setCancelling(null)}>
            Keep it
          </Button>
        </Group>
      )}
      <Table withTableBorder striped aria-label="Booked appointments">
        <Table.Tbody>
          {(list.data ?? []).map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>{a.start}</Table.Td>
              <Table.Td>
                {a.patientName} <Text span size="xs" c="dimmed">{a.mrn}</Text>
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color={a.status === 'cancelled' ? 'gray' : a.status === 'needs-rebook' ? 'orange' : 'teal'}>
                  {a.status}
                </Badge>
              </Table.Td>
              <Table.Td>
                {(a.status === 'scheduled' || a.status === 'confirmed' || a.status === 'needs-rebook') && (
                  <Group gap={4}>
                    {a.date === today && a.status !== 'needs-rebook' && (
                      <Button size="compact-xs" onClick={() => void checkIn(a)}>
                        Check in
                      </Button>
                    )}
                    <Button size="compact-xs" variant="default" onClick={() => setMoving(a)}>
                      Reschedule
                    </Button>
                    <Button size="compact-xs" variant="subtle" color="red" onClick={() => setCancelling(a)}>
                      Cancel
                    </Button>
                  </Group>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
