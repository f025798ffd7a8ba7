import { Badge, TextInput } from '@mantine/core';
import { useState } from 'react';
import { flagOf, isCritical, numericValue } from '../../../shared/lab-ranges';
import { call } from '../api/client';
import type { LabRow } from './LabScreen';

/** Every result box on the screen, in order: Enter in one saves it and moves to the next. */
const SELECTOR = 'input[data-lab-result]';

/** Focuses the box of this order once the list has redrawn (it may have moved to another section). */
function focusLater(orderId: string | undefined, tries = 20): void {
  if (!orderId) return;
  const el = document.querySelector<HTMLInputElement>(`input[data-lab-result="${orderId}"]`);
  if (el) {
    el.focus();
    el.select();
  } else if (tries > 0) setTimeout(() => focusLater(orderId, tries - 1), 100);
}

/** A result typed in place: red with H/L (and "critical") while it is out of the patient's range. */
export function ResultInput({ row, onMessage }: { row: LabRow; onMessage: (m: { ok: boolean; text: string }) => void }) {
  const [value, setValue] = useState(row.result?.value ?? '');
  const [error, setError] = useState<string | null>(null);
  const typed = value.trim();
  const flag = row.numeric ? flagOf(typed, row.referenceRange) : null;
  const critical = row.numeric && isCritical(row.testCode, typed);
  // An outside lab's report stands for the value: words ("See attached report") are not a mistake then.
  const attached = row.result?.attachmentId ?? null;
  const notNumber = row.numeric && !attached && typed !== '' && numericValue(typed) === null;
  const save = async (input: HTMLInputElement) => {
    const boxes = [...document.querySelectorAll<HTMLInputElement>(SELECTOR)];
    const next = boxes[boxes.indexOf(input) + 1]?.dataset.labResult;
    if (typed === '' || typed === row.result?.value) {
      focusLater(next);
      return;
    }
    // A corrected text keeps the outside report it was given with.
    const r = await call('labs.recordResult', { orderId: row.orderId, value: typed, attachmentId: attached });
    if (!r.ok) {
      setError(r.error.fields?.value ?? r.error.message);
      return;
    }
    setError(null);
    onMessage({ ok: true, text: `${row.testName} for ${row.patientName}: ${typed} ${row.unit ?? ''}${r.value.flag ? ` (${r.value.flag}${r.value.critical ? ', critical' : ''})` : ''} saved.` });
    focusLater(next);
  };
  return (
    <TextInput
      size="xs"
      w={170}
      data-lab-result={row.orderId}
      aria-label={`Result: ${row.testName} for ${row.patientName}`}
      placeholder={row.numeric ? `Number${row.unit ? ` (${row.unit})` : ''}` : 'Result'}
      value={value}
      onChange={(e) => setValue(e.currentTarget.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          void save(e.currentTarget);
        }
      }}
      description={attached ? 'Outside lab report attached' : undefined}
      error={error ?? (notNumber ? 'A number, e.g. 12.5' : (flag ?? critical) ? true : undefined)}
      styles={flag || critical ? { input: { fontWeight: 700, color: 'var(--mantine-color-red-8)' } } : undefined}
      rightSectionWidth={flag || critical ? 70 : undefined}
      rightSection={
        flag || critical ? (
          <Badge size="xs" color="red" variant={critical ? 'filled' : 'light'} data-testid="flag">
            {flag}
            {critical ? ' crit' : ''}
          </Badge>
        ) : (
          row.unit && <span style={{ fontSize: 11, color: 'var(--mantine-color-dimmed)' }}>{row.unit}</span>
        )
      }
    />
  );
}
