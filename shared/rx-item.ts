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

/**
 * The item once the doctor leaves the frequency box: a taper of one step typed there ("1-0-1 x5")
 * is just a frequency and its days, so it is kept as "1-0-1" with 5 in Days, which the doctor may
 * then change; anything else as it is (the same object). Not done while typing: "1-0-1 x1" may be
 * on its way to "x14", "4-0-0 x3" to a taper of three steps.
 */
export function settledItem(it: PrescriptionItem): PrescriptionItem {
  if ((it.steps && it.steps.length > 0) || !looksLikeSteps(it.frequency)) return it;
  const typed = parseSteps(it.frequency);
  if (!typed.ok || typed.steps.length !== 1) return it;
  return { ...it, frequency: typed.steps[0]!.frequency, durationDays: typed.steps[0]!.days };
}

/**
 * An item after the doctor changed part of it. A frequency being typed is read afresh (a taper's
 * steps come from it, "4-0-0 x3, 2-0-0 x3") and kept as typed; days, steps and the quantity follow
 * (as the workstation does on save). Any other field means the frequency box was left: a one-step
 * taper there is settled first, so Days typed after "1-0-1 x5" is not read back as 5 from it. A
 * maximum a day goes with SOS.
 */
export function revisedItem(it: PrescriptionItem, patch: Partial<PrescriptionItem>): PrescriptionItem {
  const base = patch.frequency === undefined ? settledItem(it) : it;
  // A quantity follows the dose: once the dose changes, one that cannot be worked out is left to the pharmacist.
  const dosing = ['dose', 'frequency', 'durationDays', 'maxPerDay'].some((k) => k in patch);
  const next: PrescriptionItem = { ...base, ...(dosing ? { quantity: null, quantityUnit: null } : {}), ...patch };
  if (patch.frequency !== undefined) {
    next.steps = null;
    if (parseFrequency(patch.frequency)?.en !== 'when needed') next.maxPerDay = null;
  }
  const prepared = prepareItem(next);
  return prepared.ok ? { ...prepared.item, frequency: next.frequency } : next;
}
