import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { call } from '../api/client';
import { downloadJobDocument, waitForJob } from '../api/jobs';

/**
 * ABDM Scan & Share posters: one printable page per counter with the QR code patients scan to share
 * their ABHA profile (docs/ABDM.md). Counters are typed comma-separated; empty means this desk.
 */
export function CounterPosters({ hfrId }: { hfrId: string | null }) {
  const [counters, setCounters] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const names = counters.split(',').map((c) => c.trim()).filter(Boolean);
  const make = async () => {
    setBusy(true);
    const started = await call('scanshare.counterPosters', names.length > 0 ? { counters: names } : {});
    const failed = !started.ok ? started.error.message : await downloadJobDocument(await waitForJob(started.value.id));
    setBusy(false);
    setMessage(failed);
  };
  return (
    <Paper withBorder p="md" component="section" aria-label="Counter QR posters">
      <Stack gap="xs">
        <Title order={4}>Counter QR posters (ABDM Scan & Share)</Title>
        <Text size="sm" c="dimmed">
          Patients scan the poster at a counter with their ABHA app and get a token; their profile appears under Reception → Scanned profiles.
        </Text>
        <Group align="flex-end">
          <TextInput label="Counters" description="Comma-separated; empty: this desk" value={counters} onChange={(e) => setCounters(e.currentTarget.value)} w={360} />
          <Button onClick={() => void make()} loading={busy} disabled={!hfrId}>
            Posters PDF
          </Button>
        </Group>
        {!hfrId && <Text size="sm" c="orange">Enter the HFR ID above first: the QR code carries it.</Text>}
        {message && <Text size="sm" c="red">{message}</Text>}
      </Stack>
    </Paper>
  );
}
