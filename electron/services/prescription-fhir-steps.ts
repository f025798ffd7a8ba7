import type { PrescriptionItem } from '../../db/schema';
import { doseAmount } from '../../shared/dispense';
import { amountText } from '../../shared/dose-words';
import { parseFrequency } from '../../shared/dosage';
import { UCUM, type Json } from './fhir';

/* The FHIR side of stepped doses and quantities in packs (used by prescription-fhir.ts). */

/**
 * The item as one Dosage per step: each step an item of its own with the step's frequency and
 * days. Where a step gives the same amount at each time ("4-0-0" of "1 tab"), the amount moves into
 * the dose ("4 tab", "1-0-0") so the FHIR dose quantity is what is taken each time. An item
 * without steps is itself.
 */
export function stepItems(item: PrescriptionItem): PrescriptionItem[] {
  if (!item.steps || item.steps.length === 0) return [item];
  const per = doseAmount(item.dose);
  return item.steps.map((step) => {
    const base = { ...item, steps: null, frequency: step.frequency, durationDays: step.days };
    const tokens = (parseFrequency(step.frequency)?.shorthand ?? '').split('-');
    const amounts = tokens.map((t) => doseAmount(t)?.amount ?? 0).filter((a) => a > 0);
    const k = amounts[0];
    if (!per || tokens.length < 3 || k === undefined || amounts.some((a) => a !== k)) return base;
    const dose = [amountText(k * per.amount), per.unit].filter((s) => s !== '').join(' ');
    return { ...base, dose, frequency: tokens.map((t) => ((doseAmount(t)?.amount ?? 0) > 0 ? '1' : '0')).join('-') };
  });
}

/** The quantity to dispense, with its unit where it is not a count of the form: "ml" in UCUM, packs by name. */
export function dispenseQuantity(item: PrescriptionItem): Json {
  const unit = item.quantityUnit?.trim();
  if (!unit) return { value: item.quantity };
  if (unit === 'ml') return { value: item.quantity, unit: 'ml', system: UCUM, code: 'mL' };
  return { value: item.quantity, unit };
}
