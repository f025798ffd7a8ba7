import { Button, Grid, Group, Kbd, Stack, Tabs, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { hasPermission } from '../../../shared/permissions';
import type { Output } from '../api/client';
import { today as todayIn } from '../format';
import { useSession } from '../session';
import { useMethod } from '../api/hooks';
import { AppointmentsPanel, type BookRequest } from './AppointmentsPanel';
import { NeedsRebook } from './NeedsRebook';
import { FollowUps } from './FollowUps';
import { PatientCard, type CheckedIn } from './PatientCard';
import { PatientSearch } from './PatientSearch';
import { QueueBoard } from './QueueBoard';
import { RegisterPatient } from './RegisterPatient';
import { ScannedProfiles, type SharedProfile } from './ScannedProfiles';
import { call } from '../api/client';
import type { PatientValues } from './PatientFields';
import { TokenSlip } from './TokenSlip';

/** The front desk: find or register, check in or book, and watch the queue. */
// Long by design: the panels share the screen's state (the patient, the form, the tab, the slip, the scanned profile being registered).
export function ReceptionScreen() {
  const { user, timeZone } = useSession();
  const [params, setParams] = useSearchParams();
  const patientId = params.get('patient');
  const [registering, setRegistering] = useState(false);
  const [scannedOpen, setScannedOpen] = useState(false);
  /** Registering the person of a scanned profile: the form prefilled, the share linked once saved. */
  const [fromShare, setFromShare] = useState<SharedProfile | null>(null);
  const [editing, setEditing] = useState<Existing | null>(null);
  const [slip, setSlip] = useState<CheckedIn | null>(null);
  const [tab, setTab] = useState<string | null>('queue');
  const [bookRequest, setBookRequest] = useState({ n: 0, doctorId: '' });
  const [patientName, setPatientName] = useState<string | null>(null);
  const [rebook, setRebook] = useState<Output<'appointments.needsRebook'>[number] | null>(null);
  const canWrite = hasPermission(user.roles, 'patients.write');
  const needs = useMethod('appointments.needsRebook', {});
  const today = todayIn(timeZone);

  const open = (id: string, name: string | null = null) => {
    setRegistering(false);
    setEditing(null);
    setPatientName(name);
    setParams({ patient: id });
  };

  useHotkeys([
    ['alt+N', () => canWrite && setRegistering(true)],
    ['alt+S', () => canWrite && setScannedOpen(true)],
  ], []);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Reception</Title>
        {canWrite && (
          <Group gap="xs">
            <Button variant="light" onClick={() => setScannedOpen(true)} rightSection={<Kbd size="xs">Alt+S</Kbd>}>
              Scanned profiles
            </Button>
            <Button
              onClick={() => {
                setFromShare(null);
                setRegistering(true);
              }}
              rightSection={<Kbd size="xs">Alt+N</Kbd>}
            >
              New patient
            </Button>
          </Group>
        )}
      </Group>
      <NeedsRebook
        onRebook={(patientId, name, appointmentId) => {
          open(patientId, name);
          setTab('appointments');
          setRebook(needs.data?.find((a) => a.id === appointmentId) ?? null);
        }}
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack>
            <PatientForm
              editing={editing}
              registering={registering}
              fromShare={fromShare}
              onClose={() => (editing ? setEditing(null) : setRegistering(false))}
              onOpen={(id, name) => {
                if (fromShare) {
                  // The new patient is the person who shared: recorded on the share, then checked in from the list.
                  void call('scanshare.link', { shareId: fromShare.id, patientId: id }).then(() => setScannedOpen(true));
                  setFromShare(null);
                }
                open(id, name);
              }}
            />
            {patientId && !registering && !editing && (
              <PatientCard
                patientId={patientId}
                {...(canWrite ? { onEdit: setEditing } : {})}
                onOpen={(id) => open(id)}
                onCheckedIn={setSlip}
                onBook={(doctorId) => {
                  setTab('appointments');
                  setBookRequest((r) => ({ n: r.n + 1, doctorId }));
                }}
              />
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <ReceptionTabs
            tab={tab}
            onTab={setTab}
            today={today}
            bookRequest={bookRequest}
            rebook={rebook}
            patient={patientId ? { id: patientId, name: patientName ?? 'this patient' } : null}
          />
        </Grid.Col>
      </Grid>
      <TokenSlip slip={slip} onClose={() => setSlip(null)} />
      <ScannedProfiles
        opened={scannedOpen}
        onClose={() => setScannedOpen(false)}
        onRegister={(share) => {
          setScannedOpen(false);
          setEditing(null);
          setFromShare(share);
          setRegistering(true);
        }}
        onCheckedIn={(s) => {
          setScannedOpen(false);
          setSlip(s);
        }}
      />
    </Stack>
  );
}

/** A saved patient's name, and what the server noticed about the details (a mobile shared, ...). */
function announce(message: string, warnings: { message: string }[]) {
  notifications.show({ color: 'teal', message });
  for (const w of warnings) notifications.show({ color: 'orange', message: w.message });
}

/** The right-hand side: the queue, a doctor's appointments, and the follow-ups due. */
function ReceptionTabs({ tab, onTab, today, bookRequest, rebook, patient }: {
  tab: string | null;
  onTab: (tab: string | null) => void;
  today: string;
  bookRequest: BookRequest;
  rebook: Output<'appointments.needsRebook'>[number] | null;
  patient: { id: string; name: string } | null;
}) {
  return (
    <Tabs value={tab} onChange={onTab} keepMounted={false}>
      <Tabs.List>
        <Tabs.Tab value="queue">Queue</Tabs.Tab>
        <Tabs.Tab value="appointments">Appointments</Tabs.Tab>
        <Tabs.Tab value="followups">Follow-ups</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="queue" pt="xs">
        <QueueBoard />
      </Tabs.Panel>
      <Tabs.Panel value="appointments" pt="xs">
        <AppointmentsPanel today={today} bookRequest={bookRequest} rebook={rebook} patient={patient} />
      </Tabs.Panel>
      <Tabs.Panel value="followups" pt="xs">
        <FollowUps today={today} />
      </Tabs.Panel>
    </Tabs>
  );
}

type Existing = Output<'patients.get'>['patient'];

/** The left-hand box: editing a patient, registering one, or else the search. */
function PatientForm({ editing, registering, fromShare, onClose, onOpen }: {
  editing: Existing | null;
  registering: boolean;
  fromShare: SharedProfile | null;
  onClose: () => void;
  onOpen: (id: string, name?: string | null) => void;
}) {
  if (editing) {
    return (
      <RegisterPatient
        key={editing.id}
        existing={editing}
        onCancel={onClose}
        onOpenExisting={(id) => onOpen(id)}
        onRegistered={(r) => {
          announce(`Saved ${r.patient.name}.`, r.warnings);
          onClose();
        }}
      />
    );
  }
  if (registering) {
    return (
      <RegisterPatient
        key={fromShare?.id ?? 'new'}
        {...(fromShare ? { prefill: prefillOf(fromShare) } : {})}
        onCancel={onClose}
        onOpenExisting={(id) => onOpen(id)}
        onRegistered={(r) => {
          announce(`Registered ${r.patient.name} as ${r.patient.mrn}.`, r.warnings);
          onOpen(r.patient.id, r.patient.name);
        }}
      />
    );
  }
  return <PatientSearch autoFocus onPick={(h) => onOpen(h.id, h.name)} />;
}

/** The registration form's fields from a shared ABDM profile (its ABHA number and address included). */
function prefillOf(s: SharedProfile): Partial<PatientValues> {
  const words = s.name.trim().split(/\s+/);
  return {
    givenName: words.length > 1 ? words.slice(0, -1).join(' ') : s.name,
    familyName: words.length > 1 ? words.at(-1)! : '',
    gender: s.gender === 'F' ? 'female' : s.gender === 'M' ? 'male' : 'other',
    ...(s.dob ? { dob: s.dob } : { ageYears: s.age }),
    mobile: s.mobile ?? '',
    abhaNumber: s.abhaNumber ?? '',
    abhaAddress: s.abhaAddress,
    addressLine1: s.address ?? '',
    pincode: s.pincode ?? '',
  };
}
