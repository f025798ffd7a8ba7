import { Badge, Paper, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import type { Output } from '../api/client';

type Waiting = Output<'pharmacy.waiting'>[number];

/** Today's prescriptions with something still to give, newest first; typing filters, Enter opens the first match. */
export function WaitingList({ waiting, current, onOpen }: { waiting: Waiting[] | undefined; current: string | null; onOpen: (visitId: string) => void }) {
  const [filter, setFilter] = useState('');
  const words = filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const shown = (waiting ?? []).filter((w) => {
    const text = `${w.tokenLabel} ${w.patientName} ${w.mrn} ${w.doctorName} ${w.rxNumber} ${w.drugs}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
  return (
    <Paper withBorder p="xs" component="section" aria-label="Prescriptions waiting">
      <Text fw={600} size="sm" mb={4}>
        Today's prescriptions to dispense
      </Text>
      <TextInput
        size="xs"
        placeholder="Type a name, token, MRN or drug; Enter opens"
        aria-label="Filter prescriptions"
        value={filter}
        autoFocus
        onChange={(e) => setFilter(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && shown[0]) onOpen(shown[0].visitId);
        }}
        mb={4}
      />
      {waiting?.length === 0 && <Text size="sm" c="dimmed">Nothing waiting.</Text>}
      <Stack gap={2}>
        {shown.map((w) => (
          <UnstyledButton key={w.visitId} onClick={() => onOpen(w.visitId)} p={4} bg={w.visitId === current ? 'teal.0' : undefined} data-testid="waiting">
            <Text size="sm" fw={500}>
              {w.tokenLabel}. {w.patientName} <Badge size="xs" variant="light">{w.open} of {w.items} open</Badge>
            </Text>
            <Text size="xs" c="dimmed" lineClamp={1}>
              {w.doctorName} · {w.drugs}
            </Text>
          </UnstyledButton>
        ))}
      </Stack>
    </Paper>
  );
}
