import { Alert, Button, Paper, Progress, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type SyntheticEvent } from 'react';
import { call } from '../api/client';

/**
 * First run on a second workstation: enrol with the clinic's sync server and receive the clinic,
 * its staff and records, instead of setting up a new clinic.
 */
export function JoinClinic({ onJoined }: { onJoined: () => void }) {
  const [serverUrl, setServerUrl] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [stage, setStage] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);

  useEffect(() => {
    if (!jobId) return;
    const timer = setInterval(() => {
      void (async () => {
        const status = await call('setup.status');
        const joining = status.ok ? status.value.joining : null;
        if (joining?.status === 'failed') {
          setError(joining.message);
          setJobId(null);
          return;
        }
        setStage(joining?.message ?? 'Waiting…');
        if (status.ok && status.value.initialized) {
          clearInterval(timer);
          onJoined();
        }
      })();
    }, 700);
    return () => clearInterval(timer);
  }, [jobId, onJoined]);

  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    setError(null);
    const r = await call('setup.join', { serverUrl, code });
    if (r.ok) setJobId(r.value.id);
    else setError(r.error.message);
  }

  return (
    <Paper withBorder p="lg" component="form" onSubmit={(e) => void submit(e)} noValidate aria-label="Join an existing clinic">
      <Stack>
        <Title order={4}>Join an existing clinic</Title>
        <Text size="sm" c="dimmed">
          This workstation will receive the clinic's details, staff and records from the sync server. Log in afterwards with your usual account.
        </Text>
        <TextInput label="Sync server address" placeholder="https://sync.example.in" value={serverUrl} onChange={(e) => setServerUrl(e.currentTarget.value)} />
        <TextInput label="Enrolment code" value={code} onChange={(e) => setCode(e.currentTarget.value)} />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {jobId && (
          <Stack gap={4}>
            <Progress value={100} animated />
            <Text size="sm">{stage ?? 'Enrolling…'}</Text>
          </Stack>
        )}
        <Button type="submit" disabled={!serverUrl || !code || jobId !== null}>
          Join clinic
        </Button>
      </Stack>
    </Paper>
  );
}
