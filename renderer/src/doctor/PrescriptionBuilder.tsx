import { Badge, Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useRef, useState } from 'react';
import type { PrescriptionItem } from '../../../shared/clinical';
import { prepareItem } from '../../../shared/rx-item';
import { call, type Output } from '../api/client';
import { useMethod } from '../api/hooks';
import { DrugSearch, type Drug } from './DrugSearch';
import { DrugWarningModal, type PendingDrug } from './DrugWarningModal';
import { PrescriptionItems } from './PrescriptionItems';
import { PrintPanel } from './PrintPanel';
import { usePrescriptionDraft } from './usePrescriptionDraft';

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
    ...(drug.packSize ? { packSize: drug.packSize } : {}),
  };
  const prepared = prepareItem(item);
  return prepared.ok ? prepared.item : item;
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
  const draft = usePrescriptionDraft(visitId, initial);
  const { items, printed } = draft;
  const [pendingDrug, setPendingDrug] = useState<PendingDrug | null>(null);
  const favourites = useMethod('prescriptions.favourites', {});
  const searchRef = useRef<HTMLInputElement>(null);
  useHotkeys([
    ['alt+D', () => searchRef.current?.focus()],
    // Ctrl+P prints, as everywhere else, through the print panel's own button (it saves first);
    // never while a drug warning waits for an answer (the drug would be left off the print).
    ['mod+P', () => pendingDrug === null && [...document.querySelectorAll<HTMLButtonElement>('[aria-label="Print prescription"] button')].find((b) => b.textContent === 'Print')?.click()],
  ], []);

  async function add(item: PrescriptionItem) {
    const check = await call('prescriptions.check', { visitId, item: { drugId: item.drugId, genericName: item.genericName }, others: items });
    if (!check.ok) return notifications.show({ color: 'red', message: check.error.message });
    if (check.value.length > 0) return setPendingDrug({ item, warnings: check.value });
    draft.append(item);
    setTimeout(() => document.querySelector<HTMLInputElement>(`[data-item="${items.length}"][data-field="dose"]`)?.focus(), 50);
  }
  const addAll = async (list: PrescriptionItem[]) => {
    for (const item of list) await add(item);
  };

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Group gap="xs">
          {printed ? <Badge color="gray">Printed · locked</Badge> : <Badge color="blue">Draft</Badge>}
          <Text size="xs" c={draft.saveState.startsWith('Not saved') ? 'red' : 'dimmed'} data-testid="rx-save-state">
            {draft.saveState}
          </Text>
        </Group>
        {!printed && <RxActions visitId={visitId} items={items} diagnosisCodes={diagnosisCodes} addAll={addAll} advice={draft.advice} setAdvice={draft.setAdvice} />}
      </Group>
      {!printed && <DiagnosisSets favourites={favourites.data ?? []} diagnosisCodes={diagnosisCodes} addAll={addAll} />}
      {!printed && <DrugSearch visitId={visitId} inputRef={searchRef} onPick={(d) => void add(itemFrom(d))} favourites={(favourites.data ?? []).filter((f) => f.kind === 'drug')} onFavourite={(i) => void add(i)} />}
      <PrescriptionItems items={items} errors={draft.errors} printed={printed} onUpdate={draft.update} onSettle={draft.settle} onRemove={draft.remove} />
      <Group grow align="flex-start">
        <Textarea label="Advice" autosize minRows={2} value={draft.advice} readOnly={printed} onChange={(e) => draft.setAdvice(e.currentTarget.value)} />
        <Textarea label="Advice in Hindi" autosize minRows={2} value={draft.adviceHi} readOnly={printed} onChange={(e) => draft.setAdviceHi(e.currentTarget.value)} />
      </Group>
      <PrintPanel visitId={visitId} beforePrint={draft.saveIfDirty} printed={printed} />
      <DrugWarningModal pending={pendingDrug} onAdd={draft.append} onClose={() => setPendingDrug(null)} />
    </Stack>
  );
}

/** Repeat the patient's last prescription, or keep the last drug or the whole set as a favourite. */
function RxActions({ visitId, items, diagnosisCodes, addAll, advice, setAdvice }: {
  visitId: string;
  items: PrescriptionItem[];
  diagnosisCodes: string[];
  addAll: (items: PrescriptionItem[]) => Promise<void>;
  advice: string;
  setAdvice: (text: string) => void;
}) {
  async function repeatLast() {
    const r = await call('prescriptions.last', { visitId });
    if (!r.ok) return notifications.show({ color: 'red', message: r.error.message });
    if (!r.value) return notifications.show({ message: 'No earlier prescription for this patient.' });
    await addAll(r.value.items);
    if (!advice && r.value.advice) setAdvice(r.value.advice);
  }

  async function saveAsFavourite(kind: 'drug' | 'diagnosis') {
    const key = kind === 'drug' ? (items.at(-1)?.drugId ?? '') : (diagnosisCodes[0] ?? '');
    if (!key) return notifications.show({ color: 'orange', message: kind === 'drug' ? 'Add a drug first.' : 'Pick an ICD-10 diagnosis first.' });
    const chosen = kind === 'drug' ? items.slice(-1) : items;
    const r = await call('prescriptions.saveFavourite', { kind, key, name: kind === 'drug' ? chosen[0]!.genericName : `For ${key}`, items: chosen });
    notifications.show(r.ok ? { color: 'teal', message: `Saved “${r.value.name}”.` } : { color: 'red', message: r.error.message });
  }

  return (
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
  );
}

/** The favourite sets saved for the visit's diagnoses, one button each. */
function DiagnosisSets({ favourites, diagnosisCodes, addAll }: { favourites: Output<'prescriptions.favourites'>; diagnosisCodes: string[]; addAll: (items: PrescriptionItem[]) => Promise<void> }) {
  const suggested = favourites.filter((f) => f.kind === 'diagnosis' && diagnosisCodes.includes(f.key));
  if (suggested.length === 0) return null;
  return (
    <Group gap="xs">
      <Text size="sm">For this diagnosis:</Text>
      {suggested.map((f) => (
        <Button key={f.id} size="compact-xs" variant="light" onClick={() => void addAll(f.items)}>
          {f.name}
        </Button>
      ))}
    </Group>
  );
}
