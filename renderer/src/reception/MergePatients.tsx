import { Alert, Button, Group, Kbd, Modal, Radio, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useMethod } from '../api/hooks';
import { call, type Output } from '../api/client';
import { FormError } from '../FormError';
import { formatAbha } from '../format';
import { PatientSearch } from './PatientSearch';

type Loaded = Output<'patients.get'>;
type Preview = Output<'patients.mergePreview'>;
type Side = Preview['survivor'];
type Field = Preview['differing'][number];
type Choice = 'survivor' | 'merged';

const FIELD_LABEL: Record<Field, string> = {
  name: 'Name',
  gender: 'Gender',
  dob: 'Birth',
  mobile: 'Mobile',
  alternatePhone: 'Other phone',
  email: 'Email',
  address: 'Address',
  bloodGroup: 'Blood group',
  abhaNumber: 'ABHA number',
  abhaAddress: 'ABHA address',
  maritalStatus: 'Marital status',
  occupation: 'Occupation',
  preferredLanguage: 'Language',
  emergencyContact: 'Emergency contact',
  insurance: 'Insurance',
};

const COUNT_LABEL: Record<string, [string, string]> = {
  visits: ['visit', 'visits'],
  appointments: ['booking', 'bookings'],
  invoices: ['bill', 'bills'],
  consultations: ['consultation', 'consultations'],
  prescriptions: ['prescription', 'prescriptions'],
  lab_orders: ['lab order', 'lab orders'],
};

