import { Alert, Badge, Button, Kbd, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useState } from 'react';
import { useMethod } from '../api/hooks';
import type { Output } from '../api/client';
import { dateTime, formatAbha } from '../format';
import { useSession } from '../session';

type Panel = Output<'abdm.panel'>;
type Clinical = NonNullable<Panel['clinical']>;

const METHODS: Record<string, string> = {
  'abha-number-mobile-otp': 'ABHA number, OTP to the mobile',
  'abha-number-aadhaar-otp': 'ABHA number, Aadhaar OTP',
  'abha-address-mobile-otp': 'ABHA address, OTP to the mobile',
  'abha-address-aadhaar-otp': 'ABHA address, Aadhaar OTP',
  created: 'ABHA created here with Aadhaar OTP',
  'aadhaar-otp-existing': 'Aadhaar OTP (the patient already had this ABHA)',
};

const LINK_STATES: Record<Clinical['visits'][number]['state'], { label: string; color: string }> = {
  'not-offered': { label: 'Not sent to ABDM', color: 'gray' },
  // The server holds it back: it never verified this patient's ABHA itself (the reason comes with it).
  unverified: { label: 'Not linked', color: 'orange' },
  pending: { label: 'Waiting to link', color: 'yellow' },
  sent: { label: 'Sent, awaiting ABDM', color: 'blue' },
  linked: { label: 'Linked', color: 'green' },
  failed: { label: 'Link failed', color: 'red' },
};

const STATUS_COLOR: Record<string, string> = { GRANTED: 'green', REVOKED: 'red', EXPIRED: 'gray', TRANSFERRED: 'green', FAILED: 'red' };

/**
 * The "ABDM" button on a patient (reception's card, the doctor's banner): opens the patient's ABDM
 * panel (Alt+H; Esc closes). Read from synced rows, so it works while the clinic is offline; what
 * ABDM did since the last sync shows after the next one.
 */
export function AbdmPanelButton({ patientId }: { patientId: string }) {
  const [opened, setOpened] = useState(false);
  useHotkeys([['alt+H', () => setOpened(true)]], []);
  return (
    <>
      <Button size="xs" variant="default" onClick={() => setOpened(true)} rightSection={<Kbd size="xs">Alt+H</Kbd>}>
        ABDM
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title="ABDM: ABHA, linked visits, consents" size="72rem">
        {opened && <AbdmPanel patientId={patientId} />}
      </Modal>
    </>
  );
}

export function AbdmPanel({ patientId }: { patientId: string }) {
  const panel = useMethod('abdm.panel', { patientId });
  const { timeZone } = useSession();
  if (!panel.data) return <Text c="dimmed">{panel.error?.message ?? 'Loading…'}</Text>;
  const { abha, clinical, clinicalHidden } = panel.data;
  const when = (ms: number | null) => (ms === null ? '—' : dateTime(ms, timeZone));
  const day = (ms: number | null) => (ms === null ? '…' : new Date(ms).toISOString().slice(0, 10));
  return (
    <Stack gap="md" aria-label="ABDM panel">
      <section aria-label="ABHA">
        <Title order={5}>ABHA</Title>
        {!abha.abhaNumber && !abha.abhaAddress ? (
          <Text size="sm" c="dimmed">No ABHA recorded for this patient.</Text>
        ) : (
          <Text size="sm">
            {abha.abhaNumber ? `ABHA number ${formatAbha(abha.abhaNumber)}` : 'No ABHA number'} · {abha.abhaAddress ?? 'no ABHA address'}{' '}
            {abha.verified ? (
              <Badge color="green" variant="light">Verified with ABDM</Badge>
            ) : (
              <Badge color="gray" variant="light">Not verified with ABDM</Badge>
            )}
          </Text>
        )}
        {abha.relink && (
          <Alert color="orange" p="xs" mt={4} role="status">
            {abha.relink}
          </Alert>
        )}
        {abha.verified && (
          <Text size="xs" c="dimmed">
            Verified by {abha.verified.by}, {when(abha.verified.at)}, {METHODS[abha.verified.method] ?? abha.verified.method}
          </Text>
        )}
      </section>
      {clinical ? <ClinicalPart clinical={clinical} when={when} day={day} /> : <Alert color="gray" p="xs">{clinicalHidden}</Alert>}
    </Stack>
  );
}

