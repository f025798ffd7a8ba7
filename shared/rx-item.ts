import type { PrescriptionItem } from './clinical';
import { dispenseOf } from './dispense';
import { checkSteps, formatSteps, looksLikeSteps, parseSteps, stepsDays } from './dose-steps';
import { parseFrequency } from './dosage';

/**
 * A prescription item as it is kept: the editor runs this as the doctor types and the workstation
 * again on save, so both show and print the same. Steps are checked (or read from a frequency
 * typed as steps, "4-0-0 x3, 2-0-0 x3"); the frequency and days are then written from them so a
 * desk that predates steps still prints them; the quantity is worked out wherever it can be.
 * Fields added for steps, SOS limits and packs appear only when they carry something, so an item
 * without them stays as it was.
 */
export type PreparedItem = { ok: true; item: PrescriptionItem } | { ok: false; error: string };

function withoutNewFields(item: PrescriptionItem): PrescriptionItem {
  const { steps: _steps, maxPerDay: _max, quantityUnit: _unit, ...rest } = item;
  return rest;
}

export function prepareItem(input: PrescriptionItem): PreparedItem {
  let item = withoutNewFields(input);
  const typed = input.steps && input.steps.length > 0 ? checkSteps(input.steps) : looksLikeSteps(input.frequency) ? parseSteps(input.frequency) : null;
  if (typed && !typed.ok) return typed;
  if (typed?.ok && typed.steps.length === 1) {
    // One step is just a frequency and its days ("1-0-1 x5").
    item = { ...item, frequency: typed.steps[0]!.frequency, durationDays: typed.steps[0]!.days };
  } else if (typed?.ok) {
    item = { ...item, steps: typed.steps, frequency: formatSteps(typed.steps), durationDays: stepsDays(typed.steps) };
  }
  if (input.maxPerDay) {
    if (parseFrequency(item.frequency)?.en !== 'when needed') return { ok: false, error: 'Maximum a day: only for SOS (when needed) items' };
    if (!Number.isInteger(input.maxPerDay) || input.maxPerDay < 1 || input.maxPerDay > 24) return { ok: false, error: 'Maximum a day: 1 to 24 doses' };
    item = { ...item, maxPerDay: input.maxPerDay };
  }
  const dispense = dispenseOf(item);
  if (dispense) return { ok: true, item: { ...item, quantity: dispense.quantity, ...(dispense.unit ? { quantityUnit: dispense.unit } : {}) } };
  // Nothing to work out: the quantity as given (a pharmacist's judgement), with its unit if it had one.
  return { ok: true, item: { ...item, ...(input.quantity !== null && input.quantityUnit ? { quantityUnit: input.quantityUnit } : {}) } };
}
