import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Grid,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { ALLERGY_TYPES, BLOOD_GROUPS, SEVERITIES } from '../../../shared/enums';
import { call, type Input, type Output } from '../api/client';
import { fieldErrors } from '../forms';
import { ageSex, formatAbha } from '../format';

type Registered = Extract<Output<'patients.register'>, { status: 'registered' }>;
type Existing = Output<'patients.get'>['patient'];
type Candidate = Extract<Output<'patients.register'>, { status: 'duplicates' }>['candidates'][number];
type PatientPayload = Input<'patients.register'>['patient'];

const initialValues = {
  givenName: '',
  familyName: '',
  gender: '',
  dob: '',
  ageYears: '' as number | string,
  mobile: '',
  abhaNumber: '',
  abhaAddress: '',
  addressLine1: '',
  city: '',
  district: '',
  state: '',
  pincode: '',
  bloodGroup: '',
  allergies: [] as { type: string; substance: string; severity: string }[],
  chronicConditions: [] as string[],
  consent: true,
};

/**
 * Registration, keyboard first: Tab walks the fields in reading order and Enter saves. Likely
 * duplicates are shown before anything is saved; the receptionist opens one or saves anyway.
 */
export function RegisterPatient({ onRegistered, onOpenExisting, onCancel, existing }: {
  onRegistered: (r: Pick<Registered, 'patient' | 'warnings'>) => void;
  onOpenExisting: (patientId: string) => void;
  onCancel: () => void;
  /** Editing an existing patient instead of registering a new one. */
  existing?: Existing;
}) {
  const form = useForm({ initialValues: existing ? fromExisting(existing) : initialValues });
  const [error, setError] = useState<string | null>(null);
  const [candidates, setCandidates] = useState<Candidate[] | null>(null);
  const [busy, setBusy] = useState(false);

  function payload(v: typeof initialValues): PatientPayload {
    return {
      ...v,
      gender: v.gender as PatientPayload['gender'],
      dob: v.dob || null,
      ageYears: v.ageYears === '' ? null : Number(v.ageYears),
      bloodGroup: (v.bloodGroup || null) as PatientPayload['bloodGroup'],
      allergies: v.allergies as NonNullable<PatientPayload['allergies']>,
    };
  }

  async function save(values: typeof initialValues, acknowledge: string[]) {
    setBusy(true);
    setError(null);
    if (existing) {
      const updated = await call('patients.update', { id: existing.id, patch: payload(values) });
      setBusy(false);
      if (updated.ok) onRegistered(updated.value);
      else {
        setError(updated.error.message);
        form.setErrors(fieldErrors(updated.error, prefixed(updated.error.fields)));
      }
      return;
    }
    const result = await call('patients.register', { patient: payload(values), acknowledgeDuplicates: acknowledge });
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      form.setErrors(fieldErrors(result.error, prefixed(result.error.fields)));
      return;
    }
    if (result.value.status === 'duplicates') {
      setCandidates(result.value.candidates);
      return;
    }
    onRegistered(result.value);
  }

  const submit = form.onSubmit((values) => void save(values, []));

  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} noValidate aria-label={existing ? 'Edit patient' : 'Register patient'}>
      <Group justify="space-between" mb="sm">
        <Title order={4}>{existing ? `Edit ${existing.name} (${existing.mrn})` : 'New patient'}</Title>
        <Text size="xs" c="dimmed">
          Enter saves · Esc closes
        </Text>
      </Group>
      <Stack gap="xs" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
        <Grid gap="xs">
          <Grid.Col span={6}>
            <TextInput label="Given name" required autoFocus {...form.getInputProps('givenName')} />
          </Grid.Col>
          <Grid.Col span={6}>
            <TextInput label="Family name" {...form.getInputProps('familyName')} />
          </Grid.Col>
          <Grid.Col span={4}>
            <NativeSelect
              label="Gender"
              required
              data={[{ value: '', label: 'Choose…' }, { value: 'female', label: 'Female' }, { value: 'male', label: 'Male' }, { value: 'other', label: 'Other' }]}
              {...form.getInputProps('gender')}
            />
          </Grid.Col>
          <Grid.Col span={4}>
            <TextInput label="Date of birth" placeholder="YYYY-MM-DD" {...form.getInputProps('dob')} />
          </Grid.Col>
          <Grid.Col span={4}>
            <NumberInput label="or Age (years)" min={0} max={130} allowDecimal={false} {...form.getInputProps('ageYears')} />
          </Grid.Col>
          <Grid.Col span={4}>
            <TextInput label="Mobile" inputMode="tel" {...form.getInputProps('mobile')} />
          </Grid.Col>
          <Grid.Col span={4}>
            <TextInput label="ABHA number" placeholder="91-1234-5678-9012" {...form.getInputProps('abhaNumber')} />
          </Grid.Col>
          <Grid.Col span={4}>
            <TextInput label="ABHA address" placeholder="name@abdm" {...form.getInputProps('abhaAddress')} />
          </Grid.Col>
          <Grid.Col span={12}>
            <TextInput label="Address" {...form.getInputProps('addressLine1')} />
          </Grid.Col>
          <Grid.Col span={3}>
            <TextInput label="City / village" {...form.getInputProps('city')} />
          </Grid.Col>
          <Grid.Col span={3}>
            <TextInput label="District" {...form.getInputProps('district')} />
          </Grid.Col>
          <Grid.Col span={3}>
            <TextInput label="State" {...form.getInputProps('state')} />
          </Grid.Col>
          <Grid.Col span={3}>
            <TextInput label="Pincode" inputMode="numeric" {...form.getInputProps('pincode')} />
          </Grid.Col>
          <Grid.Col span={3}>
            <NativeSelect label="Blood group" data={['', ...BLOOD_GROUPS]} {...form.getInputProps('bloodGroup')} />
          </Grid.Col>
          <Grid.Col span={9}>
            <TagsInput label="Chronic conditions" placeholder="Type and press Enter" {...form.getInputProps('chronicConditions')} />
          </Grid.Col>
        </Grid>
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Allergies
          </Text>
          {form.values.allergies.map((_, i) => (
            <Group key={i} gap="xs" align="flex-end">
              <NativeSelect aria-label={`Allergy ${i + 1} type`} data={[...ALLERGY_TYPES]} {...form.getInputProps(`allergies.${i}.type`)} />
              <TextInput aria-label={`Allergy ${i + 1} substance`} placeholder="e.g. Penicillin" {...form.getInputProps(`allergies.${i}.substance`)} />
              <NativeSelect aria-label={`Allergy ${i + 1} severity`} data={[...SEVERITIES]} {...form.getInputProps(`allergies.${i}.severity`)} />
              <ActionIcon variant="subtle" color="red" aria-label={`Remove allergy ${i + 1}`} onClick={() => form.removeListItem('allergies', i)}>
                ×
              </ActionIcon>
            </Group>
          ))}
          <Button variant="subtle" size="xs" w="fit-content" onClick={() => form.insertListItem('allergies', { type: 'medication', substance: '', severity: 'moderate' })}>
            + Add allergy
          </Button>
        </Stack>
        <Checkbox label="Patient consents to their data being stored" {...form.getInputProps('consent', { type: 'checkbox' })} />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {candidates && (
          <Alert color="yellow" title="This patient may already be registered" role="alert">
            <Stack gap="xs">
              {candidates.map((c) => (
                <Group key={c.id} justify="space-between">
                  <div>
                    <Text fw={600} size="sm">
                      {c.name} · {ageSex(c.age, c.gender)} · {c.mrn}
                    </Text>
                    <Text size="xs">
                      {c.mobile ?? ''} {c.abhaNumber ? `· ABHA ${formatAbha(c.abhaNumber)}` : ''} — {c.reasons.join('; ')}
                    </Text>
                  </div>
                  <Button size="xs" onClick={() => onOpenExisting(c.id)}>
                    Open {c.name}
                  </Button>
                </Group>
              ))}
              <Button
                size="xs"
                variant="default"
                w="fit-content"
                onClick={() => void save(form.values, candidates.map((c) => c.id))}
              >
                Not the same person: register anyway
              </Button>
            </Stack>
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={busy}>
            {existing ? 'Save changes' : 'Register'}
          </Button>
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/** Server paths are "patient.mobile" (or "patch.mobile"); the form's are "mobile". */
function prefixed(fields: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.keys(fields ?? {}).map((k) => [k, k.replace(/^(patient|patch)\./, '')]));
}

function fromExisting(p: Existing): typeof initialValues {
  return {
    givenName: p.givenName,
    familyName: p.familyName ?? '',
    gender: p.gender,
    dob: p.dob,
    ageYears: '',
    mobile: p.mobile ?? '',
    abhaNumber: p.abhaNumber ?? '',
    abhaAddress: p.abhaAddress ?? '',
    addressLine1: p.addressLine1 ?? '',
    city: p.city ?? '',
    district: p.district ?? '',
    state: p.state ?? '',
    pincode: p.pincode ?? '',
    bloodGroup: p.bloodGroup ?? '',
    allergies: p.allergies,
    chronicConditions: p.chronicConditions,
    consent: p.consent,
  };
}
