import { Alert, Button, Group, NumberInput, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { call, type Input } from '../api/client';
import { useMethod } from '../api/hooks';

/**
 * Admin: the waiting-room TV. Turning it on opens a port on the clinic network on this workstation;
 * the TV's browser opens the link once. A new link locks out every TV that had the old one.
 */
export function WaitingRoomDisplay() {
  const settings = useMethod('display.settings', {});
  const [error, setError] = useState<string | null>(null);
  const [port, setPort] = useState<number | string>('');
  const s = settings.data;

  async function change(input: Input<'display.setSettings'>) {
    const r = await call('display.setSettings', input);
    setError(r.ok ? null : r.error.message);
    void settings.refetch();
  }

  if (!s) return null;
  return (
    <Paper withBorder p="md" component="section" aria-label="Waiting-room display">
      <Stack gap="xs">
        <Title order={4}>Waiting-room display</Title>
        <Text size="sm" c="dimmed">
          A “now calling” page for a TV in the waiting room: tokens per doctor with the patient’s initials only. It is served by this workstation to browsers on the clinic network that have the link.
        </Text>
        <Group align="end">
          <Switch label="Show the queue on a waiting-room TV" checked={s.enabled} onChange={(e) => void change({ enabled: e.currentTarget.checked })} />
          <NumberInput label="Port" w={110} min={1024} max={65535} value={port === '' ? s.port : port} onChange={setPort} />
          <Button size="xs" variant="default" disabled={port === '' || port === s.port} onClick={() => void change({ port: Number(port) }).then(() => setPort(''))}>
            Use this port
          </Button>
          {s.enabled && (
            <Button size="xs" variant="light" color="orange" onClick={() => void change({ newKey: true })}>
              New link (old TVs stop)
            </Button>
          )}
        </Group>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {s.enabled && (
          <Stack gap={2} aria-label="Links for the TV">
            <Text size="sm">Open one of these on the TV (the address must be this computer’s on the clinic network):</Text>
            {/* Selected whole with one click, for Ctrl+C: the app has no clipboard permission (README, Desktop app security). */}
            {s.links.map((link) => (
              <Text key={link} size="sm" ff="monospace" style={{ userSelect: 'all', wordBreak: 'break-all' }}>
                {link}
              </Text>
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
