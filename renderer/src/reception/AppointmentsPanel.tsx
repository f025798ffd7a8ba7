import { Alert, Badge, Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef, useState } from 'react';
import { useMethod } from '../api/hooks';
import { call, type Output } from '../api/client';
import { FormError } from '../FormError';
import { formatDay } from '../format';

type Appointment = Output<'appointments.list'>[number];

type Moving = Pick<Appointment, 'id' | 'patientName' | 'start'>;

/** "Book appointment" (Alt+B) asked again (n grows), for the doctor chosen on the patient's card. */
export interface BookRequest {
  n: number;
  doctorId: string;
}

/**
 * A doctor's day: the slots with free places, and the appointments booked. With a patient chosen,
 * picking a free slot books it; "Reschedule" then a slot moves an existing appointment.
 */
export function AppointmentsPanel({ patient, today, bookRequest, rebook }: {
  patient: { id: string; name: string } | null;
  today: string;
  /** Changes when the receptionist asks to book for the chosen patient (today's first free slot of that doctor is focused). */
  bookRequest: BookRequest;
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
  const chosen = doctorId || doctors.data?.[0]?.userId || '';
  const validDate = /^\d{4}-\d{2}-\d{2}$/.test(date);
  const slots = useMethod('appointments.slots', { doctorId: chosen, date }, { enabled: !!chosen && validDate });
  const list = useMethod('appointments.list', { date, doctorId: chosen }, { enabled: !!chosen && validDate });

  // A booking asked for shows today's slots of the card's doctor; the first free one takes the
  // focus once those slots have loaded (the panel may only just have opened).
  const focusPending = useRef(0);
  useEffect(() => {
    if (bookRequest.n === 0) return;
    focusPending.current = bookRequest.n;
    // eslint-disable-next-line react-hooks/set-state-in-effect -- a booking asked for from the card shows that doctor's day once
    if (bookRequest.doctorId) setDoctorId(bookRequest.doctorId);
    setDate(today);
  }, [bookRequest, today]);
  const slotsShown = slots.data && !slots.isFetching && slots.data.slots.length > 0 && date === today && (!bookRequest.doctorId || chosen === bookRequest.doctorId);
  useEffect(() => {
    if (!slotsShown || focusPending.current === 0) return;
    focusPending.current = 0;
    document.querySelector<HTMLButtonElement>('[aria-label="Slots"] [data-slot-free="true"]')?.focus();
  }, [slotsShown, bookRequest.n]);

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

  return (
    <Stack gap="xs" component="section" aria-label="Appointments">
      <DayPicker doctors={doctors.data ?? []} doctorId={chosen} onDoctor={setDoctorId} date={date} onDate={setDate} />
      {moving && <MovingNotice moving={moving} onCancel={() => setMoving(null)} />}
      {slots.data && <DayNotice day={slots.data} date={date} />}
      <SlotButtons slots={slots.data?.slots ?? []} onPick={(start) => void pick(start)} />
      <FormError error={error} p="xs" />
      {validDate && date < today && (list.data ?? []).some((a) => a.status === 'scheduled' || a.status === 'confirmed') && (
        <Button size="xs" variant="light" color="orange" w="fit-content" onClick={() => void closeDay()}>
          Day is over: mark open appointments as no-show
        </Button>
      )}
      {cancelling && <CancelForm appointment={cancelling} onCancelled={() => setCancelling(null)} onKeep={() => setCancelling(null)} onError={setError} />}
      <BookedList appointments={list.data ?? []} today={today} onMove={setMoving} onCancel={setCancelling} />
    </Stack>
  );
}

/** Which doctor's day is shown, and which day. */
function DayPicker(props: { doctors: Output<'doctors.list'>; doctorId: string; onDoctor: (id: string) => void; date: string; onDate: (date: string) => void }) {
  return (
    <Group align="flex-end">
      <Title order={4}>Appointments</Title>
      <NativeSelect
        label="Doctor"
        value={props.doctorId}
        onChange={(e) => props.onDoctor(e.currentTarget.value)}
        data={props.doctors.map((d) => ({ value: d.userId, label: d.fullName }))}
      />
      <TextInput label="Date" value={props.date} onChange={(e) => props.onDate(e.currentTarget.value)} placeholder="YYYY-MM-DD" w={130} />
    </Group>
  );
}

type Slot = Output<'appointments.slots'>['slots'][number];

/** The day's slots: free ones outlined (the first is focused when booking is asked for), full ones red. */
function SlotButtons({ slots, onPick }: { slots: Slot[]; onPick: (start: string) => void }) {
  // Arrow keys move between the slots that can be chosen (Enter books the focused one).
  function onKeyDown(e: React.KeyboardEvent<HTMLDivElement>) {
    const step = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
    if (step === 0) return;
    const buttons = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('button:not(:disabled)')];
    const at = buttons.findIndex((b) => b === document.activeElement);
    if (at < 0) return;
    e.preventDefault();
    buttons[Math.min(buttons.length - 1, Math.max(0, at + step))]?.focus();
  }
  return (
    <Group gap={6} aria-label="Slots" onKeyDown={onKeyDown}>
      {slots.map((s) => {
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
              onClick={() => onPick(s.start)}
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
  );
}

/** Cancelling an appointment asks why; Enter confirms. */
function CancelForm({ appointment, onCancelled, onKeep, onError }: { appointment: Appointment; onCancelled: () => void; onKeep: () => void; onError: (message: string) => void }) {
  const [reason, setReason] = useState('');
  async function cancel() {
    const r = await call('appointments.cancel', { appointmentId: appointment.id, reason });
    if (!r.ok) return onError(r.error.message);
    onCancelled();
  }
  return (
    <Group align="flex-end" gap="xs">
      <TextInput
        label={`Why is ${appointment.patientName}'s ${appointment.start} appointment cancelled?`}
        w={360}
        autoFocus
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        onKeyDown={(e) => e.key === 'Enter' && void cancel()}
      />
      <Button size="xs" color="red" disabled={!reason.trim()} onClick={() => void cancel()}>
        Cancel appointment
      </Button>
      <Button size="xs" variant="subtle" onClick={onKeep}>
        Keep it
      </Button>
    </Group>
  );
}

async function checkIn(a: Appointment) {
  const r = await call('queue.checkIn', { patientId: a.patientId, appointmentId: a.id });
  if (!r.ok) notifications.show({ color: 'red', message: r.error.message });
}

/** The appointments booked for the day, with check-in (today), reschedule and cancel. */
function BookedList({ appointments, today, onMove, onCancel }: { appointments: Appointment[]; today: string; onMove: (a: Appointment) => void; onCancel: (a: Appointment) => void }) {
  return (
    <Table withTableBorder striped aria-label="Booked appointments">
      <Table.Tbody>
        {appointments.map((a) => (
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
                  <Button size="compact-xs" variant="default" onClick={() => onMove(a)}>
                    Reschedule
                  </Button>
                  <Button size="compact-xs" variant="subtle" color="red" onClick={() => onCancel(a)}>
                    Cancel
                  </Button>
                </Group>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Why a day has no slots: the doctor's leave, or no sitting that weekday. */
function DayNotice({ day, date }: { day: Output<'appointments.slots'>; date: string }) {
  if (day.onLeave) {
    return (
      <Alert color="orange" p="xs">
        On leave {day.onLeave.fromDate} to {day.onLeave.toDate}
        {day.onLeave.reason ? `: ${day.onLeave.reason}` : ''}
      </Alert>
    );
  }
  return day.slots.length === 0 ? <Text c="dimmed">No sitting on {formatDay(date)}.</Text> : null;
}

function MovingNotice({ moving, onCancel }: { moving: Moving; onCancel: () => void }) {
  return (
    <Alert color="blue" p="xs">
      Pick a new slot for {moving.patientName} ({moving.start}).{' '}
      <Button size="compact-xs" variant="subtle" onClick={onCancel}>
        Cancel
      </Button>
    </Alert>
  );
}
