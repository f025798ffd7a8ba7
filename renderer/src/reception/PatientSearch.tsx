import { Badge, Group, Kbd, Text } from '@mantine/core';
import { useMethod } from '../api/hooks';
import type { Output } from '../api/client';
import { ageSex, formatAbha } from '../format';
import { SearchAsYouType, useSearchQuery } from '../SearchAsYouType';

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
  const search = useSearchQuery(120);
  const results = useMethod('patients.search', { query: search.query, limit: 20 }, { enabled: search.ready });
  return (
    <SearchAsYouType
      search={search}
      results={results}
      inputRef={inputRef}
      autoFocus={autoFocus}
      label="Find patient"
      placeholder="Name, mobile or last 4 digits, MRN, ABHA"
      description={
        <span>
          <Kbd size="xs">Ctrl</Kbd>+<Kbd size="xs">K</Kbd> from any screen · <Kbd size="xs">↑</Kbd>
          <Kbd size="xs">↓</Kbd> <Kbd size="xs">Enter</Kbd> to open
        </span>
      }
      listLabel="Search results"
      variant="cards"
      hitKey={(h) => h.id}
      renderHit={(h) => <PatientHit hit={h} />}
      onPick={onPick}
      noMatch={(query) => `No patient found for “${query}”.`}
    />
  );
}

function PatientHit({ hit: h }: { hit: SearchHit }) {
  return (
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
          {h.mergedFrom ? ` · merged from ${h.mergedFrom}` : ''}
        </Text>
      </div>
      <Badge size="xs" variant="light" color="gray">
        {MATCH_LABEL[h.match]}
      </Badge>
    </Group>
  );
}
