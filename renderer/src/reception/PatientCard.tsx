import { Alert, Badge, Button, Group, Kbd, NativeSelect, Paper, Stack, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useState } from 'react';
import { useMethod } from '../api/hooks';
import { call, type Output } from '../api/client';
import { FormError } from '../FormError';
import { ageSex, formatAbha } from '../format';
import { methodWords } from './VerifyAbha';
import { languageLabel } from '../../../shared/languages';
import { CertificateList } from '../certificates/CertificateList';
import { PatientAttachments } from '../attachments/AttachDialog';
import { hasPermission } from '../../../shared/permissions';
import { useSession } from '../session';
import { MergeDialog, MergeNotice, PossibleDuplicates } from './MergePatients';
import { AbdmPanelButton } from '../abdm/AbdmPanel';

export type CheckedIn = Output<'queue.checkIn'>;

/** Who is at the desk: demographics, allergies, recent visits, and check-in. */
// Long by design: the card's check-in row, merge entry and details share its state.
export function PatientCard({ patientId, onCheckedIn, onBook, onEdit, onOpen }: {
  patientId: string;
  /** Open another record (the one this was merged into, or the survivor after a merge). */
  onOpen?: (id: string) => void;
  onCheckedIn: (c: CheckedIn) => void;
  /** Book for the doctor chosen on the card. */
  onBook: (doctorId: string) => void;
  onEdit?: (patient: Output<'patients.get'>['patient']) => void;
}) {
  const data = useMethod('patients.get', { id: patientId });
  const doctors = useMethod('doctors.list', {});
  const [doctorId, setDoctorId] = useState('');
  const [priority, setPriority] = useState<'regular' | 'urgent' | 'emergency'>('regular');
  const [error, setError] = useState<string | null>(null);
  const chosenDoctor = doctorId || doctors.data?.[0]?.userId || '';
  const { user } = useSession();
  const [merging, setMerging] = useState(false);
  const [mergeWith, setMergeWith] = useState<string | null>(null);
  const canMerge = hasPermission(user.roles, 'patients.merge');

  async function checkIn() {
    setError(null);
    const r = await call('queue.checkIn', { patientId, doctorId: chosenDoctor, priority });
    if (r.ok) onCheckedIn(r.value);
    else setError(r.error.message);
  }

  useHotkeys([
    ['alt+C', () => void checkIn()],
    ['alt+B', () => onBook(chosenDoctor)],
  ], []);

  if (!data.data) return <Text c="dimmed">{data.error?.message ?? 'Loading…'}</Text>;
  const { patient: p, recentVisits, warnings } = data.data;
  return (
    <Paper withBorder p="md" component="section" aria-label="Patient summary">
      <Stack gap="xs">
        <PatientDetails patient={p} warnings={warnings} onEdit={onEdit} />
        <MergeNotice data={data.data} canUndo={hasPermission(user.roles, 'patients.unmerge')} onOpen={(id) => onOpen?.(id)} />
        {canMerge && !p.mergedInto && (
          <PossibleDuplicates
            ids={(p.duplicateOverride ?? []).filter((id) => !data.data.mergedFrom.some((m) => m.id === id))}
            onCompare={(id) => {
              setMergeWith(id);
              setMerging(true);
            }}
          />
        )}
        <Group align="flex-end" gap="xs">
          <NativeSelect
            label="Doctor"
            value={chosenDoctor}
            onChange={(e) => setDoctorId(e.currentTarget.value)}
            data={(doctors.data ?? []).map((d) => ({ value: d.userId, label: d.fullName }))}
          />
          <NativeSelect
            label="Priority"
            value={priority}
            onChange={(e) => setPriority(e.currentTarget.value as typeof priority)}
            data={['regular', 'urgent', 'emergency']}
          />
          <Button onClick={() => void checkIn()} disabled={!chosenDoctor} rightSection={<Kbd size="xs">Alt+C</Kbd>}>
            Check in
          </Button>
          <Button variant="default" onClick={() => onBook(chosenDoctor)} rightSection={<Kbd size="xs">Alt+B</Kbd>}>
            Book appointment
          </Button>
          <AbdmPanelButton patientId={patientId} />
          {canMerge && !p.mergedInto && (
            <Button variant="subtle" onClick={() => setMerging(true)}>
              Merge with…
            </Button>
          )}
        </Group>
        {canMerge && (
          <MergeDialog
            patientId={patientId}
            otherId={mergeWith}
            opened={merging}
            onClose={() => {
              setMerging(false);
              setMergeWith(null);
            }}
            onMerged={(id) => onOpen?.(id)}
          />
        )}
        <FormError error={error} p="xs" />
        <CertificateList patientId={patientId} />
        <PatientAttachments patientId={patientId} />
        {recentVisits.length > 0 && (
          <Text size="xs" c="dimmed">
            Recent: {recentVisits.map((v) => `${v.date} ${v.doctorName} (token ${v.tokenLabel}, ${v.status})`).join(' · ')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

type Loaded = Output<'patients.get'>;

function PatientDetails({ patient: p, warnings, onEdit }: { patient: Loaded['patient']; warnings: Loaded['warnings']; onEdit: ((patient: Loaded['patient']) => void) | undefined }) {
  return (
    <>
    <Group justify="space-between">
      <div>
        <Title order={3}>{p.name}</Title>
        <Text size="sm" c="dimmed">
          {ageSex(p.age, p.gender)}
          {p.dobEstimated ? ' (age given)' : ` · born ${p.dob}`} · {p.mrn}
        </Text>
      </div>
      <Group gap="xs">
        {p.bloodGroup && <Badge size="lg">{p.bloodGroup}</Badge>}
        {p.preferredLanguage && (
          <Badge size="lg" variant="light" title="Preferred language: prescriptions and the token slip">
            {languageLabel(p.preferredLanguage)}
          </Badge>
        )}
        {onEdit && (
          <Button size="xs" variant="default" onClick={() => onEdit(p)}>
            Edit details
          </Button>
        )}
      </Group>
    </Group>
    {p.allergies.length > 0 && (
      <Alert color="red" p="xs" title="Allergies">
        {p.allergies.map((a) => `${a.substance} (${a.type}, ${a.severity})`).join(' · ')}
      </Alert>
    )}
    {p.chronicConditions.length > 0 && <Text size="sm">Chronic: {p.chronicConditions.join(', ')}</Text>}
    <Text size="sm">
      {p.mobile ?? 'No mobile'}
      {p.abhaNumber ? ` · ABHA ${formatAbha(p.abhaNumber)}` : ''}
      {p.abhaAddress ? ` · ${p.abhaAddress}` : ''}
      {(p.abhaNumber || p.abhaAddress) && (p.abhaVerifyMethod ? ` · ABHA verified with ABDM (${methodWords(p.abhaVerifyMethod)})` : ' · ABHA not verified')}
    </Text>
    {(p.addressLine1 || p.city) && (
      <Text size="sm" c="dimmed">
        {[p.addressLine1, p.city, p.district, p.state, p.pincode].filter(Boolean).join(', ')}
      </Text>
    )}
    {warnings.map((w) => (
      <Text key={w.field} size="xs" c="orange">
        {w.message}
      </Text>
    ))}
    </>
  );
}
