import { ActionIcon, NativeSelect, NumberInput, Table, Text, TextInput } from '@mantine/core';
import type { PrescriptionItem, Timing } from '../../../shared/clinical';
import { quantityText } from '../../../shared/dispense';
import { stepsWords } from '../../../shared/dose-words';
import { frequencyWords, parseFrequency } from '../../../shared/dosage';
import { prepareItem } from '../../../shared/rx-item';

const TIMINGS: { value: Timing; label: string }[] = [
  { value: 'after-food', label: 'After food' },
  { value: 'before-food', label: 'Before food' },
  { value: 'with-food', label: 'With food' },
  { value: 'empty-stomach', label: 'Empty stomach' },
  { value: 'bedtime', label: 'At bedtime' },
  { value: 'any', label: 'Any time' },
];

interface ItemsProps {
  items: PrescriptionItem[];
  errors: Record<string, string>;
  printed: boolean;
  onUpdate: (i: number, patch: Partial<PrescriptionItem>) => void;
  /** The frequency box was left (a one-step taper there becomes a frequency and its days). */
  onSettle: (i: number) => void;
  onRemove: (i: number) => void;
}

/** The prescription's items as a table, one editable row each (read-only once printed). */
export function PrescriptionItems({ items, ...rest }: ItemsProps) {
  return (
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
          <ItemRow key={`${it.drugId}-${i}`} item={it} i={i} {...rest} />
        ))}
      </Table.Tbody>
    </Table>
  );
}

function ItemRow({ item: it, i, errors, printed, onUpdate, onSettle, onRemove }: Omit<ItemsProps, 'items'> & { item: PrescriptionItem; i: number }) {
  // What will be kept and printed: a taper's steps, days and quantity, or why the frequency is refused.
  const prepared = prepareItem(it);
  const shown = prepared.ok ? prepared.item : it;
  const error = errors[`items.${i}`] ?? (prepared.ok ? undefined : prepared.error);
  const update = (patch: Partial<PrescriptionItem>) => onUpdate(i, patch);
  const sos = parseFrequency(shown.frequency)?.en === 'when needed';
  return (
    <Table.Tr data-testid="rx-item" bg={error ? 'red.0' : undefined}>
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
        {error && <Text size="xs" c="red">{error}</Text>}
      </Table.Td>
      <Table.Td>
        <TextInput size="xs" w={80} aria-label={`Item ${i + 1} dose`} data-item={i} data-field="dose" value={it.dose} readOnly={printed} onChange={(e) => update({ dose: e.currentTarget.value })} />
      </Table.Td>
      <Table.Td>
        <TextInput
          size="xs"
          w={shown.steps ? 210 : 90}
          aria-label={`Item ${i + 1} frequency`}
          title="1-0-1, BD, SOS … or a taper: 4-0-0 x3, 2-0-0 x3, 1-0-0 x3"
          value={it.frequency}
          readOnly={printed}
          // Tabbing in selects the default: typing "0-0-1" (or "1-0-1 x5", days included) replaces it.
          onFocus={(e) => e.currentTarget.select()}
          onChange={(e) => update({ frequency: e.currentTarget.value })}
          onBlur={() => onSettle(i)}
        />
        <Text size="xs" c="dimmed" data-testid="rx-item-dosage">
          {stepsWords(shown, 'en') ?? frequencyWords(shown.frequency, 'en')}
        </Text>
        {sos && (
          <NumberInput size="xs" w={90} mt={2} aria-label={`Item ${i + 1} maximum a day`} placeholder="max/day" min={1} max={24} hideControls value={it.maxPerDay ?? ''} readOnly={printed} onChange={(v) => update({ maxPerDay: typeof v === 'number' ? v : null })} />
        )}
      </Table.Td>
      <Table.Td>
        <NativeSelect size="xs" aria-label={`Item ${i + 1} timing`} data={TIMINGS} value={it.timing} disabled={printed} onChange={(e) => update({ timing: e.currentTarget.value as Timing })} />
      </Table.Td>
      <Table.Td>
        {/* A taper's days are its steps' days. */}
        <NumberInput size="xs" w={70} aria-label={`Item ${i + 1} days`} min={1} max={365} hideControls onFocus={(e) => e.currentTarget.select()} value={shown.durationDays ?? ''} readOnly={printed || !!shown.steps} onChange={(v) => update({ durationDays: typeof v === 'number' ? v : null })} />
      </Table.Td>
      <Table.Td data-testid="rx-item-qty">{quantityText({ quantity: shown.quantity, quantityUnit: shown.quantityUnit }) ?? '—'}</Table.Td>
      <Table.Td>
        <TextInput size="xs" aria-label={`Item ${i + 1} instructions`} value={it.instructions ?? ''} readOnly={printed} onChange={(e) => update({ instructions: e.currentTarget.value || null })} />
        <TextInput size="xs" mt={2} aria-label={`Item ${i + 1} instructions in Hindi`} placeholder="हिंदी में निर्देश" value={it.instructionsHi ?? ''} readOnly={printed} onChange={(e) => update({ instructionsHi: e.currentTarget.value || null })} />
      </Table.Td>
      <Table.Td>
        {!printed && (
          <ActionIcon variant="subtle" color="red" aria-label={`Remove item ${i + 1}`} onClick={() => onRemove(i)}>
            ×
          </ActionIcon>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
