import { ActionIcon, Alert, Badge, Button, Group, Kbd, Modal, NativeSelect, NumberInput, Paper, Stack, Table, Text, TextInput, Textarea, UnstyledButton } from '@mantine/core';
import { useDebouncedValue, useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef, useState } from 'react';
import type { PrescriptionItem, Timing } from '../../../shared/clinical';
import { frequencyWords, quantityOf } from '../../../shared/dosage';
import { call, type Output } from '../api/client';
import { useMethod } from '../api/hooks';
import { PrintPanel } from './PrintPanel';

type Drug = Output<'formulary.search'>[number];
type Warning = Output<'prescriptions.check'>[number];
const TIMINGS: { value: Timing; label: string }[] = [
  { value: 'after-food', label: 'After food' },
  { value: 'before-food', label: 'Before food' },
  { value: 'with-food', label: 'With food' },
  { value: 'empty-stomach', label: 'Empty stomach' },
  { value: 'bedtime', label: 'At bedtime' },
  { value: 'any', label: 'Any time' },
];
const AUTOSAVE_MS = 600;

function itemFrom(drug: Drug): PrescriptionItem {
  const item: PrescriptionItem = {
    drugId: drug.id,
    genericName: drug.genericName,
    brand: drug.brandNames[0] ?? null,
    form: drug.form,
    strength: drug.strength,
    route: drug.route,
    dose: drug.defaults.dose ?? '1',
    frequency: drug.defaults.frequency ?? '1-0-1',
    timing: 'after-food',
    durationDays: drug.defaults.durationDays ?? 5,
    quantity: null,
    instructions: null,
    instructionsHi: null,
    acknowledged: [],
  };
  return { ...item, quantity: quantityOf(item) };
}

/**
 * The prescription for a visit, keyboard first: type a generic or brand, Enter adds it with its
 * usual dose, then Tab through dose, frequency (1-0-1), timing and days. Safety warnings must be
 * acknowledged before an item stays. Saved as the doctor types; locked once printed.
 */
export function PrescriptionBuilder({ visitId, diagnosisCodes }: { visitId: string; diagnosisCodes: string[] }) {
  const data = useMethod('prescriptions.get', { visitId });
  if (!data.data) return <Text c="dimmed">{data.error?.message ?? 'Loading…'}</Text>;
  return <Builder key={visitId} visitId={visitId} initial={data.data.prescription} diagnosisCodes={diagnosisCodes} />;
}

