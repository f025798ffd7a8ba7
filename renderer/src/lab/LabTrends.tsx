import { Paper, Table, Text } from '@mantine/core';
import type { Output } from '../api/client';
import { formatDay } from '../format';

type Trend = Output<'patients.timeline'>['labTrends'][number];

/** Each test repeated over visits: its values oldest first, out-of-range ones in bold red with H/L. */
export function LabTrends({ trends }: { trends: Trend[] }) {
  if (trends.length === 0) return null;
  return (
    <Paper withBorder p="sm" component="section" aria-label="Lab trends">
      <Text fw={600} size="sm" mb={4}>
        Lab results over visits
      </Text>
      <Table verticalSpacing={2} fz="sm">
        <Table.Tbody>
          {trends.map((t) => (
            <Table.Tr key={t.testName}>
              <Table.Td>
                {t.testName}
                {t.unit ? <Text span c="dimmed" size="xs"> ({t.unit})</Text> : null}
              </Table.Td>
              {t.points.map((p, i) => (
                <Table.Td key={`${p.date}-${i}`} title={formatDay(p.date)}>
                  <Text span size="sm" fw={p.flag ? 700 : 400} c={p.flag ? 'red' : undefined}>
                    {p.value}
                    {p.flag ? ` ${p.flag}` : ''}
                  </Text>
                  {i < t.points.length - 1 ? <Text span c="dimmed"> →</Text> : null}
                  <Text size="xs" c="dimmed">
                    {formatDay(p.date)}
                    {p.verified ? '' : ' (unverified)'}
                  </Text>
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
