import { Badge, Group, Kbd, Loader, Paper, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import { useMethod } from '../api/hooks';
import type { Output } from '../api/client';
import { ageSex, formatAbha } from '../format';

export type SearchHit = Output<'patients.search'>[number];

const MATCH_LABEL: Record<SearchHit['match'], string> = {
  abha: 'ABHA',
  mrn: 'MRN',
  mobile: 'mobile',
  name: 'name',
  'name-prefix': 'name',
  'sounds-like': 'sounds like',
};

/**
 * One box for every way a patient is looked up: name in any order, mobile (or its last digits),
 * MRN, ABHA number or address. Arrow keys move, Enter opens.
 */
export function PatientSearch({
  onPick,
  autoFocus,
  inputRef,
}: {
  onPick: (hit: SearchHit) => void;
  autoFocus?: boolean;
  inputRef?: React.Ref<HTMLInputElement>;
}) {
  const [text, setText] = useState('');
  const [query] = useDebouncedValue(text.trim(), 120);
  const [active, setActive] = useState(0);
  const results = useMethod('patients.search', { query, limit: 20 }, { enabled: query.length >= 2 });
  const hits = query.length >= 2 ? (results.data ?? []) : [];
  const listRef = useRef<HTMLDivElement>(null);

  // eslint-disable-next-line react-hooks/set-state-in-effect -- a new query highlights its first hit again; one extra render
  useEffect(() => setActive(0), [query]);

  function onKeyDown(e: React.KeyboardEvent) {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(a + 1, hits.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter' && hits[active]) {
      e.preventDefault();
      onPick(hits[active]);
    }
  }

  return (
    <Stack gap="xs">
      <TextInput
        ref={inputRef}
        label="Find patient"
        placeholder="Name, mobile or last 4 digits, MRN, ABHA"
        description={
          <span>
            <Kbd size="xs">Ctrl</Kbd>+<Kbd size="xs">K</Kbd> from any screen · <Kbd size="xs">↑</Kbd>
            <Kbd size="xs">↓</Kbd> <Kbd size="xs">Enter</Kbd> to open
          </span>
        }
        value={text}
        autoFocus={autoFocus}
        onChange={(e) => setText(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        rightSection={results.isFetching ? <Loader size="xs" /> : null}
        aria-controls="patient-results"
      />
      <div id="patient-results" role="listbox" aria-label="Search results" ref={listRef}>
        {query.length >= 2 && results.isSuccess && hits.length === 0 && (
          <Text c="dimmed" size="sm">
            No patient found for “{query}”.
          </Text>
        )}
        <Stack gap={4}>
          {hits.map((h, i) => (
            <UnstyledButton key={h.id} role="option" aria-selected={i === active} onClick={() => onPick(h)} onMouseEnter={() => setActive(i)}>
              <Paper withBorder p="xs" bg={i === active ? 'teal.0' : undefined}>
                <Group justify="space-between" wrap="nowrap">
                  <div>
                    <Text fw={600} size="sm">
                      {h.name} <Text span c="dimmed" size="xs">{ageSex(h.age, h.gender)}</Text>
                    </Text>
                    <Text size="xs" c="dimmed">
                      {h.mrn}
                      {h.mobile ? ` · ${h.mobile}` : ''}
                      {h.abhaNumber ? ` · ABHA ${formatAbha(h.abhaNumber)}` : ''}
                      {h.city ? ` · ${h.city}` : ''}
                    </Text>
                  </div>
                  <Badge size="xs" variant="light" color="gray">
                    {MATCH_LABEL[h.match]}
                  </Badge>
                </Group>
              </Paper>
            </UnstyledButton>
          ))}
        </Stack>
      </div>
    </Stack>
  );
}
