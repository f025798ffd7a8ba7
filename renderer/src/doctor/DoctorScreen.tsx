import { Alert, Badge, Button, Grid, Group, Kbd, Paper, Stack, Tabs, Text, Title, UnstyledButton } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import { call } from '../api/client';
import { useMethod } from '../api/hooks';
import { ageSex } from '../format';
import { useSession } from '../session';
import { ConsultationForm } from './ConsultationForm';
import { PatientBanner } from './PatientBanner';
import { PrescriptionBuilder } from './PrescriptionBuilder';
import { Timeline } from './Timeline';
import { CertificateDialog } from '../certificates/CertificateDialog';
import { CertificateList } from '../certificates/CertificateList';

const STATUS_COLOR = { waiting: 'blue', 'with-doctor': 'teal', done: 'gray', left: 'orange' } as const;

/** The doctor's desk: today's own queue, call next, and the visit being seen. */
export function DoctorScreen() {
  const { user } = useSession();
  const queue = useMethod('queue.mine', {});
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const current = selected ?? queue.data?.find((e) => e.status === 'with-doctor')?.visitId ?? null;

  async function callNext() {
    setError(null);
    const r = await call('queue.callNext');
    if (r.ok) setSelected(r.value.visitId);
    else setError(r.error.message);
  }
  useHotkeys([['alt+X', () => void callNext()]], []);

  if (!user.roles.includes('doctor')) {
    return (
      <Alert color="gray" title="Doctor's desk">
        This screen is for doctors: it shows their own queue and consultation notes.
      </Alert>
    );
  }

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 3 }}>
        <Stack gap="xs">
          <Title order={3}>My queue</Title>
          <Button onClick={() => void callNext()} rightSection={<Kbd size="xs">Alt+X</Kbd>}>
            Call next
          </Button>
          {error && (
            <Alert color="orange" p="xs" role="alert">
              {error}
            </Alert>
          )}
          {queue.data?.length === 0 && <Text c="dimmed">Nobody checked in for you today.</Text>}
          <Stack gap={4} component="section" aria-label="My queue">
            {queue.data?.map((e) => (
              <UnstyledButton key={e.visitId} onClick={() => setSelected(e.visitId)} data-testid="my-queue-entry">
                <Paper withBorder p={6} bg={e.visitId === current ? 'teal.0' : undefined}>
                  <Group gap="xs" wrap="nowrap">
                    <Badge size="lg" color={STATUS_COLOR[e.status]}>
                      {e.tokenLabel}
                    </Badge>
                    <div>
                      <Text size="sm">{e.patientName}</Text>
                      <Text size="xs" c="dimmed">
                        {ageSex(e.age, e.gender)} · {e.status === 'waiting' ? `waiting ${e.waitingMinutes} min` : e.status}
                        {e.priority !== 'regular' ? ` · ${e.priority}` : ''}
                      </Text>
                    </div>
                  </Group>
                </Paper>
              </UnstyledButton>
            ))}
          </Stack>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 9 }}>{current ? <Visit visitId={current} /> : <Text c="dimmed">Call the next patient to start.</Text>}</Grid.Col>
    </Grid>
  );
}

/** The visit's tabs, each with its Alt+digit shortcut (shown in its label). */
const VISIT_TABS = [
  { value: 'note', label: 'Consultation', key: '1' },
  { value: 'rx', label: 'Prescription', key: '2' },
  { value: 'timeline', label: 'Timeline', key: '3' },
] as const;
type VisitTab = (typeof VISIT_TABS)[number]['value'];

function Visit({ visitId }: { visitId: string }) {
  const data = useMethod('consultations.get', { visitId });
  const [tab, setTab] = useState<VisitTab>('note');
  const [certificate, setCertificate] = useState(false);
  const panels = useRef<HTMLDivElement>(null);
  const loaded = !!data.data;
  useHotkeys([...VISIT_TABS.map((t): [string, () => void] => [`alt+${t.key}`, () => setTab(t.value)]), ['alt+T', () => setCertificate(true)]], []);
  // The note opens (or is returned to) with the cursor in its first field, the vitals; the
  // prescription's drug box focuses itself.
  useEffect(() => {
    if (!loaded || tab !== 'note') return;
    const timer = setTimeout(() => panels.current?.querySelector<HTMLInputElement>('[aria-label="Vitals"] input:not([readonly]):not([disabled])')?.focus(), 0);
    return () => clearTimeout(timer);
  }, [loaded, tab, visitId]);
  if (!data.data) return <Text c="dimmed">{data.error?.message ?? 'Loading…'}</Text>;
  return (
    <Stack gap="sm">
      {/* Stays under the app's header while the note scrolls: allergies are never out of sight. */}
      <div style={{ position: 'sticky', top: 'var(--app-shell-header-offset, 56px)', zIndex: 3, background: 'var(--mantine-color-body)' }}>
        <PatientBanner patient={data.data.patient} token={data.data.visit.tokenLabel} />
      </div>
      <Group justify="flex-end">
        <Button size="xs" variant="default" onClick={() => setCertificate(true)} rightSection={<Kbd size="xs">Alt+T</Kbd>}>
          Certificate…
        </Button>
      </Group>
      <CertificateDialog visitId={visitId} opened={certificate} onClose={() => setCertificate(false)} />
      <CertificateList patientId={data.data.patient.id} />
      <Tabs value={tab} onChange={(v) => setTab((VISIT_TABS.find((t) => t.value === v) ?? VISIT_TABS[0]).value)} keepMounted={false} ref={panels}>
        <Tabs.List>
          {VISIT_TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value} rightSection={<Kbd size="xs">Alt+{t.key}</Kbd>}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="note" pt="sm">
          <ConsultationForm key={visitId} data={data.data} />
        </Tabs.Panel>
        <Tabs.Panel value="rx" pt="sm">
          <PrescriptionBuilder visitId={visitId} diagnosisCodes={data.data.note.diagnoses.flatMap((d) => (d.code ? [d.code] : []))} />
        </Tabs.Panel>
        <Tabs.Panel value="timeline" pt="sm">
          <Timeline patientId={data.data.patient.id} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
