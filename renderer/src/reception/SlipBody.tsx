import { Stack, Text, Title } from '@mantine/core';
import { slipWords } from '../../../shared/token-slip';
import { formatDay } from '../format';
import type { CheckedIn } from './PatientCard';

/**
 * What the printed token slip says. A patient who reads Hindi gets each label in Hindi beside the
 * English (the renderer carries a Devanagari font, see fonts.css, so it prints on any computer).
 */
export function SlipBody({ slip, facilityName }: { slip: CheckedIn; facilityName: string | null }) {
  const words = slipWords(slip.language, slip.priority);
  return (
    <Stack className="token-slip" gap={2} align="center" aria-label="Token slip" lang={slip.language ?? undefined}>
      <Text fw={600}>{facilityName}</Text>
      <Text size="sm">
        {words.doctor}: {slip.doctorName}
      </Text>
      <Text size="xs" c="dimmed" data-testid="slip-token-label">
        {words.token}
      </Text>
      <Title order={1} fz={64} data-testid="slip-token">
        {slip.tokenLabel}
      </Title>
      <Text>{slip.patientName}</Text>
      <Text size="sm">
        {words.date}: {formatDay(slip.date)}
      </Text>
      {words.priority && <Text fw={700}>{words.priority}</Text>}
      <Text size="xs" ta="center" data-testid="slip-wait">
        {words.wait}
      </Text>
    </Stack>
  );
}
