import { Loader, Paper, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useId, useState, type ReactNode } from 'react';

/** What is typed, and the trimmed query a search runs on once typing pauses. */
export interface SearchQuery {
  text: string;
  setText: (text: string) => void;
  query: string;
  /** The query is long enough to search (two characters: one matches half the database). */
  ready: boolean;
}

const MIN_QUERY = 2;
const NONE: readonly never[] = [];

/** The typed text and its debounced query; the caller runs its own search method on `query`. */
export function useSearchQuery(debounceMs: number): SearchQuery {
  const [text, setText] = useState('');
  const [query] = useDebouncedValue(text.trim(), debounceMs);
  return { text, setText, query, ready: query.length >= MIN_QUERY };
}

/** The parts of a query result the box shows: react-query's own fields. */
export interface SearchResults<T> {
  data: readonly T[] | undefined;
  isFetching: boolean;
  isSuccess: boolean;
}

export interface SearchAsYouTypeProps<T> {
  search: SearchQuery;
  results: SearchResults<T>;
  label: ReactNode;
  placeholder: string;
  description?: ReactNode;
  autoFocus?: boolean;
  inputRef?: React.Ref<HTMLInputElement>;
  /** The list's accessible name (what the e2e tests and screen readers find it by). */
  listLabel: string;
  /** 'cards': one bordered card per hit (patients); 'rows': compact rows in one box. */
  variant: 'cards' | 'rows';
  hitKey: (hit: T) => string;
  renderHit: (hit: T) => ReactNode;
  onPick: (hit: T) => void;
  /** Enter with no hit highlighted, or Shift+Enter: take the typed text as it is. */
  onFreeText?: (text: string) => void;
  /** Shown when a finished search found nothing. */
  noMatch: (query: string) => ReactNode;
  /** Empty the box after a pick (a picker adding to a list), rather than keep the text (a finder). */
  clearOnPick?: boolean;
}

/**
 * One search-as-you-type box: the query waits for a pause in typing, ↑/↓ move through the hits,
 * Enter picks the highlighted one, Escape empties the box. A WAI-ARIA combobox: the input names
 * its listbox and the highlighted option, so screen readers follow the arrows.
 */
export function SearchAsYouType<T>({ search, results, onPick, onFreeText, clearOnPick, noMatch, inputRef, label, placeholder, description, autoFocus, ...list }: SearchAsYouTypeProps<T>) {
  const listId = useId();
  // The list on screen stays while the next query's answer comes (typing on refines it), so Enter
  // picks what is shown; an emptied box forgets it.
  const [shown, setShown] = useState<readonly T[]>(NONE);
  const answer = search.ready ? results.data : NONE;
  if (answer !== undefined && answer !== shown) setShown(answer);
  const hits = answer ?? shown;
  // The highlight belongs to the query it was moved in: a new query starts at its first hit.
  const [cursor, setCursor] = useState({ query: '', index: 0 });
  const active = cursor.query === search.query ? Math.min(cursor.index, hits.length - 1) : 0;
  const open = hits.length > 0;

  function pick(hit: T) {
    onPick(hit);
    if (clearOnPick) search.setText('');
  }

  function onKeyDown(e: React.KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      if (open) setCursor({ query: search.query, index: Math.max(0, Math.min(active + step, hits.length - 1)) });
    } else if (e.key === 'Enter') {
      const hit = hits[active];
      if (hit && !(e.shiftKey && onFreeText)) {
        e.preventDefault();
        pick(hit);
      } else if (onFreeText) {
        e.preventDefault();
        const typed = search.text.trim();
        if (typed) {
          onFreeText(typed);
          search.setText('');
        }
      }
    } else if (e.key === 'Escape' && search.text !== '') {
      // Not stopped: a dialog around the box still closes on the same key.
      search.setText('');
    }
  }

  const optionId = (i: number) => `${listId}-${i}`;
  return (
    <Stack gap={4}>
      <TextInput
        ref={inputRef}
        label={label}
        placeholder={placeholder}
        description={description}
        autoFocus={autoFocus}
        // Inside a Modal, Mantine's focus trap focuses [data-autofocus] (else its × close button) after React's autoFocus.
        data-autofocus={autoFocus ? true : undefined}
        value={search.text}
        onChange={(e) => search.setText(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        rightSection={results.isFetching && search.ready ? <Loader size="xs" aria-label="Searching" /> : null}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open ? optionId(active) : undefined}
      />
      {search.ready && results.isSuccess && !results.isFetching && hits.length === 0 && (
        <Text c="dimmed" size="sm" role="status">
          {noMatch(search.query)}
        </Text>
      )}
      <HitList {...list} hits={hits} listId={listId} optionId={optionId} active={active} onHover={(i) => setCursor({ query: search.query, index: i })} onChoose={pick} />
    </Stack>
  );
}

function HitList<T>({ hits, listId, optionId, active, onHover, onChoose, variant, listLabel, hitKey, renderHit }: Pick<SearchAsYouTypeProps<T>, 'variant' | 'listLabel' | 'hitKey' | 'renderHit'> & {
  hits: readonly T[];
  listId: string;
  optionId: (i: number) => string;
  active: number;
  onHover: (i: number) => void;
  onChoose: (hit: T) => void;
}) {
  const options = hits.map((hit, i) => {
    const selected = i === active;
    const content = renderHit(hit);
    return (
      <UnstyledButton
        key={hitKey(hit)}
        id={optionId(i)}
        role="option"
        aria-selected={selected}
        display="block"
        w="100%"
        p={variant === 'rows' ? 4 : 0}
        bg={variant === 'rows' && selected ? 'teal.0' : undefined}
        onMouseEnter={() => onHover(i)}
        onClick={() => onChoose(hit)}
      >
        {variant === 'cards' ? (
          <Paper withBorder p="xs" bg={selected ? 'teal.0' : undefined}>
            {content}
          </Paper>
        ) : (
          content
        )}
      </UnstyledButton>
    );
  });
  // The listbox stays in the page while empty so the input's aria-controls always names it.
  if (variant === 'cards') {
    return (
      <Stack gap={4} id={listId} role="listbox" aria-label={listLabel}>
        {options}
      </Stack>
    );
  }
  return (
    <Paper withBorder={hits.length > 0} id={listId} role="listbox" aria-label={listLabel}>
      {options}
    </Paper>
  );
}