function Builder({ visitId, initial, diagnosisCodes }: { visitId: string; initial: Output<'prescriptions.get'>['prescription']; diagnosisCodes: string[] }) {
  const [items, setItems] = useState<PrescriptionItem[]>(initial?.items ?? []);
  const [advice, setAdvice] = useState(initial?.advice ?? '');
  const [adviceHi, setAdviceHi] = useState(initial?.adviceHi ?? '');
  const [saveState, setSaveState] = useState<string>(initial ? 'Saved' : '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pendingDrug, setPendingDrug] = useState<{ item: PrescriptionItem; warnings: Warning[] } | null>(null);
  const dirty = useRef(false);
  const printed = initial?.status === 'printed';
  const favourites = useMethod('prescriptions.favourites', {});
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!dirty.current || printed) return;
    setSaveState('Unsaved changes');
    const t = setTimeout(() => void save(), AUTOSAVE_MS);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- autosave follows the edited values only; save() reads the latest of everything else
  }, [items, advice, adviceHi]);

  async function save(): Promise<boolean> {
    setSaveState('Saving…');
    const r = await call('prescriptions.save', { visitId, items, advice, adviceHi });
    if (!r.ok) {
      setErrors(r.error.fields ?? {});
      setSaveState(`Not saved: ${r.error.message}`);
      return false;
    }
    dirty.current = false;
    setErrors({});
    setSaveState(`Saved · ${r.value.rxNumber}`);
    return true;
  }

  function change(next: PrescriptionItem[]) {
    dirty.current = true;
    setItems(next);
  }

  async function add(item: PrescriptionItem) {
    const check = await call('prescriptions.check', { visitId, item: { drugId: item.drugId, genericName: item.genericName }, others: items });
    if (!check.ok) return notifications.show({ color: 'red', message: check.error.message });
    if (check.value.length > 0) return setPendingDrug({ item, warnings: check.value });
    change([...items, item]);
    setTimeout(() => document.querySelector<HTMLInputElement>(`[data-item="${items.length}"][data-field="dose"]`)?.focus(), 50);
  }

  function update(i: number, patch: Partial<PrescriptionItem>) {
    change(items.map((it, j) => (j === i ? { ...it, ...patch, quantity: quantityOf({ ...it, ...patch }) ?? (patch.quantity !== undefined ? patch.quantity : it.quantity) } : it)));
  }

  async function repeatLast() {
    const r = await call('prescriptions.last', { visitId });
    if (!r.ok) return notifications.show({ color: 'red', message: r.error.message });
    if (!r.value) return notifications.show({ message: 'No earlier prescription for this patient.' });
    for (const item of r.value.items) await add(item);
    if (!advice && r.value.advice) setAdvice(r.value.advice);
  }

  async function saveAsFavourite(kind: 'drug' | 'diagnosis') {
    const key = kind === 'drug' ? (items.at(-1)?.drugId ?? '') : (diagnosisCodes[0] ?? '');
    if (!key) return notifications.show({ color: 'orange', message: kind === 'drug' ? 'Add a drug first.' : 'Pick an ICD-10 diagnosis first.' });
    const chosen = kind === 'drug' ? items.slice(-1) : items;
    const r = await call('prescriptions.saveFavourite', { kind, key, name: kind === 'drug' ? chosen[0]!.genericName : `For ${key}`, items: chosen });
    notifications.show(r.ok ? { color: 'teal', message: `Saved “${r.value.name}”.` } : { color: 'red', message: r.error.message });
  }

  useHotkeys([['alt+D', () => searchRef.current?.focus()]], []);
  const suggested = (favourites.data ?? []).filter((f) => f.kind === 'diagnosis' && diagnosisCodes.includes(f.key));

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Group gap="xs">
          {printed ? <Badge color="gray">Printed · locked</Badge> : <Badge color="blue">Draft</Badge>}
          <Text size="xs" c={saveState.startsWith('Not saved') ? 'red' : 'dimmed'} data-testid="rx-save-state">
            {saveState}
          </Text>
        </Group>
        {!printed && (
          <Group gap="xs">
            <Button size="xs" variant="default" onClick={() => void repeatLast()}>
              Repeat last prescription
            </Button>
            <Button size="xs" variant="subtle" onClick={() => void saveAsFavourite('drug')}>
              ★ Favourite last drug
            </Button>
            <Button size="xs" variant="subtle" onClick={() => void saveAsFavourite('diagnosis')}>
              Save as set for diagnosis
            </Button>
          </Group>
        )}
      </Group>
      {!printed && suggested.length > 0 && (
        <Group gap="xs">
          <Text size="sm">For this diagnosis:</Text>
          {suggested.map((f) => (
            <Button key={f.id} size="compact-xs" variant="light" onClick={() => void (async () => { for (const i of f.items) await add(i); })()}>
              {f.name}
            </Button>
          ))}
        </Group>
      )}
      {!printed && <DrugSearch inputRef={searchRef} onPick={(d) => void add(itemFrom(d))} favourites={(favourites.data ?? []).filter((f) => f.kind === 'drug')} onFavourite={(i) => void add(i)} />}
      <Table withTableBorder aria-label="Prescription items">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>Drug</Table.Th>
            <Table.Th>Dose</Table.Th>
            <Table.Th>Frequency</Table.Th>
            <Table.Th>Timing</Table.Th>
            <Table.Th>Days</Table.Th>
            <Table.Th>Qty</Table.Th>
            <Table.Th>Instructions</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((it, i) => (
            <Table.Tr key={`${it.drugId}-${i}`} data-testid="rx-item" bg={errors[`items.${i}`] ? 'red.0' : undefined}>
              <Table.Td>{i + 1}</Table.Td>
              <Table.Td>
                <Text fw={700} size="sm">
                  {it.genericName.toUpperCase()} {it.strength ?? ''}
                </Text>
                <Text size="xs" c="dimmed">
                  {it.form}
                  {it.brand ? ` · ${it.brand}` : ''}
                  {it.acknowledged.length > 0 ? ' · warning acknowledged' : ''}
                </Text>
                {errors[`items.${i}`] && <Text size="xs" c="red">{errors[`items.${i}`]}</Text>}
              </Table.Td>
              <Table.Td>
                <TextInput size="xs" w={80} aria-label={`Item ${i + 1} dose`} data-item={i} data-field="dose" value={it.dose} readOnly={printed} onChange={(e) => update(i, { dose: e.currentTarget.value })} />
              </Table.Td>
              <Table.Td>
                <TextInput size="xs" w={90} aria-label={`Item ${i + 1} frequency`} value={it.frequency} readOnly={printed} onChange={(e) => update(i, { frequency: e.currentTarget.value })} />
                <Text size="xs" c="dimmed">
                  {frequencyWords(it.frequency, 'en')}
                </Text>
              </Table.Td>
              <Table.Td>
                <NativeSelect size="xs" aria-label={`Item ${i + 1} timing`} data={TIMINGS} value={it.timing} disabled={printed} onChange={(e) => update(i, { timing: e.currentTarget.value as Timing })} />
              </Table.Td>
              <Table.Td>
                <NumberInput size="xs" w={70} aria-label={`Item ${i + 1} days`} min={1} max={365} hideControls value={it.durationDays ?? ''} readOnly={printed} onChange={(v) => update(i, { durationDays: typeof v === 'number' ? v : null })} />
              </Table.Td>
              <Table.Td>{it.quantity ?? '—'}</Table.Td>
              <Table.Td>
                <TextInput size="xs" aria-label={`Item ${i + 1} instructions`} value={it.instructions ?? ''} readOnly={printed} onChange={(e) => update(i, { instructions: e.currentTarget.value || null })} />
                <TextInput size="xs" mt={2} aria-label={`Item ${i + 1} instructions in Hindi`} placeholder="हिंदी में निर्देश" value={it.instructionsHi ?? ''} readOnly={printed} onChange={(e) => update(i, { instructionsHi: e.currentTarget.value || null })} />
              </Table.Td>
              <Table.Td>
                {!printed && (
                  <ActionIcon variant="subtle" color="red" aria-label={`Remove item ${i + 1}`} onClick={() => change(items.filter((_, j) => j !== i))}>
                    ×
                  </ActionIcon>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group grow align="flex-start">
        <Textarea label="Advice" autosize minRows={2} value={advice} readOnly={printed} onChange={(e) => { dirty.current = true; setAdvice(e.currentTarget.value); }} />
        <Textarea label="Advice in Hindi" autosize minRows={2} value={adviceHi} readOnly={printed} onChange={(e) => { dirty.current = true; setAdviceHi(e.currentTarget.value); }} />
      </Group>
      <PrintPanel visitId={visitId} beforePrint={async () => (dirty.current ? save() : true)} printed={printed} />
      <Modal opened={pendingDrug !== null} onClose={() => setPendingDrug(null)} title="Check before adding" centered>
        {pendingDrug && (
          <Stack>
            <Text fw={700}>{pendingDrug.item.genericName.toUpperCase()}</Text>
            {pendingDrug.warnings.map((w) => (
              <Alert key={w.code} color="red" role="alert">
                {w.message}
              </Alert>
            ))}
            <Group>
              <Button
                color="red"
                onClick={() => {
                  change([...items, { ...pendingDrug.item, acknowledged: pendingDrug.warnings.map((w) => w.code) }]);
                  setPendingDrug(null);
                }}
              >
                I have checked: add anyway
              </Button>
              <Button variant="default" autoFocus onClick={() => setPendingDrug(null)}>
                Don't add
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

function DrugSearch({ onPick, inputRef, favourites, onFavourite }: {
  onPick: (d: Drug) => void;
  inputRef: React.Ref<HTMLInputElement>;
  favourites: Output<'prescriptions.favourites'>;
  onFavourite: (item: PrescriptionItem) => void;
}) {
  const [text, setText] = useState('');
  const [query] = useDebouncedValue(text.trim(), 100);
  const [active, setActive] = useState(0);
  const results = useMethod('formulary.search', { query, limit: 10 }, { enabled: query.length >= 2 });
  const hits = query.length >= 2 ? (results.data ?? []) : [];
  // eslint-disable-next-line react-hooks/set-state-in-effect -- a new query highlights its first hit again; one extra render
  useEffect(() => setActive(0), [query]);
  return (
    <Paper withBorder p="xs" component="section" aria-label="Add drug">
      <TextInput
        ref={inputRef}
        // Opening the prescription means writing one: the box is ready for the first keystroke.
        autoFocus
        label={
          <span>
            Add drug <Kbd size="xs">Alt+D</Kbd>
          </span>
        }
        placeholder="Generic or brand name, e.g. amox, crocin, para 500"
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, hits.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter' && hits[active]) {
            e.preventDefault();
            onPick(hits[active]);
            setText('');
          }
        }}
      />
      {hits.length > 0 && (
        <Stack gap={0} role="listbox" aria-label="Drug matches" mt={4}>
          {hits.map((d, i) => (
            <UnstyledButton key={d.id} role="option" aria-selected={i === active} p={4} bg={i === active ? 'teal.0' : undefined} onClick={() => { onPick(d); setText(''); }}>
              <Text size="sm">
                <b>{d.genericName.toUpperCase()}</b> {d.strength ?? ''} {d.form}
                {d.brandNames.length > 0 && <Text span c="dimmed" size="xs">{` (${d.brandNames.join(', ')})`}</Text>}
                {d.schedule && <Badge ml={6} size="xs" color="grape">Sch {d.schedule}</Badge>}
              </Text>
            </UnstyledButton>
          ))}
        </Stack>
      )}
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
