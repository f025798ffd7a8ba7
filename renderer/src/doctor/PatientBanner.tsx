import { Alert, Group, Text, Title } from '@mantine/core';
import type { Output } from '../api/client';
import { ageSex } from '../format';
import { AbdmPanelButton } from '../abdm/AbdmPanel';

type Patient = Output<'consultations.get'>['patient'];

/** Always on top of the doctor's screens: who this is, and what must not be missed. */
export function PatientBanner({ patient, token }: { patient: Patient; token: string }) {
  return (
    <section aria-label="Patient banner">
    <Alert
      color={patient.allergies.length > 0 ? 'red' : 'gray'}
      variant="light"
      p="xs"
      title={
        <Group gap="sm">
          <Title order={4}>{patient.name}</Title>
          <Text size="sm">{ageSex(patient.age, patient.gender)}</Text>
          <Text size="sm" c="dimmed">
            {patient.mrn} · token {token}
          </Text>
          <AbdmPanelButton patientId={patient.id} />
        </Group>
      }
    >
      <Text size="sm" fw={patient.allergies.length > 0 ? 700 : 400}>
        Allergies:{' '}
        {patient.allergies.length > 0 ? patient.allergies.map((a) => `${a.substance} (${a.severity})`).join(', ') : patient.noKnownAllergies ? 'No known allergies' : 'none recorded'}
      </Text>
      <Text size="sm">Chronic conditions: {patient.chronicConditions.length > 0 ? patient.chronicConditions.join(', ') : 'none recorded'}</Text>
      {patient.currentMedications.length > 0 && <Text size="sm">Current medications: {patient.currentMedications.join(', ')}</Text>}
    </Alert>
    </section>
  );
}
