import { Badge, Button, Group, Kbd, Paper, Text } from '@mantine/core';
import type { PrescriptionItem } from '../../../shared/clinical';
import type { Output } from '../api/client';
import { useMethod } from '../api/hooks';
import { SearchAsYouType, useSearchQuery } from '../SearchAsYouType';

export type Drug = Output<'formulary.search'>[number];

/**
 * The "Add drug" box: a generic or brand name, Enter adds the highlighted drug; favourites below.
 * The search knows the visit, so the forms that suit the patient's age and weight come first.
 */
export function DrugSearch({ visitId, onPick, inputRef, favourites, onFavourite }: {
  visitId: string;
  onPick: (d: Drug) => void;
  inputRef: React.Ref<HTMLInputElement>;
  favourites: Output<'prescriptions.favourites'>;
  onFavourite: (item: PrescriptionItem) => void;
}) {
  const search = useSearchQuery(100);
  const results = useMethod('formulary.search', { query: search.query, limit: 10, visitId }, { enabled: search.ready });
  return (
    <Paper withBorder p="xs" component="section" aria-label="Add drug">
      <SearchAsYouType
        search={search}
        results={results}
        inputRef={inputRef}
        // Opening the prescription means writing one: the box is ready for the first keystroke.
        autoFocus
        label={
          <span>
            Add drug <Kbd size="xs">Alt+D</Kbd>
          </span>
        }
        placeholder="Generic or brand name, e.g. amox, crocin, para 500"
        listLabel="Drug matches"
        variant="rows"
        hitKey={(d) => d.id}
        renderHit={(d) => (
          <Text size="sm">
            <b>{d.genericName.toUpperCase()}</b> {d.strength ?? ''} {d.form}
            {d.brandNames.length > 0 && <Text span c="dimmed" size="xs">{` (${d.brandNames.join(', ')})`}</Text>}
            {d.schedule && <Badge ml={6} size="xs" color="grape">Sch {d.schedule}</Badge>}
          </Text>
        )}
        onPick={onPick}
        noMatch={(query) => `No drug in the formulary matches “${query}”.`}
        clearOnPick
      />
      {favourites.length > 0 && (
        <Group gap={4} mt={6}>
          <Text size="xs" c="dimmed">
            Favourites:
          </Text>
          {favourites.map((f) => (
            <Button key={f.id} size="compact-xs" variant="light" onClick={() => f.items[0] && onFavourite(f.items[0])}>
              {f.name}
            </Button>
          ))}
        </Group>
      )}
    </Paper>
  );
}