/** The field's name for screen readers and tests (the row's first cell shows it): an aria-label would not reach the radiogroup. */
const HIDDEN_LABEL = { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' } as const;

/** A field's value as the card shows it. */
function shown(p: Side['patient'], field: Field): string {
  switch (field) {
    case 'name':
      return p.name;
    case 'dob':
      return p.dobEstimated ? `${p.dob} (age given)` : p.dob;
    case 'address':
      return [p.addressLine1, p.addressLine2, p.city, p.district, p.state, p.pincode].filter(Boolean).join(', ') || '—';
    case 'abhaNumber':
      return p.abhaNumber ? formatAbha(p.abhaNumber) : '—';
    case 'emergencyContact':
      return p.emergencyContact ? `${p.emergencyContact.name} ${p.emergencyContact.phone}` : '—';
    case 'insurance':
      return p.insurance ? `${p.insurance.provider} ${p.insurance.policyNumber}` : '—';
    default: {
      const v = p[field];
      return v == null || v === '' ? '—' : String(v);
    }
  }
}

/** "3 visits, 2 bills": what moves with the merged record. */
export function movesText(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${n} ${COUNT_LABEL[t]?.[n === 1 ? 0 : 1] ?? t.replace(/_/g, ' ')}`);
  return parts.length > 0 ? parts.join(', ') : 'no visits or bills';
}

/** On a merged record's card: where it went, and (administrators) undo. On a survivor's: what was merged into it. */
export function MergeNotice({ data, canUndo, onOpen }: { data: Loaded; canUndo: boolean; onOpen: (id: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  if (data.merge) {
    const m = data.merge;
    const undo = async () => {
      setError(null);
      const r = await call('patients.unmerge', { mergedId: data.patient.id });
      if (!r.ok) setError(r.error.message);
    };
    return (
      <Alert color="yellow" p="xs" title="Merged record">
        <Stack gap={4}>
          <Text size="sm">
            {data.patient.mrn} was merged into {m.intoMrn ?? 'another record'} {m.intoName ? `(${m.intoName})` : ''}: its visits and bills are there.
          </Text>
          <Group gap="xs">
            <Button size="xs" onClick={() => onOpen(m.intoId)}>
              Open {m.intoMrn ?? 'the kept record'}
            </Button>
            {canUndo && (
              <Button size="xs" variant="default" color="red" onClick={() => void undo()}>
                Undo merge
              </Button>
            )}
          </Group>
          <FormError error={error} p="xs" />
        </Stack>
      </Alert>
    );
  }
  if (data.mergedFrom.length === 0) return null;
  // Each merged record opens (its MRN finds this survivor instead): its card is where an administrator undoes the merge.
  return (
    <Group gap={4}>
      <Text size="xs" c="dimmed">
        Merged from
      </Text>
      {data.mergedFrom.map((m) => (
        <Button key={m.id} size="compact-xs" variant="subtle" onClick={() => onOpen(m.id)} aria-label={`Open merged record ${m.mrn}`}>
          {m.mrn}
        </Button>
      ))}
    </Group>
  );
}

/** On the card of a record registered past a duplicate warning: the way to compare and merge them. */
export function PossibleDuplicates({ ids, onCompare }: { ids: readonly string[]; onCompare: (id: string) => void }) {
  if (ids.length === 0) return null;
  return (
    <Alert color="orange" p="xs" title="Registered despite a possible duplicate">
      <Group gap="xs">
        {ids.map((id, i) => (
          <Button key={id} size="xs" variant="default" onClick={() => onCompare(id)}>
            Compare and merge{ids.length > 1 ? ` (${i + 1})` : ''}
          </Button>
        ))}
      </Group>
    </Alert>
  );
}

/** "Merge with…": pick the other record, compare side by side, choose per field, confirm. */
export function MergeDialog({ patientId, otherId: given = null, opened, onClose, onMerged }: {
  patientId: string;
  /** The other record when already known (a duplicate the record was registered past). */
  otherId?: string | null;
  opened: boolean;
  onClose: () => void;
  onMerged: (survivorId: string) => void;
}) {
  const [picked, setOtherId] = useState<string | null>(null);
  const otherId = picked ?? given;
  const close = () => {
    setOtherId(null);
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title="Merge duplicate records" size="xl" centered>
      {otherId === null ? (
        <PatientSearch autoFocus onPick={(hit) => hit.id !== patientId && setOtherId(hit.id)} />
      ) : (
        <MergeCompare
          a={patientId}
          b={otherId}
          onDone={(id) => {
            close();
            onMerged(id);
          }}
        />
      )}
    </Modal>
  );
}

// Long by design: the side-by-side table, the survivor choice and the confirmation read best together.
function MergeCompare({ a, b, onDone }: { a: string; b: string; onDone: (survivorId: string) => void }) {
  const [keep, setKeep] = useState<string>(a);
  const other = keep === a ? b : a;
  const preview = useMethod('patients.mergePreview', { survivorId: keep, mergedId: other });
  const [choices, setChoices] = useState<Partial<Record<Field, Choice>>>({});
  const [error, setError] = useState<string | null>(null);
  if (!preview.data) return <Text c="dimmed">{preview.error?.message ?? 'Loading…'}</Text>;
  const { survivor, merged, differing } = preview.data;
  const sides: [Side, Choice][] = [
    [survivor, 'survivor'],
    [merged, 'merged'],
  ];
  const merge = async () => {
    setError(null);
    const r = await call('patients.merge', { survivorId: keep, mergedId: other, fields: choices });
    if (r.ok) onDone(keep);
    else setError(r.error.message);
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void merge();
      }}
    >
      <Stack gap="sm">
        <Radio.Group label="Record to keep" value={keep} onChange={(v) => { setKeep(v); setChoices({}); }}>
          <Group>
            {sides.map(([s]) => (
              <Radio key={s.patient.id} value={s.patient.id} label={`${s.patient.mrn} ${s.patient.name}`} />
            ))}
          </Group>
        </Radio.Group>
        <Table withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Field</Table.Th>
              {sides.map(([s, side]) => (
                <Table.Th key={side}>{side === 'survivor' ? `Keep: ${s.patient.mrn}` : `Merge: ${s.patient.mrn}`}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {differing.map((field) => (
              <Table.Tr key={field}>
                <Table.Td>{FIELD_LABEL[field]}</Table.Td>
                <Table.Td colSpan={2}>
                  <Radio.Group label={FIELD_LABEL[field]} styles={{ label: HIDDEN_LABEL }} value={choices[field] ?? 'survivor'} onChange={(v) => setChoices((c) => ({ ...c, [field]: v }))}>
                    <Group grow>
                      {sides.map(([s, side]) => (
                        <Radio key={side} value={side} label={shown(s.patient, field)} />
                      ))}
                    </Group>
                  </Radio.Group>
                </Table.Td>
              </Table.Tr>
            ))}
            <Table.Tr>
              <Table.Td>Visits</Table.Td>
              {sides.map(([s, side]) => (
                <Table.Td key={side}>
                  {s.counts.visits ?? 0} {s.lastVisit ? `(last ${s.lastVisit})` : ''}
                </Table.Td>
              ))}
            </Table.Tr>
          </Table.Tbody>
        </Table>
        {differing.length === 0 && <Text size="sm">The two records agree on every field.</Text>}
        <Alert color="blue" p="xs">
          {movesText(merged.counts)} {Object.values(merged.counts).reduce((a, n) => a + n, 0) === 1 ? 'moves' : 'move'} to {survivor.patient.mrn}. {merged.patient.mrn} stays findable and points there. Allergies and conditions of both are kept.
        </Alert>
        <FormError error={error} p="xs" />
        <Group justify="flex-end">
          <Button type="submit" rightSection={<Kbd size="xs">Enter</Kbd>}>
            Merge {merged.patient.mrn} into {survivor.patient.mrn}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
