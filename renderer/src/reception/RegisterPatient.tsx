import { Alert, Button, Checkbox, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useRef, useState } from 'react';
import { isLanguageCode } from '../../../shared/languages';
import { call, type Input, type Output } from '../api/client';
import { FormError } from '../FormError';
import { useApiSubmit } from '../forms';
import { ageSex, formatAbha } from '../format';
import type { AbhaQrProfile } from '../../../shared/abha-qr';
import { ScanAbhaCard, ScannedFromCard } from './ScanAbhaCard';
import { CreateAbha } from './CreateAbha';
import { useAbdmVerification, VerifiedWithAbdm, VerifyAbha } from './VerifyAbha';
import { AllergyFields, fromExisting, initialPatientValues, PatientFields, type PatientValues } from './PatientFields';

type Registered = Extract<Output<'patients.register'>, { status: 'registered' }>;
type Existing = Output<'patients.get'>['patient'];
type Candidate = Extract<Output<'patients.register'>, { status: 'duplicates' }>['candidates'][number];
type PatientPayload = Input<'patients.register'>['patient'];

function payload(v: PatientValues): PatientPayload {
  return {
    ...v,
    gender: v.gender as PatientPayload['gender'],
    dob: v.dob || null,
    ageYears: v.ageYears === '' ? null : Number(v.ageYears),
    bloodGroup: (v.bloodGroup || null) as PatientPayload['bloodGroup'],
    preferredLanguage: isLanguageCode(v.preferredLanguage) ? v.preferredLanguage : null,
    allergies: v.allergies as NonNullable<PatientPayload['allergies']>,
  };
}

/** Server paths are "patient.mobile" (or "patch.mobile"); the form's are "mobile". */
const unprefixed = (path: string) => path.replace(/^(patient|patch)\./, '');

/**
 * Registration, keyboard first: Tab walks the fields in reading order and Enter saves. Likely
 * duplicates are shown before anything is saved; the receptionist opens one or saves anyway.
 */
// Long by design: the form's fields in reading order, with the card scan and ABHA verification beside them.
export function RegisterPatient({ onRegistered, onOpenExisting, onCancel, existing, prefill }: {
  onRegistered: (r: Pick<Registered, 'patient' | 'warnings'>) => void;
  onOpenExisting: (patientId: string) => void;
  onCancel: () => void;
  /** Editing an existing patient instead of registering a new one. */
  existing?: Existing;
  /** A new patient's fields already known (a profile shared through ABDM Scan & Share). */
  prefill?: Partial<PatientValues>;
}) {
  const form = useForm({ initialValues: existing ? fromExisting(existing) : { ...initialPatientValues, ...prefill } });
  const { error, saving, run } = useApiSubmit(form, unprefixed);
  const [candidates, setCandidates] = useState<Candidate[] | null>(null);
  const [scanned, setScanned] = useState<AbhaQrProfile | null>(null);
  const abdm = useAbdmVerification(form, () => setScanned(null));

  /** The card's values over the form's; what the card lacks is left as typed. */
  function fillFromCard(p: AbhaQrProfile) {
    const v = form.getValues();
    form.setValues({
      abhaNumber: p.abhaNumber ?? v.abhaNumber,
      abhaAddress: p.abhaAddress ?? v.abhaAddress,
      givenName: p.givenName,
      familyName: p.familyName,
      gender: p.gender ?? v.gender,
      dob: p.dateOfBirth ?? v.dob,
      ageYears: p.dateOfBirth ? '' : p.yearOfBirth ? new Date().getFullYear() - p.yearOfBirth : v.ageYears,
      mobile: p.mobile ?? v.mobile,
      addressLine1: p.address ?? v.addressLine1,
      district: p.district ?? v.district,
      state: p.state ?? v.state,
      pincode: p.pincode ?? v.pincode,
    });
    setScanned(p);
    abdm.clear();
    // Back in the form where typing is still needed (a masked mobile is the usual gap), so Enter saves.
    const next = p.mobile ? 'givenName' : 'mobile';
    setTimeout(() => form.getInputNode(next)?.focus(), 0);
  }

  async function save(values: PatientValues, acknowledge: string[]) {
    if (existing) {
      const updated = await run(() => call('patients.update', { id: existing.id, patch: payload(values) }));
      if (updated) await abdm.linkVerified(existing.id).then(() => onRegistered(updated));
      return;
    }
    const result = await run(() => call('patients.register', { patient: payload(values), acknowledgeDuplicates: acknowledge }));
    if (result?.status === 'duplicates') setCandidates(result.candidates);
    else if (result) await abdm.linkVerified(result.patient.id).then(() => onRegistered(result));
  }

  return (
    <Paper withBorder p="md" component="form" onSubmit={form.onSubmit((values) => void save(values, []))} noValidate aria-label={existing ? 'Edit patient' : 'Register patient'}>
      <Group justify="space-between" mb="sm">
        <Title order={4}>{existing ? `Edit ${existing.name} (${existing.mrn})` : 'New patient'}</Title>
        <Group gap="sm">
          {!existing && <ScanAbhaCard onFill={fillFromCard} onOpenExisting={onOpenExisting} />}
          <VerifyAbha initial={{ abhaNumber: form.values.abhaNumber, abhaAddress: form.values.abhaAddress }} onUse={abdm.fillFromAbdm} />
          <CreateAbha mobile={form.values.mobile} onUse={abdm.fillFromAbdm} />
          <Text size="xs" c="dimmed">
            Enter saves · Esc closes
          </Text>
        </Group>
      </Group>
      {scanned && <ScannedFromCard profile={scanned} />}
      <VerifiedWithAbdm verified={abdm.verified} />
      <Stack gap="xs" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
        <PatientFields form={form} />
        <AllergyFields form={form} />
        <Checkbox label="Patient consents to their data being stored" {...form.getInputProps('consent', { type: 'checkbox' })} />
        <FormError error={error} />
        {candidates && <Duplicates candidates={candidates} onOpen={onOpenExisting} onRegisterAnyway={() => void save(form.values, candidates.map((c) => c.id))} />}
        <Group>
          <Button type="submit" loading={saving}>
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

/** The patients this one may be: open one of them, or say it is someone else and register. */
function Duplicates({ candidates, onOpen, onRegisterAnyway }: { candidates: Candidate[]; onOpen: (id: string) => void; onRegisterAnyway: () => void }) {
  // The warning appears below the form, out of sight on a 1366×768 screen: it is brought into
  // view, and the focus moves to "Open <first candidate>" so Enter opens the one already registered.
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'center' });
    ref.current?.querySelector('button')?.focus({ preventScroll: true });
  }, [candidates]);
  return (
    <Alert ref={ref} color="yellow" title="This patient may already be registered" role="alert">
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
            <Button size="xs" onClick={() => onOpen(c.id)}>
              Open {c.name}
            </Button>
          </Group>
        ))}
        <Button size="xs" variant="default" w="fit-content" onClick={onRegisterAnyway}>
          Not the same person: register anyway
        </Button>
      </Stack>
    </Alert>
  );
}
