import { ActionIcon, Badge, Group, Paper, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import type { Diagnosis } from '../../../shared/clinical';
import { useMethod } from '../api/hooks';

/**
 * Type part of a title or a code; arrows and Enter pick an ICD-10 code. Shift+Enter (or no match)
 * adds what was typed as a free-text diagnosis.
 */
export function DiagnosisPicker({ value, onChange, readOnly }: { value: Diagnosis[]; onChange: (d: Diagnosis[]) => void; readOnly: boolean }) {
  const [text, setText] = useState('');
  const [query] = useDebouncedValue(text.trim(), 100);
  const [active, setActive] = useState(0);
  const results = useMethod('reference.icd10Search', { query, limit: 10 }, { enabled: query.length >= 2 });
  const hits = query.length >= 2 ? (results.data ?? []) : [];
  // eslint-disable-next-line react-hooks/set-state-in-effect -- a new query highlights its first hit again; one extra render
  useEffect(() => setActive(0), [query]);

  function add(d: Diagnosis) {
    if (!value.some((v) => v.code === d.code && v.title === d.title)) onChange([...value, d]);
    setText('');
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
        <>
          <TextInput
            label="Add diagnosis"
            placeholder="Type a title or ICD-10 code; Enter picks, Shift+Enter adds as free text"
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown') {
                e.preventDefault();
                setActive((a) => Math.min(a + 1, hits.length - 1));
              } else if (e.key === 'ArrowUp') {
                e.preventDefault();
                setActive((a) => Math.max(a - 1, 0));
              } else if (e.key === 'Enter') {
                e.preventDefault();
                const hit = hits[active];
                if (hit && !e.shiftKey) add({ code: hit.code, title: hit.title });
                else if (text.trim()) add({ code: null, title: text.trim() });
              }
            }}
          />
          {hits.length > 0 && (
            <Paper withBorder role="listbox" aria-label="ICD-10 matches">
              {hits.map((h, i) => (
                <UnstyledButton
                  key={h.code}
                  role="option"
                  aria-selected={i === active}
                  display="block"
                  w="100%"
                  p={4}
                  bg={i === active ? 'teal.0' : undefined}
                  onMouseEnter={() => setActive(i)}
                  onClick={() => add({ code: h.code, title: h.title })}
                >
                  <Text size="sm">
                    <b>{h.code}</b> {h.title}
                  </Text>
                </UnstyledButton>
              ))}
            </Paper>
          )}
        </>
      )}
    </Stack>
  );
}
