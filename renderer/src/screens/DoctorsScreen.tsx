import { ActionIcon, Alert, Button, Grid, Group, NativeSelect, NumberInput, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { VISIT_MODES } from '../../../shared/enums';
import { call, type Output } from '../api/client';
import { useMethod } from '../api/hooks';
import { fieldErrors } from '../forms';
import { paiseOf } from '../billing/money';

type Doctor = Output<'doctors.list'>[number];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

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

function DoctorForm({ doctor }: { doctor: Doctor }) {
  const p = doctor.profile;
  const form = useForm({
    initialValues: {
      specialization: p?.specialization ?? '',
      qualifications: p?.qualifications ?? '',
      registrationCouncil: p?.registrationCouncil ?? '',
      registrationNumber: p?.registrationNumber ?? '',
      registrationDate: p?.registrationDate ?? '',
      hprId: p?.hprId ?? '',
      hprAddress: p?.hprAddress ?? '',
      qualificationDetails: p?.qualificationDetails ?? [],
      consultationFee: (p?.consultationFeePaise ?? 50000) / 100,
      followUpFee: (p?.followUpFeePaise ?? 0) / 100,
      followUpWindowDays: p?.followUpWindowDays ?? 7,
      schedule: doctor.schedule.map(({ id: _id, ...s }) => s),
    },
  });
  const [error, setError] = useState<string | null>(null);
  const councilQuery = useMethod('reference.valueSet', { setName: 'registration_council' });
  const councils = (councilQuery.data ?? []).map((c) => ({ value: c.label, label: c.label }));

  const submit = form.onSubmit(async (v) => {
    setError(null);
    // Rupees to paise by string arithmetic, as at the billing counter (never through a float).
    const consultationFeePaise = paiseOf(String(v.consultationFee));
    const followUpFeePaise = paiseOf(String(v.followUpFee));
    if (consultationFeePaise === null) return form.setFieldError('consultationFee', 'Enter the fee in rupees, e.g. 500 or 450.50');
    if (followUpFeePaise === null) return form.setFieldError('followUpFee', 'Enter the fee in rupees, e.g. 200 or 0');
    const r = await call('doctors.upsert', {
      userId: doctor.userId,
      specialization: v.specialization,
      qualifications: v.qualifications,
      registrationCouncil: v.registrationCouncil,
      registrationNumber: v.registrationNumber,
      registrationDate: v.registrationDate || null,
      hprId: v.hprId || null,
      hprAddress: v.hprAddress || null,
      qualificationDetails: v.qualificationDetails.map((q) => ({ ...q, year: Number(q.year) })),
      consultationFeePaise,
      followUpFeePaise,
      followUpWindowDays: Number(v.followUpWindowDays),
      schedule: v.schedule,
    });
    if (!r.ok) {
      setError(r.error.message);
      form.setErrors(fieldErrors(r.error));
    } else notifications.show({ color: 'teal', message: `Saved ${doctor.fullName}.` });
  });

  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} noValidate aria-label="Doctor profile">
      <Grid gap="xs">
        <Grid.Col span={6}>
          <TextInput label="Specialization" required {...form.getInputProps('specialization')} />
        </Grid.Col>
        <Grid.Col span={6}>
          <TextInput label="Qualifications (as printed)" placeholder="MBBS, MD (Medicine); from the degrees when empty" {...form.getInputProps('qualifications')} />
        </Grid.Col>
        <Grid.Col span={6}>
          <Select label="Registration council" required searchable data={councils} {...form.getInputProps('registrationCouncil')} />
        </Grid.Col>
        <Grid.Col span={3}>
          <TextInput label="Registration number" required {...form.getInputProps('registrationNumber')} />
        </Grid.Col>
        <Grid.Col span={3}>
          <TextInput label="Registered on" placeholder="YYYY-MM-DD" {...form.getInputProps('registrationDate')} />
        </Grid.Col>
        <Grid.Col span={6}>
          <TextInput label="HPR ID" placeholder="14 digits" {...form.getInputProps('hprId')} />
        </Grid.Col>
        <Grid.Col span={6}>
          <TextInput label="HPR address" placeholder="name@hpr.abdm" {...form.getInputProps('hprAddress')} />
        </Grid.Col>
        <Grid.Col span={12}>
          <Text size="sm" fw={500}>
            Degrees
          </Text>
          {form.values.qualificationDetails.map((_, i) => (
            <Group key={i} gap="xs" align="flex-end">
              <TextInput aria-label={`Degree ${i + 1}`} placeholder="MBBS" w={110} {...form.getInputProps(`qualificationDetails.${i}.degree`)} />
              <TextInput aria-label={`Degree ${i + 1} college`} placeholder="College" w={260} {...form.getInputProps(`qualificationDetails.${i}.college`)} />
              <TextInput aria-label={`Degree ${i + 1} university`} placeholder="University" w={220} {...form.getInputProps(`qualificationDetails.${i}.university`)} />
              <NumberInput aria-label={`Degree ${i + 1} year`} placeholder="Year" w={90} hideControls {...form.getInputProps(`qualificationDetails.${i}.year`)} />
              <ActionIcon variant="subtle" color="red" aria-label={`Remove degree ${i + 1}`} onClick={() => form.removeListItem('qualificationDetails', i)}>
                ×
              </ActionIcon>
            </Group>
          ))}
          <Button variant="subtle" size="xs" onClick={() => form.insertListItem('qualificationDetails', { degree: '', college: '', university: '', year: new Date().getFullYear() })}>
            + Add degree
          </Button>
        </Grid.Col>
        <Grid.Col span={4}>
          <NumberInput label="Consultation fee (₹)" min={0} decimalScale={2} {...form.getInputProps('consultationFee')} />
        </Grid.Col>
        <Grid.Col span={4}>
          <NumberInput label="Follow-up fee (₹)" min={0} decimalScale={2} {...form.getInputProps('followUpFee')} />
        </Grid.Col>
        <Grid.Col span={4}>
          <NumberInput label="Free follow-up window (days)" min={0} max={365} {...form.getInputProps('followUpWindowDays')} />
        </Grid.Col>
      </Grid>
      <Title order={5} mt="md">
        Weekly timetable
      </Title>
      <Stack gap={4}>
        {form.values.schedule.map((_, i) => (
          <Group key={i} gap="xs" align="flex-end">
            <NativeSelect aria-label={`Sitting ${i + 1} day`} data={DAYS.map((d, n) => ({ value: String(n), label: d }))} value={String(form.values.schedule[i]!.weekday)} onChange={(e) => form.setFieldValue(`schedule.${i}.weekday`, Number(e.currentTarget.value))} />
            <TextInput aria-label={`Sitting ${i + 1} start`} w={80} {...form.getInputProps(`schedule.${i}.start`)} />
            <TextInput aria-label={`Sitting ${i + 1} end`} w={80} {...form.getInputProps(`schedule.${i}.end`)} />
            <NumberInput aria-label={`Sitting ${i + 1} slot minutes`} w={90} suffix=" min" min={5} {...form.getInputProps(`schedule.${i}.slotMinutes`)} />
            <NumberInput aria-label={`Sitting ${i + 1} bookings per slot`} w={90} suffix=" / slot" min={1} {...form.getInputProps(`schedule.${i}.maxPerSlot`)} />
            <NativeSelect aria-label={`Sitting ${i + 1} mode`} data={[...VISIT_MODES]} {...form.getInputProps(`schedule.${i}.mode`)} />
            <ActionIcon variant="subtle" color="red" aria-label={`Remove sitting ${i + 1}`} onClick={() => form.removeListItem('schedule', i)}>
              ×
            </ActionIcon>
          </Group>
        ))}
        <Button
          variant="subtle"
          size="xs"
          w="fit-content"
          onClick={() => form.insertListItem('schedule', { weekday: 1, start: '10:00', end: '13:00', slotMinutes: 15, maxPerSlot: 1, mode: 'in-person' })}
        >
          + Add sitting
        </Button>
      </Stack>
      {error && (
        <Alert color="red" role="alert" mt="sm">
          {error}
        </Alert>
      )}
      <Button type="submit" mt="md">
        Save doctor
      </Button>
    </Paper>
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
