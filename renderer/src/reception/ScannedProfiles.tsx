import { Badge, Button, Group, Modal, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { call, type Output } from '../api/client';
import { useMethod } from '../api/hooks';
import type { CheckedIn } from './PatientCard';

export type SharedProfile = Output<'scanshare.list'>[number];

const STATUS_COLOUR: Record<SharedProfile['status'], string> = { waiting: 'blue', registered: 'teal', checked_in: 'green', expired: 'gray' };
const STATUS_LABEL: Record<SharedProfile['status'], string> = { waiting: 'Waiting', registered: 'Registered', checked_in: 'Checked in', expired: 'Expired' };
const time = (ms: number) => new Date(ms).toLocaleTimeString('en-IN', { hour: '2-digit', minute: '2-digit' });

/**
 * Profiles patients shared by scanning a counter's QR code (ABDM Scan & Share): they arrive from
 * the clinic's server by sync, so the list refreshes as they are pulled. For each: Match (patients
 * here with the same ABHA, or mobile, name and year of birth) or Register (the form, prefilled),
 * then check in with the token the patient's app shows.
 */
export function ScannedProfiles({ opened, onClose, onRegister, onCheckedIn }: {
  opened: boolean;
  onClose: () => void;
  onRegister: (share: SharedProfile) => void;
  onCheckedIn: (slip: CheckedIn) => void;
}) {
  const list = useMethod('scanshare.list', {}, { enabled: opened });
  const [matching, setMatching] = useState<string | null>(null);
  return (
    <Modal opened={opened} onClose={onClose} title="Scanned profiles (ABDM Scan & Share)" size="xl">
      {!list.data || list.data.length === 0 ? (
        <Text c="dimmed">{list.error?.message ?? (list.data ? 'Nobody has shared their profile today.' : 'Loading…')}</Text>
      ) : (
        <Table aria-label="Scanned profiles" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Token</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th>ABHA</Table.Th>
              <Table.Th>Age / gender</Table.Th>
              <Table.Th>Mobile</Table.Th>
              <Table.Th>Time</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.map((s) => (
              <ShareRow key={s.id} share={s} matching={matching === s.id} onMatch={() => setMatching(matching === s.id ? null : s.id)} onRegister={() => onRegister(s)} onCheckedIn={onCheckedIn} />
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Modal>
  );
}

function ShareRow({ share: s, matching, onMatch, onRegister, onCheckedIn }: {
  share: SharedProfile;
  matching: boolean;
  onMatch: () => void;
  onRegister: () => void;
  onCheckedIn: (slip: CheckedIn) => void;
}) {
  const done = s.status === 'checked_in';
  return (
    <>
      <Table.Tr>
        <Table.Td fw={700}>{s.token}</Table.Td>
        <Table.Td>{s.name}</Table.Td>
        <Table.Td>
          <Text size="sm">{s.abhaAddress}</Text>
          {s.abhaNumber && <Text size="xs" c="dimmed">{s.abhaNumber}</Text>}
        </Table.Td>
        <Table.Td>
          {s.age} / {s.gender}
        </Table.Td>
        <Table.Td>{s.mobile ?? '—'}</Table.Td>
        <Table.Td>{time(s.sharedAt)}</Table.Td>
        <Table.Td>
          <Badge color={STATUS_COLOUR[s.status]}>{STATUS_LABEL[s.status]}</Badge>
        </Table.Td>
        <Table.Td>
          {!done && (
            <Group gap={4} wrap="nowrap">
              <Button size="compact-xs" variant="light" onClick={onMatch} aria-expanded={matching}>
                Match
              </Button>
              <Button size="compact-xs" variant="light" onClick={onRegister}>
                Register
              </Button>
            </Group>
          )}
        </Table.Td>
      </Table.Tr>
      {(matching || (s.patientId && !done)) && (
        <Table.Tr>
          <Table.Td colSpan={8}>{s.patientId ? <CheckInShare share={s} patientId={s.patientId} onCheckedIn={onCheckedIn} /> : <Candidates share={s} />}</Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

/** Patients here who may be this person; choosing one records the match. */
function Candidates({ share }: { share: SharedProfile }) {
  const found = useMethod('scanshare.candidates', { shareId: share.id });
  const [error, setError] = useState<string | null>(null);
  if (!found.data) return <Text c="dimmed">{found.error?.message ?? 'Looking…'}</Text>;
  if (found.data.candidates.length === 0) return <Text size="sm">No patient here matches {share.name}: register them.</Text>;
  return (
    <Stack gap={4}>
      {found.data.candidates.map((c) => (
        <Group key={c.id} justify="space-between">
          <Text size="sm">
            {c.name} ({c.mrn}) · {c.age} · {c.mobile ?? 'no mobile'} · {c.reasons.join(', ')}
          </Text>
          <Button
            size="compact-xs"
            onClick={() =>
              void call('scanshare.link', { shareId: share.id, patientId: c.id }).then((r) => setError(r.ok ? null : r.error.message))
            }
          >
            This is them
          </Button>
        </Group>
      ))}
      {error && <Text c="red" size="sm">{error}</Text>}
    </Stack>
  );
}

/** The matched or registered patient, checked in with the share's token. */
function CheckInShare({ share, patientId, onCheckedIn }: { share: SharedProfile; patientId: string; onCheckedIn: (slip: CheckedIn) => void }) {
  const doctors = useMethod('doctors.list', {});
  const [doctorId, setDoctorId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const chosen = doctorId || doctors.data?.[0]?.userId || '';
  async function checkIn() {
    const r = await call('scanshare.checkIn', { shareId: share.id, patientId, doctorId: chosen });
    if (r.ok) onCheckedIn(r.value);
    else setError(r.error.message);
  }
  return (
    <Group align="flex-end" gap="xs">
      <NativeSelect label="Doctor" value={chosen} onChange={(e) => setDoctorId(e.currentTarget.value)} data={(doctors.data ?? []).map((d) => ({ value: d.userId, label: d.fullName }))} />
      <Button onClick={() => void checkIn()} disabled={!chosen}>
        Check in{share.status === 'expired' ? '' : ` with ${share.token}`}
      </Button>
      {error && <Text c="red" size="sm">{error}</Text>}
    </Group>
  );
}
