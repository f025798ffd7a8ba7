import { Alert, Button, Group, Kbd, List, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useRef, useState } from 'react';
import { parseAbhaQr, type AbhaQrProfile } from '../../../shared/abha-qr';
import { call, type Output } from '../api/client';
import { ageSex, formatAbha } from '../format';

type Hit = Output<'patients.search'>[number];

/**
 * "Scan ABHA card" (Alt+A): a box the keyboard-wedge scanner types the card's QR text into; its
 * Enter reads the card. No network: the QR carries the profile itself (shared/abha-qr.ts). When the
 * ABHA is already on a patient here, opening them comes first, filling the form second.
 */
export function ScanAbhaCard({ onFill, onOpenExisting }: { onFill: (p: AbhaQrProfile) => void; onOpenExisting: (patientId: string) => void }) {
  const [opened, setOpened] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const [found, setFound] = useState<{ profile: AbhaQrProfile; hits: Hit[] } | null>(null);

  const open = () => {
    setText('');
    setError(null);
    setFound(null);
    setOpened(true);
  };
  // Empty ignore list: Alt+A works while the cursor is in a form field (where it always is).
  useHotkeys([['alt+A', open]], []);

  async function read() {
    const r = parseAbhaQr(text);
    if (!r.ok) {
      setError(r.error.message);
      return;
    }
    setError(null);
    const key = r.profile.abhaNumber ?? r.profile.abhaAddress ?? '';
    // The local search matches 14 ABHA digits and ABHA addresses exactly (electron/services/patient-search.ts).
    const res = await call('patients.search', { query: key, limit: 5 });
    const hits = res.ok ? res.value.filter((h) => h.match === 'abha') : [];
    if (hits.length > 0) setFound({ profile: r.profile, hits });
    else done(() => onFill(r.profile));
  }
  /** Filled or opened: the caller places the focus. */
  const done = (then: () => void) => {
    setOpened(false);
    then();
  };

  return (
    <>
      <Button ref={button} variant="light" onClick={open} rightSection={<Kbd size="xs">Alt+A</Kbd>}>
        Scan ABHA card
      </Button>
      <Modal
        opened={opened}
        // Dismissed: back to the button (returnFocus is off so that a fill can place the focus).
        onClose={() => done(() => setTimeout(() => button.current?.focus(), 0))}
        title="Scan ABHA card"
        size="lg"
        returnFocus={false}
      >
        <Stack gap="xs">
          <TextInput
            data-autofocus
            label="Scan the QR code on the card (the scanner ends with Enter)"
            aria-label="ABHA card QR text"
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void read();
              }
            }}
            error={error}
          />
          {found && (
            <AlreadyRegistered
              hits={found.hits}
              onOpen={(id) => done(() => onOpenExisting(id))}
              onFillAnyway={() => done(() => onFill(found.profile))}
            />
          )}
        </Stack>
      </Modal>
    </>
  );
}

/** The patients already holding this ABHA: Enter opens the first; filling the form stays possible. */
function AlreadyRegistered({ hits, onOpen, onFillAnyway }: { hits: Hit[]; onOpen: (id: string) => void; onFillAnyway: () => void }) {
  return (
    <Alert color="yellow" title="This ABHA is already registered" role="alert">
      <Stack gap="xs">
        {hits.map((h, i) => (
          <Group key={h.id} justify="space-between">
            <Text size="sm">
              {h.name} · {ageSex(h.age, h.gender)} · {h.mrn} {h.abhaNumber ? `· ABHA ${formatAbha(h.abhaNumber)}` : ''}
            </Text>
            <Button size="xs" autoFocus={i === 0} onClick={() => onOpen(h.id)}>
              Open {h.name}
            </Button>
          </Group>
        ))}
        <Button size="xs" variant="default" w="fit-content" onClick={onFillAnyway}>
          Fill the form anyway
        </Button>
      </Stack>
    </Alert>
  );
}

/** What the card filled, in the form's words, for the line under the button. */
export function filledSummary(p: AbhaQrProfile): string[] {
  const lines: string[] = [];
  if (p.abhaNumber) lines.push(`ABHA number ${p.abhaNumber}`);
  if (p.abhaAddress) lines.push(`ABHA address ${p.abhaAddress}`);
  lines.push(`Name ${[p.givenName, p.familyName].filter(Boolean).join(' ')}`);
  if (p.gender) lines.push(`Gender ${p.gender}`);
  if (p.dateOfBirth) lines.push(`Date of birth ${p.dateOfBirth}`);
  else if (p.yearOfBirth) lines.push(`Born ${p.yearOfBirth} (age estimated)`);
  if (p.mobile) lines.push(`Mobile ${p.mobile}`);
  if (p.address) lines.push('Address');
  if (p.district) lines.push(`District ${p.district}${p.districtLgd ? ` (LGD ${p.districtLgd})` : ''}`);
  if (p.state) lines.push(`State ${p.state}${p.stateLgd ? ` (LGD ${p.stateLgd})` : ''}`);
  if (p.pincode) lines.push(`Pincode ${p.pincode}`);
  return lines;
}

/** The result line: what was filled, from the card and not verified with ABDM, and what to ask. */
export function ScannedFromCard({ profile }: { profile: AbhaQrProfile }) {
  return (
    <Alert color="blue" title="Filled from the ABHA card (not verified with ABDM)">
      <Text size="sm">{filledSummary(profile).join(' · ')}</Text>
      {profile.notes.length > 0 && (
        <List size="sm" mt={4}>
          {profile.notes.map((n) => (
            <List.Item key={n}>{n}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
