import { Button, Group, Paper, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { call } from '../api/client';
import type { Range } from './ReportsScreen';

export type ReportName = 'census' | 'visitTypes' | 'revenue' | 'refundsDiscounts' | 'diagnoses' | 'followUps';

/** A report's frame: its title, the CSV button, the chart, then the figures. */
export function ReportCard(props: { title: string; report: ReportName; range: Range; error?: string | undefined; loading: boolean; children: React.ReactNode }) {
  return (
    <Paper withBorder p="md" component="section" aria-label={props.title}>
      <Group justify="space-between" mb="sm">
        <Title order={4}>{props.title}</Title>
        <CsvButton report={props.report} range={props.range} title={props.title} />
      </Group>
      {props.error ? <Text c="red">{props.error}</Text> : props.loading ? <Text c="dimmed">Loading…</Text> : props.children}
    </Paper>
  );
}

/** Saves the report as a CSV file the browser downloads (the export is audited by the service). */
function CsvButton({ report, range, title }: { report: ReportName; range: Range; title: string }) {
  const [message, setMessage] = useState<string | null>(null);
  const save = async () => {
    const r = await call('reports.csv', { ...range, report });
    if (!r.ok) return setMessage(r.error.message);
    setMessage(null);
    const url = URL.createObjectURL(new Blob([r.value.csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = r.value.fileName;
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <Group gap="xs">
      {message && <Text size="sm" c="red">{message}</Text>}
      <Button size="xs" variant="default" onClick={() => void save()} aria-label={`Export ${title} as CSV`}>
        Export CSV
      </Button>
    </Group>
  );
}

/** The numbers under a chart: plain rows, right-aligned figures. */
export function Figures({ caption, head, rows }: { caption: string; head: string[]; rows: (string | number)[][] }) {
  return (
    <Table striped withTableBorder mt="sm" aria-label={caption} captionSide="top">
      <Table.Caption>{caption}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          {head.map((h, i) => (
            <Table.Th key={h} ta={i === 0 ? 'left' : 'right'}>{h}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.length === 0 && (
          <Table.Tr>
            <Table.Td colSpan={head.length}>Nothing in these days.</Table.Td>
          </Table.Tr>
        )}
        {rows.map((r, i) => (
          <Table.Tr key={i}>
            {r.map((cell, j) => (
              <Table.Td key={j} ta={j === 0 ? 'left' : 'right'}>{cell}</Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
