import { Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMethod } from '../api/hooks';
import { call, type Output } from '../api/client';
import { ageSex } from '../format';

type Entry = Output<'queue.list'>[number];
const STATUS_COLOR: Record<Entry['status'], string> = { waiting: 'blue', 'with-doctor': 'teal', done: 'gray', left: 'orange' };
const PRIORITY_COLOR = { regular: 'gray', urgent: 'orange', emergency: 'red' } as const;

/** Today's tokens per doctor. It refreshes on every change made anywhere, without reloading. */
export function QueueBoard() {
  const queue = useMethod('queue.list', {});
  const doctors = new Map<string, { name: string; entries: Entry[] }>();
  for (const e of queue.data ?? []) {
    const d = doctors.get(e.doctorId) ?? { name: e.doctorName, entries: [] };
    d.entries.push(e);
    doctors.set(e.doctorId, d);
  }

  async function move(e: Entry, status: Entry['status']) {
    const r = await call('queue.setStatus', { visitId: e.visitId, status });
    if (!r.ok) notifications.show({ color: 'red', message: r.error.message });
  }

  return (
    <Stack gap="xs" component="section" aria-label="Queue board">
      <Title order={4}>Queue</Title>
      {doctors.size === 0 && <Text c="dimmed">Nobody checked in yet today.</Text>}
      {/* One doctor gets the whole width: half of it cut the names and buttons. */}
      <SimpleGrid cols={{ base: 1, lg: Math.min(2, Math.max(1, doctors.size)) }}>
        {[...doctors.entries()].map(([id, d]) => (
          <Card withBorder key={id} padding="xs" component="section" aria-label={`Queue of ${d.name}`}>
            <Text fw={600} mb={4}>
              {d.name}
            </Text>
            <Stack gap={4}>
              {d.entries.map((e) => (
                <Group key={e.visitId} justify="space-between" wrap="nowrap" data-testid="queue-entry">
                  {/* The token and the buttons never shrink; the name gives way (it had squeezed the token to an empty circle). */}
                  <Group gap="xs" wrap="nowrap" style={{ minWidth: 0, flex: 1 }}>
                    <Badge size="lg" variant="filled" color={STATUS_COLOR[e.status]} aria-label={`Token ${e.tokenLabel}`} miw={44} style={{ flexShrink: 0 }}>
                      {e.tokenLabel}
                    </Badge>
                    <div style={{ minWidth: 0 }}>
                      <Group gap={6} wrap="nowrap">
                        {e.priority !== 'regular' && (
                          <Badge size="sm" variant="filled" color={PRIORITY_COLOR[e.priority]} style={{ flexShrink: 0 }}>
                            {e.priority}
                          </Badge>
                        )}
                        <Text size="sm" truncate="end" title={e.patientName}>
                          {e.patientName}
                        </Text>
                      </Group>
                      {/* Age and sex on the line below: beside a long name they broke into "42 / y / F". */}
                      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                        {ageSex(e.age, e.gender)} · {e.status === 'waiting' ? `waiting ${e.waitingMinutes} min` : e.status}
                      </Text>
                    </div>
                  </Group>
                  <Group gap={4} wrap="nowrap" style={{ flexShrink: 0 }}>
                    {e.status === 'waiting' && (
                      <Button size="compact-xs" onClick={() => void move(e, 'with-doctor')}>
                        Send in
                      </Button>
                    )}
                    {e.status === 'with-doctor' && (
                      <Button size="compact-xs" variant="light" onClick={() => void move(e, 'done')}>
                        Done
                      </Button>
                    )}
                    {(e.status === 'waiting' || e.status === 'with-doctor') && (
                      <Button size="compact-xs" variant="subtle" color="orange" onClick={() => void move(e, 'left')}>
                        Left
                      </Button>
                    )}
                  </Group>
                </Group>
              ))}
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
