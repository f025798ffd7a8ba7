import { ActionIcon, Badge, Group, Kbd, Stack, Text } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useRef } from 'react';
import type { Diagnosis } from '../../../shared/clinical';
import { useMethod } from '../api/hooks';
import { SearchAsYouType, useSearchQuery } from '../SearchAsYouType';

/**
 * Type part of a title, a code or an everyday word ("piles", "pet dard"); arrows and Enter pick an ICD-10 code. Shift+Enter (or no match)
 * adds what was typed as a free-text diagnosis.
 */
export function DiagnosisPicker({ value, onChange, readOnly }: { value: Diagnosis[]; onChange: (d: Diagnosis[]) => void; readOnly: boolean }) {
  const search = useSearchQuery(100);
  const results = useMethod('reference.icd10Search', { query: search.query, limit: 10 }, { enabled: search.ready && !readOnly });
  const inputRef = useRef<HTMLInputElement>(null);
  // From anywhere in the note (vitals, complaints) straight to the diagnosis, without tabbing through the history boxes.
  useHotkeys([['alt+I', () => inputRef.current?.focus()]], []);

  function add(d: Diagnosis) {
    if (!value.some((v) => v.code === d.code && v.title === d.title)) onChange([...value, d]);
  }

  return (
    <Stack gap={4}>
      {value.map((d, i) => (
        <Group key={`${d.code}-${d.title}`} gap="xs" data-testid="diagnosis">
          {d.code ? <Badge variant="light">{d.code}</Badge> : <Badge variant="outline" color="gray">free text</Badge>}
          <Text size="sm">{d.title}</Text>
          {!readOnly && (
            <ActionIcon size="xs" variant="subtle" color="red" aria-label={`Remove ${d.title}`} onClick={() => onChange(value.filter((_, j) => j !== i))}>
              ×
            </ActionIcon>
          )}
        </Group>
      ))}
      {!readOnly && (
        <SearchAsYouType
          search={search}
          results={results}
          inputRef={inputRef}
          label={
            <span>
              Add diagnosis <Kbd size="xs">Alt+I</Kbd>
            </span>
          }
          placeholder="Type a title, a code or an everyday word (piles, pet dard); Enter picks, Shift+Enter adds as free text"
          listLabel="ICD-10 matches"
          variant="rows"
          hitKey={(h) => h.code}
          renderHit={(h) => (
            <Text size="sm">
              <b>{h.code}</b> {h.title}
            </Text>
          )}
          onPick={(h) => add({ code: h.code, title: h.title })}
          onFreeText={(title) => add({ code: null, title })}
          noMatch={(query) => `No ICD-10 code matches “${query}”; Enter adds it as free text.`}
          clearOnPick
        />
      )}
    </Stack>
  );
}