function ClinicalPart({ clinical, when, day }: { clinical: Clinical; when: (ms: number | null) => string; day: (ms: number | null) => string }) {
  return (
    <>
      <section aria-label="Linked visits">
        <Title order={5}>Visits offered to ABDM</Title>
        {clinical.visits.length === 0 ? (
          <Text size="sm" c="dimmed">No completed visits yet.</Text>
        ) : (
          <Table fz="sm" striped>
            <Table.Thead>
              <Table.Tr><Table.Th>Visit</Table.Th><Table.Th>Records</Table.Th><Table.Th>Link</Table.Th><Table.Th>Linked</Table.Th></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {clinical.visits.map((v) => (
                <Table.Tr key={v.visitId}>
                  <Table.Td>{v.display}</Table.Td>
                  <Table.Td>{v.hiTypes.join(', ')}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Badge color={LINK_STATES[v.state].color} variant="light">{LINK_STATES[v.state].label}</Badge>
                    {v.via === 'user' && <Text size="xs" c="dimmed">found by the patient in their app</Text>}
                    {v.error && <Text size="xs" c={v.state === 'unverified' ? 'orange.8' : 'red'}>{v.error}</Text>}
                  </Table.Td>
                  <Table.Td>{when(v.linkedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </section>
      <section aria-label="Consents">
        <Title order={5}>Consents</Title>
        {clinical.consents.length === 0 ? (
          <Text size="sm" c="dimmed">No consent has named this patient&apos;s records.</Text>
        ) : (
          <Table fz="sm" striped>
            <Table.Thead>
              <Table.Tr><Table.Th>Purpose</Table.Th><Table.Th>Requester</Table.Th><Table.Th>Records</Table.Th><Table.Th>Dates</Table.Th><Table.Th>Expires</Table.Th><Table.Th>Status</Table.Th></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {clinical.consents.map((c) => (
                <Table.Tr key={c.consentId}>
                  <Table.Td>{c.purpose}</Table.Td>
                  <Table.Td>{c.hiuId ?? '—'}</Table.Td>
                  <Table.Td>{c.hiTypes.join(', ')}<Text size="xs" c="dimmed">{c.visits.join('; ')}</Text></Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{day(c.dateFrom)} to {day(c.dateTo)}</Table.Td>
                  <Table.Td>{when(c.expiresAt)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}><Badge color={STATUS_COLOR[c.status] ?? 'gray'} variant="light">{c.status}</Badge></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </section>
      <SharedPart transfers={clinical.transfers} when={when} />
    </>
  );
}

/** What was sent to whom, on which consent, and whether it arrived. */
function SharedPart({ transfers, when }: { transfers: Clinical['transfers']; when: (ms: number | null) => string }) {
  return (
    <section aria-label="Shared">
      <Title order={5}>What was shared</Title>
      {transfers.length === 0 ? (
        <Text size="sm" c="dimmed">Nothing sent to anyone yet.</Text>
      ) : (
        <Table fz="sm" striped>
          <Table.Thead>
            <Table.Tr><Table.Th>When</Table.Th><Table.Th>To</Table.Th><Table.Th>Records of</Table.Th><Table.Th>Result</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {transfers.map((t) => (
              <Table.Tr key={t.transactionId}>
                <Table.Td>{when(t.at)}</Table.Td>
                <Table.Td>{t.hiuId ?? '—'}</Table.Td>
                <Table.Td>{t.visits.join('; ')}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Badge color={STATUS_COLOR[t.status] ?? 'gray'} variant="light">{t.status}</Badge>
                  {t.reason && <Text size="xs" c="red">{t.reason}</Text>}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </section>
  );
}
