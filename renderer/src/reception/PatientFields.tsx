import { ActionIcon, Button, Checkbox, Grid, Group, NativeSelect, NumberInput, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { ALLERGY_TYPES, BLOOD_GROUPS, SEVERITIES } from '../../../shared/enums';
import { LANGUAGE_CODES, languageLabel } from '../../../shared/languages';
import type { Output } from '../api/client';

type Existing = Output<'patients.get'>['patient'];

export const initialPatientValues = {
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
  /** '' = not asked: prints follow the clinic's (the desk's) language. */
  preferredLanguage: '',
  allergies: [] as { type: string; substance: string; severity: string }[],
  noKnownAllergies: false,
  chronicConditions: [] as string[],
  consent: true,
};
export type PatientValues = typeof initialPatientValues;
type PatientForm = UseFormReturnType<PatientValues>;

/** The registration fields in reading order (Tab walks them as the eye does). */
export function PatientFields({ form }: { form: PatientForm }) {
  return (
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
      <Grid.Col span={3}>
        <NativeSelect
          label="Preferred language"
          data={[{ value: '', label: 'Not asked' }, ...LANGUAGE_CODES.map((code) => ({ value: code, label: languageLabel(code) }))]}
          {...form.getInputProps('preferredLanguage')}
        />
      </Grid.Col>
      <Grid.Col span={6}>
        <TagsInput label="Chronic conditions" placeholder="Type and press Enter" {...form.getInputProps('chronicConditions')} />
      </Grid.Col>
    </Grid>
  );
}

/** Allergies, one row each, added and removed in place. */
export function AllergyFields({ form }: { form: PatientForm }) {
  return (
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
      {/* Asked and none: the prescription then says so; left unticked, it says nothing. */}
      {form.values.allergies.length === 0 && <Checkbox size="xs" label="No known allergies (asked)" {...form.getInputProps('noKnownAllergies', { type: 'checkbox' })} />}
    </Stack>
  );
}

export function fromExisting(p: Existing): PatientValues {
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
    preferredLanguage: p.preferredLanguage ?? '',
    allergies: p.allergies,
    noKnownAllergies: p.noKnownAllergies,
    chronicConditions: p.chronicConditions,
    consent: p.consent,
  };
}
