import { Anchor, Autocomplete, Badge, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { AUDIT_OUTCOMES, type AuditOutcome } from '../../../shared/enums';
import { addDays } from '../format';
import { fetchValue, type Output } from '../api/client';
import { useSession } from '../session';
import { auditChanges, deletionNote, formatInstant, startOfDay, type AuditChange } from './audit-details';

type AuditRow = Output<'audit.list'>['rows'][number];

const OUTCOME: Record<AuditOutcome, { label: string; color: string }> = {
  ok: { label: 'OK', color: 'teal' },
  invalid: { label: 'Invalid input', color: 'yellow' },
  unauthenticated: { label: 'Not logged in', color: 'orange' },
  forbidden: { label: 'Not allowed', color: 'red' },
  failed: { label: 'Failed', color: 'red' },
  error: { label: 'Error', color: 'grape' },
};

/** Suggestions for the action filter before the log itself has shown which actions occur. */
const COMMON_ACTIONS = [
  'auth.login',
  'auth.logout',
  'patients.register',
  'patients.update',
  'patients.get',
  'consultations.get',
  'consultations.complete',
  'consultations.amend',
  'prescriptions.print',
  'billing.issueInvoice',
  'billing.voidInvoice',
  'billing.refund',
  'staff.create',
  'staff.setActive',
  'backups.restore',
  'backups.recoveryKey',
];

/** Fields shown per row before "Show all"; more than this made rows taller than the screen. */
const COLLAPSED_FIELDS = 3;
/** Longer lines (or a longer detail) are cut in the collapsed view. */
const COLLAPSED_CHARS = 60;

export function AuditScreen() {
  const { timeZone } = useSession();
  const [action, setAction] = useState('');
  const [outcome, setOutcome] = useState<AuditOutcome | null>(null);
  const [user, setUser] = useState('');
  const [fromDate, setFromDate] = useState('');
  const [toDate, setToDate] = useState('');
  // Typing a name or action should not fire a query per key press.
  const [typedAction] = useDebouncedValue(action.trim(), 300);
  const [typedUser] = useDebouncedValue(user.trim(), 300);
  const rangeError = fromDate && toDate && toDate < fromDate ? 'Before "From"' : null;

  const filter = {
    ...(typedAction ? { action: typedAction } : {}),
    ...(outcome ? { outcome } : {}),
    ...(typedUser ? { username: typedUser } : {}),
    ...(fromDate ? { from: startOfDay(fromDate, timeZone) } : {}),
    // "To" is the whole of that day in the clinic's time zone.
    ...(toDate ? { to: startOfDay(addDays(toDate, 1), timeZone) - 1 } : {}),
    limit: 100,
  };
  const audit = useInfiniteQuery({
    queryKey: ['audit.list', filter],
    initialPageParam: undefined as { at: number; id: string } | undefined,
    queryFn: ({ pageParam }) => fetchValue('audit.list', { ...filter, ...(pageParam ? { before: pageParam.at, beforeId: pageParam.id } : {}) }),
    getNextPageParam: (last) => {
      const oldest = last.rows.at(-1);
      return last.hasMore && oldest ? { at: oldest.at, id: oldest.id } : undefined;
    },
    enabled: !rangeError,
  });
  const rows = useMemo(() => audit.data?.pages.flatMap((p) => p.rows) ?? [], [audit.data]);
  const staff = useQuery({ queryKey: ['staff.list'], queryFn: () => fetchValue('staff.list') });
  const usernames = useMemo(() => [...new Set((staff.data ?? []).map((s) => s.username))].sort(), [staff.data]);
  const actions = useMemo(() => [...new Set([...COMMON_ACTIONS, ...rows.map((r) => r.action)])].sort(), [rows]);
  const filtered = Boolean(action || outcome || user || fromDate || toDate);

  function clearFilters() {
    setAction('');
    setOutcome(null);
    setUser('');
    setFromDate('');
    setToDate('');
  }

  return (
    <Stack>
      <Title order={2}>Audit log</Title>
      <Group align="flex-end" gap="sm">
        <Autocomplete label="Action" placeholder="e.g. patients.register" data={actions} value={action} onChange={setAction} w={220} limit={12} />
        <OutcomeSelect value={outcome} onChange={setOutcome} />
        <Autocomplete label="User" placeholder="Username" data={usernames} value={user} onChange={setUser} w={170} />
        <TextInput label="From" type="date" value={fromDate} onChange={(e) => setFromDate(e.currentTarget.value)} w={160} />
        <TextInput label="To" type="date" value={toDate} onChange={(e) => setToDate(e.currentTarget.value)} error={rangeError} w={160} />
        {filtered && (
          <Button variant="subtle" onClick={clearFilters}>
            Clear filters
          </Button>
        )}
      </Group>
      <AuditTable rows={rows} timeZone={timeZone} />
      {audit.isSuccess && rows.length === 0 && (
        <Text c="dimmed" ta="center">
          {filtered ? 'Nothing matches these filters.' : 'Nothing has been recorded yet.'}
        </Text>
      )}
      {audit.hasNextPage && (
        <Button variant="default" onClick={() => void audit.fetchNextPage()} loading={audit.isFetchingNextPage}>
          Load older entries
        </Button>
      )}
      {audit.error && <Text c="red">{audit.error.message}</Text>}
    </Stack>
  );
}

const ONE_LINE = { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' } as const;
/** Long unbroken values (ids, addresses without spaces) must wrap rather than widen the table. */
const WRAP = { overflowWrap: 'anywhere' } as const;

function AuditEntry({ row, timeZone }: { row: AuditRow; timeZone: string }) {
  const [open, setOpen] = useState(false);
  const changes = auditChanges(row, timeZone);
  const deleted = deletionNote(row);
  const detail = row.detail?.trim() || null;
  const outcome = OUTCOME[row.outcome];
  const more =
    changes.length > COLLAPSED_FIELDS || changes.some((c) => c.text.length > COLLAPSED_CHARS) || (detail?.length ?? 0) > COLLAPSED_CHARS * 2;
  const shown = open ? changes : changes.slice(0, COLLAPSED_FIELDS);
  const full = new Date(row.at).toLocaleString('en-IN', { timeZone, dateStyle: 'full', timeStyle: 'long' });

  return (
    <Table.Tr>
      <Table.Td style={{ whiteSpace: 'nowrap', verticalAlign: 'top' }} title={full}>
        {formatInstant(row.at, timeZone)}
      </Table.Td>
      <Table.Td style={{ ...ONE_LINE, verticalAlign: 'top' }} title={row.username ?? undefined}>
        {row.username ?? '—'}
      </Table.Td>
      <Table.Td style={{ verticalAlign: 'top' }}>
        <Text ff="monospace" size="xs" mt={3} style={WRAP}>
          {row.action}
        </Text>
      </Table.Td>
      <Table.Td style={{ verticalAlign: 'top' }}>
        {/* The label is never cut: the column is wide enough for the longest outcome. */}
        <Badge color={outcome.color} variant="light" title={row.outcome} styles={{ label: { overflow: 'visible' } }}>
          {outcome.label}
        </Badge>
      </Table.Td>
      <Table.Td style={{ verticalAlign: 'top' }}>
        {row.entityType ? (
          <>
            <Text size="sm" style={ONE_LINE} title={row.entityType}>
              {row.entityType}
            </Text>
            {row.entityId && (
              <Text size="xs" c="dimmed" ff="monospace" title={row.entityId}>
                …{row.entityId.slice(-8)}
              </Text>
            )}
          </>
        ) : (
          '—'
        )}
      </Table.Td>
      <Table.Td style={{ verticalAlign: 'top' }}>
        <Stack gap={2} data-testid="audit-details">
          {shown.map((c) => (
            <ChangeLine key={c.key} change={c} open={open} />
          ))}
          {deleted && <Text size="sm">{deleted}</Text>}
          {detail && (
            <Text size="sm" c={changes.length > 0 ? 'dimmed' : undefined} lineClamp={open ? undefined : 2} style={{ ...WRAP, whiteSpace: 'pre-wrap' }}>
              {detail}
            </Text>
          )}
          {changes.length === 0 && !deleted && !detail && <Text c="dimmed">—</Text>}
          {more && (
            <Anchor component="button" type="button" size="xs" ta="left" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
              {open ? 'Show less' : changes.length > COLLAPSED_FIELDS ? `Show all ${changes.length} fields` : 'Show all'}
            </Anchor>
          )}
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

function ChangeLine({ change, open }: { change: AuditChange; open: boolean }) {
  return (
    <Text size="sm" style={open ? WRAP : ONE_LINE} title={open ? undefined : change.text}>
      <Text span fw={600} size="sm">
        {change.label}:
      </Text>{' '}
      {change.old !== undefined && (
        <>
          <Text span size="sm" c="dimmed">
            {change.old}
          </Text>
          {' → '}
        </>
      )}
      {change.value}
    </Text>
  );
}

function AuditTable({ rows, timeZone }: { rows: Output<'audit.list'>['rows']; timeZone: string }) {
  return (
    <>
    {/* Fixed layout: the Details column takes what is left and wraps inside it, never past the page. */}
    <Table striped withTableBorder layout="fixed" verticalSpacing={6} aria-label="Audit entries">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={140}>When</Table.Th>
          <Table.Th w={110}>Who</Table.Th>
          <Table.Th w={190}>Action</Table.Th>
          <Table.Th w={130}>Outcome</Table.Th>
          <Table.Th w={120}>Record</Table.Th>
          <Table.Th>Details</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <AuditEntry key={r.id} row={r} timeZone={timeZone} />
        ))}
      </Table.Tbody>
    </Table>
    </>
  );
}

function OutcomeSelect({ value, onChange }: { value: AuditOutcome | null; onChange: (outcome: AuditOutcome | null) => void }) {
  return (
    <Select
      label="Outcome"
      placeholder="Any"
      clearable
      data={AUDIT_OUTCOMES.map((o) => ({ value: o, label: OUTCOME[o].label }))}
      value={value}
      onChange={onChange}
      w={160}
    />
  );
}
