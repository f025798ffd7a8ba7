import { ActionIcon, Button, Grid, Group, NativeSelect, NumberInput, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { VISIT_MODES } from '../../../shared/enums';
import { call } from '../api/client';
import { useMethod } from '../api/hooks';
import { paiseOf } from '../billing/money';
import { FormError } from '../FormError';
import { useApiSubmit } from '../forms';
import type { Doctor } from './DoctorsScreen';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function initialValues(doctor: Doctor) {
  const p = doctor.profile;
  return {
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
  };
}

type DoctorValues = ReturnType<typeof initialValues>;

/** A doctor's professional profile, fees and weekly timetable, saved together. */
export function DoctorForm({ doctor }: { doctor: Doctor }) {
  const form = useForm({ initialValues: initialValues(doctor) });
  const { error, run, saving } = useApiSubmit(form);
  const councilQuery = useMethod('reference.valueSet', { setName: 'registration_council' });
  const councils = (councilQuery.data ?? []).map((c) => ({ value: c.label, label: c.label }));

  const submit = form.onSubmit(async (v) => {
    // Rupees to paise by string arithmetic, as at the billing counter (never through a float).
    const consultationFeePaise = paiseOf(String(v.consultationFee));
    const followUpFeePaise = paiseOf(String(v.followUpFee));
    if (consultationFeePaise === null) return form.setFieldError('consultationFee', 'Enter the fee in rupees, e.g. 500 or 450.50');
    if (followUpFeePaise === null) return form.setFieldError('followUpFee', 'Enter the fee in rupees, e.g. 200 or 0');
    const saved = await run(() => call('doctors.upsert', {
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
    }));
    if (saved) notifications.show({ color: 'teal', message: `Saved ${doctor.fullName}.` });
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
          <DegreeFields form={form} />
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
      <TimetableFields form={form} />
      <FormError error={error} mt="sm" />
      <Button type="submit" mt="md" loading={saving}>
        Save doctor
      </Button>
    </Paper>
  );
}

/** The degrees as printed on the prescription's letterhead, one row each. */
function DegreeFields({ form }: { form: UseFormReturnType<DoctorValues> }) {
  return (
    <>
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
    </>
  );
}

/** The weekly sittings appointments are booked into: day, hours, slot length, bookings per slot. */
function TimetableFields({ form }: { form: UseFormReturnType<DoctorValues> }) {
  return (
    <>
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
    </>
  );
}
