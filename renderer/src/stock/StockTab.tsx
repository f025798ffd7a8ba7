import { Button, Grid, Paper, Stack, Table, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useMethod } from '../api/hooks';
import { BatchActionDialog, type BatchAction, type BatchRef } from './BatchActionDialog';
import { ItemPanel, itemLabel, type Item } from './ItemPanel';

/**
 * Stock on hand: batches below zero first (offline desks sold the same units: count and correct,
 * never hidden), then the items by name (type to search, ↓ and Enter or a click opens one) and
 * the chosen item's batches with their corrections and settings.
 */
export function StockTab({ today }: { today: string }) {
  const [text, setText] = useState('');
  const [query] = useDebouncedValue(text.trim(), 150);
  const items = useMethod('pharmacy.items', { query });
  // The item opened, kept as picked: every `changed` event refetches the list, and an item looked up
  // in the live list would vanish while it reloads (taking a reorder level being typed with it) or
  // become another drug when another desk adds one that sorts first.
  const [chosen, setChosen] = useState<Item | null>(null);
  const [action, setAction] = useState<{ batch: BatchRef; action: BatchAction } | null>(null);
  // Enter typed before the list answered what was typed opens the first item of THAT answer, never
  // of the list still shown for the earlier text (which would open another medicine's batches).
  const [enterFor, setEnterFor] = useState<string | null>(null);
  if (enterFor !== null && query === enterFor && !items.isFetching) {
    setEnterFor(null);
    const first = items.data?.[0];
    if (first) setChosen(first);
  }
  const choose = (picked: Item) => {
    setEnterFor(null);
    setChosen(picked);
  };
  // The latest figures of the item kept open, while the list has it; else as last seen.
  const item = chosen ? (items.data?.find((i) => i.drugId === chosen.drugId) ?? chosen) : null;
  const shown = item?.drugId ?? null;
  const onAction = (batch: BatchRef, a: BatchAction) => setAction({ batch, action: a });
  return (
    <Stack gap="sm">
      <NegativeStock onCount={(b) => onAction(b, 'count')} />
      <Grid>
        <Grid.Col span={5}>
          <TextInput label="Find an item" placeholder="Name, brand, barcode or batch" value={text} onChange={(e) => setText(e.currentTarget.value)} data-autofocus
            onKeyDown={(e) => {
              if (e.key === 'Enter') setEnterFor(text.trim());
            }} />
          <Paper withBorder mt={4} role="list" aria-label="Items in stock">
            {(items.data ?? []).map((i) => (
              <UnstyledButton key={i.drugId} role="listitem" display="block" w="100%" p={6} bg={i.drugId === shown ? 'teal.0' : undefined} onClick={() => choose(i)} aria-current={i.drugId === shown}>
                <Text size="sm" c={i.onHand < 0 ? 'red' : undefined}>
                  <b>{itemLabel(i)}</b> — {i.onHand} units{i.batches > 1 ? ` in ${i.batches} batches` : ''}
                </Text>
              </UnstyledButton>
            ))}
            {items.data?.length === 0 && <Text size="sm" c="dimmed" p={6}>{query ? `Nothing in stock matches “${query}”.` : 'Nothing in stock yet: enter a purchase.'}</Text>}
          </Paper>
        </Grid.Col>
        <Grid.Col span={7}>{item ? <ItemPanel key={item.drugId} item={item} today={today} onAction={onAction} /> : <Text c="dimmed" size="sm" mt="xl">Choose an item to see its batches.</Text>}</Grid.Col>
      </Grid>
      {action && <BatchActionDialog batch={action.batch} action={action.action} onClose={() => setAction(null)} />}
    </Stack>
  );
}

/** Batches the ledger says are below zero, shown first in red until someone counts the shelf and corrects them. */
function NegativeStock({ onCount }: { onCount: (b: BatchRef) => void }) {
  const negative = useMethod('pharmacy.negativeStock', {});
  if (!negative.data || negative.data.length === 0) return null;
  return (
    <Paper withBorder p="sm" bg="red.0" component="section" aria-label="Negative stock" style={{ borderColor: 'var(--mantine-color-red-6)' }}>
      <Title order={5} c="red">Negative stock: count and correct</Title>
      <Text size="xs" mb={4}>Desks sold the same units offline; both sales are kept. Count the shelf and correct the batch.</Text>
      <Table fz="sm">
        <Table.Tbody>
          {negative.data.map((b) => (
            <Table.Tr key={b.batchId}>
              <Table.Td>{b.drugName}</Table.Td><Table.Td>batch {b.batchNumber}</Table.Td><Table.Td>exp {b.expiry}</Table.Td>
              <Table.Td c="red" fw={700} ta="right">{b.onHand} units</Table.Td>
              <Table.Td><Button size="compact-xs" color="red" onClick={() => onCount({ batchId: b.batchId, label: b.drugName, batchNumber: b.batchNumber, onHand: b.onHand })}>Count and correct</Button></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
