import { Badge, Button, Code, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { AUDIT_OUTCOMES, type AuditOutcome } from '../../../db/schema/enums';
import { fetchValue } from '../api/client';

const OUTCOME_COLOR: Record<AuditOutcome, string> = {
  ok: 'teal',
  invalid: 'yellow',
  unauthenticated: 'orange',
  forbidden: 'red',
  failed: 'red',
  error: 'grape',
};

export function AuditScreen() {
  const [action, setAction] = useState('');
  const [outcome, setOutcome] = useState<AuditOutcome | null>(null);
  const filter = { ...(action ? { action } : {}), ...(outcome ? { outcome } : {}), limit: 100 };
  const audit = useInfiniteQuery({
    queryKey: ['audit.list', filter],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) => fetchValue('audit.list', { ...filter, ...(pageParam ? { before: pageParam } : {}) }),
    getNextPageParam: (last) => (last.hasMore ? last.rows.at(-1)?.at : undefined),
  });
  const rows = audit.data?.pages.flatMap((p) => p.rows) ?? [];

  return (
    <Stack>
      <Title order={2}>Audit log</Title>
      <Group>
        <TextInput label="Action" placeholder="e.g. auth.login" value={action} onChange={(e) => setAction(e.currentTarget.value.trim())} />
        <Select label="Outcome" clearable data={[...AUDIT_OUTCOMES]} value={outcome} onChange={(v) => setOutcome(v as AuditOutcome | null)} />
      </Group>
      <Table striped withTableBorder aria-label="Audit entries">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>Who</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Outcome</Table.Th>
            <Table.Th>Record</Table.Th>
            <Table.Th>Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>{new Date(r.at).toLocaleString('en-IN')}</Table.Td>
              <Table.Td>{r.username ?? '—'}</Table.Td>
              <Table.Td>
                <Code>{r.action}</Code>
              </Table.Td>
              <Table.Td>
                <Badge color={OUTCOME_COLOR[r.outcome]} variant="light">
                  {r.outcome}
                </Badge>
              </Table.Td>
              <Table.Td>{r.entityType ? `${r.entityType} ${r.entityId?.slice(-8) ?? ''}` : '—'}</Table.Td>
              <Table.Td>
                <Text size="xs" lineClamp={2}>
                  {r.detail ?? (r.newValues ? JSON.stringify(r.newValues) : '')}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {audit.hasNextPage && (
        <Button variant="default" onClick={() => void audit.fetchNextPage()} loading={audit.isFetchingNextPage}>
          Load older entries
        </Button>
      )}
      {audit.error && <Text c="red">{audit.error.message}</Text>}
    </Stack>
  );
}
