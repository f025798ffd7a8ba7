import { Alert, Badge, Button, Code, Group, Kbd, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { DayTimings } from '../../../shared/facility';
import { DEFAULT_TEMPERATURE_UNIT } from '../../../shared/vitals';
import { call, type Output } from '../api/client';
import { useMethod } from '../api/hooks';
import { fieldErrors } from '../forms';
import { useUnsavedChanges } from '../unsaved';
import { ImportPanel } from './ImportPanel';
import { CounterPosters } from './CounterPosters';
import { AbdmSettings } from '../abdm/AbdmSettings';
import { ClinicSection, RegistryFields, TimingsEditor } from './FacilitySections';

type Facility = Output<'facility.get'>;
const DAYS: DayTimings['day'][] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

/** Admin: the clinic's letterhead and its ABDM Health Facility Registry details. */
export function FacilityScreen() {
  const facility = useMethod('facility.get', {});
  if (!facility.data) return <Text c="dimmed">{facility.error?.message ?? 'Loading…'}</Text>;
  return (
    <Stack>
      <FacilityForm facility={facility.data} />
      <AbdmSettings />
      <CounterPosters hfrId={facility.data.hfrId} />
      <ImportPanel />
    </Stack>
  );
}

function initial(f: Facility) {
  const r = f.registration;
  const timings = DAYS.map((day) => r.timings?.find((t) => t.day === day) ?? { day, open: false, ranges: [] });
  return {
    name: f.name,
    address: f.address,
    phone: f.phone,
    letterhead: { timingsText: f.letterhead.timingsText ?? '', tagline: f.letterhead.tagline ?? '', gstin: f.letterhead.gstin ?? '', logo: f.letterhead.logo ?? null, temperatureUnit: f.letterhead.temperatureUnit ?? DEFAULT_TEMPERATURE_UNIT },
    registration: {
      ownershipCode: r.ownershipCode ?? null,
      ownershipSubTypeCode: r.ownershipSubTypeCode ?? null,
      systemsOfMedicine: r.systemsOfMedicine ?? [],
      facilityTypeCode: r.facilityTypeCode ?? null,
      facilitySubTypeCode: r.facilitySubTypeCode ?? null,
      operationalStatus: r.operationalStatus ?? null,
      specialities: r.specialities ?? [],
      typesOfService: r.typesOfService ?? [],
      addressLine1: r.addressLine1 ?? '',
      addressLine2: r.addressLine2 ?? '',
      stateLgd: r.stateLgd ?? null,
      districtLgd: r.districtLgd ?? null,
      subDistrictLgd: r.subDistrictLgd ?? null,
      region: r.region ?? null,
      pincode: r.pincode ?? '',
      latitude: (r.latitude ?? '') as number | string,
      longitude: (r.longitude ?? '') as number | string,
      mobile: r.mobile ?? '',
      landlineStd: r.landlineStd ?? '',
      landline: r.landline ?? '',
      email: r.email ?? '',
      website: r.website ?? '',
      timings,
      beds: (r.beds ?? '') as number | string,
      ventilators: (r.ventilators ?? '') as number | string,
      abdmSoftware: r.abdmSoftware ?? '',
    },
  };
}
export type FacilityValues = ReturnType<typeof initial>;
type Values = FacilityValues;

/** The form's values as facility.save takes them (numbers from the number inputs, the open days). */
function toPayload(values: Values) {
  const num = (x: number | string) => (x === '' ? null : Number(x));
  const r = values.registration;
  return {
    name: values.name,
    address: values.address,
    phone: values.phone,
    letterhead: { ...values.letterhead },
    registration: {
      ...r,
      latitude: num(r.latitude),
      longitude: num(r.longitude),
      beds: num(r.beds),
      ventilators: num(r.ventilators),
      typesOfService: r.typesOfService as ('OPD' | 'IPD')[],
      region: r.region,
      timings: r.timings.filter((t) => t.open || t.ranges.length > 0),
    },
  };
}

function FacilityForm({ facility }: { facility: Facility }) {
  const form = useForm({ initialValues: initial(facility) });
  const [missing, setMissing] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useUnsavedChanges('The facility details', form.isDirty());

  async function save(): Promise<boolean> {
    setError(null);
    const r = await call('facility.save', toPayload(form.values));
    if (!r.ok) {
      setError(r.error.message);
      form.setErrors(fieldErrors(r.error));
      return false;
    }
    form.clearErrors();
    form.resetDirty();
    notifications.show({ color: 'teal', message: 'Saved.' });
    return true;
  }

  async function complete() {
    if (!(await save())) return;
    const r = await call('facility.complete');
    if (r.ok) {
      setMissing(null);
      notifications.show({ color: 'teal', message: 'Registration details are complete.' });
    } else {
      setMissing(Object.values(r.error.fields ?? {}));
      form.setErrors(fieldErrors(r.error));
    }
  }

  useHotkeys([['mod+S', () => void save()]], []);

  return (
    <Stack>
      <FacilityTitle status={facility.registrationStatus} />
      <ClinicSection form={form} />

      <Paper withBorder p="md" component="section" aria-label="Health Facility Registry">
        <Title order={4} mb="xs">
          Health Facility Registry (ABDM)
        </Title>
        <RegistryFields form={form} />
        <TimingsEditor form={form} />
        <TextInput mt="sm" label="ABDM-compliant software in use" w={360} {...form.getInputProps('registration.abdmSoftware')} />
      </Paper>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {missing && (
        <Alert color="orange" role="alert" title="Still missing before the registration is complete">
          <Text size="sm" data-testid="missing-fields">
            {missing.join(' · ')}
          </Text>
        </Alert>
      )}
      <Group>
        <Button variant="default" onClick={() => void save()} rightSection={<Kbd size="xs">Ctrl+S</Kbd>}>
          Save draft
        </Button>
        <Button onClick={() => void complete()}>Check and complete</Button>
      </Group>
      <HfrPayload />
    </Stack>
  );
}

/** The registration as it would be sent to the Health Facility Registry, on request. */
function HfrPayload() {
  const [payload, setPayload] = useState<string | null>(null);
  async function show() {
    const r = await call('facility.hfrPayload');
    setPayload(r.ok ? JSON.stringify(r.value, null, 2) : r.error.message);
  }
  return (
    <>
      <Group>
        <Button variant="subtle" onClick={() => void show()}>
          Show HFR payload
        </Button>
      </Group>
      {payload && (
        <Code block data-testid="hfr-payload">
          {payload}
        </Code>
      )}
    </>
  );
}

/** The screen's title, with whether the registration details are complete. */
function FacilityTitle({ status }: { status: Facility['registrationStatus'] }) {
  return (
    <Group justify="space-between">
      <Title order={2}>Facility</Title>
      <Badge size="lg" color={status === 'complete' ? 'teal' : 'gray'} data-testid="registration-status">
        {status === 'complete' ? 'Registration complete' : 'Draft'}
      </Badge>
    </Group>
  );
}
