import { Alert, Badge, Button, Grid, Group, Kbd, Paper, Stack, Tabs, Text, Title, UnstyledButton } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useState } from 'react';
import { call } from '../api/client';
import { useMethod } from '../api/hooks';
import { ageSex } from '../format';
import { useSession } from '../session';
import { ConsultationForm } from './ConsultationForm';
import { PatientBanner } from './PatientBanner';
import { PrescriptionBuilder } from './PrescriptionBuilder';
import { Timeline } from './Timeline';

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

function Visit({ visitId }: { visitId: string }) {
  const data = useMethod('consultations.get', { visitId });
  if (!data.data) return <Text c="dimmed">{data.error?.message ?? 'Loading…'}</Text>;
  return (
    <Stack gap="sm">
      <PatientBanner patient={data.data.patient} token={data.data.visit.tokenLabel} />
      <Tabs defaultValue="note" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="note">Consultation</Tabs.Tab>
          <Tabs.Tab value="rx">Prescription</Tabs.Tab>
          <Tabs.Tab value="timeline">Timeline</Tabs.Tab>
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
