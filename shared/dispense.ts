import type { PrescriptionItem } from './clinical';
import { parseFrequency } from './dosage';

/**
 * How much to dispense, worked out the way a pharmacist would check it: tablets and capsules by
 * count (when the dose is one amount in tablets or capsules); liquids in bottles of the pack size
 * (the ml total when the pack is not known); insulin and other unit doses in pens or vials when the
 * pack's units are known; tapering steps step by step; SOS from its maximum a day. Null where a
 * pharmacist must judge. Pure, no I/O.
 */

export interface Dispense {
  quantity: number;
  /** null: units of the form (tablets, capsules); else "ml", "bottle of 100 ml", "pen of 300 IU". */
  unit: string | null;
}

export type DispenseInput = Pick<PrescriptionItem, 'form' | 'dose' | 'frequency' | 'durationDays'> &
  Partial<Pick<PrescriptionItem, 'steps' | 'maxPerDay' | 'packSize' | 'strength'>>;

const TABLETS = /tablet|capsule|\btab\b|\bcap\b/i;
const LIQUIDS = /syrup|suspension|drops?\b|solution|liquid|elixir|linctus|emulsion/i;
/** The usual pharmacy reckoning for a dropper: 20 drops to the ml. */
const DROPS_PER_ML = 20;
const FRACTIONS: Record<string, number> = { '½': 0.5, '¼': 0.25, '¾': 0.75 };
/**
 * A dose unit that counts tablets or capsules (the English and Hindi words the printout knows). A
 * dose in mg or ml, or a range ("1-2 tab", "1 to 2", "1 or 2": its unit then starts with the rest of
 * the range), is not a count: multiplying "500 mg" would bill 7500 tablets.
 */
const COUNT_UNIT = /^(?:|tabs?\.?|tablets?|caps?\.?|capsules?|गोली|कैप्सूल)$/iu;

/** "1 tab" → 1 and "tab", "½ tab", "2.5 ml", "1/2 tab", "10 units"; null when the dose has no leading amount. */
export function doseAmount(dose: string): { amount: number; unit: string } | null {
  const m = /^\s*(\d+(?:\.\d+)?)?\s*([½¼¾])?(?:\/(\d+))?\s*(.*)$/u.exec(dose);
  if (!m || (m[1] === undefined && m[2] === undefined)) return null;
  let amount = Number(m[1] ?? 0) + (FRACTIONS[m[2] ?? ''] ?? 0);
  if (m[3] !== undefined) amount = Number(m[3]) === 0 ? NaN : amount / Number(m[3]);
  if (!Number.isFinite(amount) || amount <= 0) return null;
  return { amount, unit: (m[4] ?? '').trim() };
}

/** Doses in all (a 1-0-1 pattern's parts count as doses: 2-0-2 is 4 a day); null when it cannot be known. */
export function dosesInAll(item: DispenseInput): number | null {
  if (item.steps && item.steps.length > 0) {
    let sum = 0;
    for (const s of item.steps) {
      const perDay = parseFrequency(s.frequency)?.perDay;
      if (!perDay) return null;
      sum += perDay * s.days;
    }
    return sum;
  }
  if (!item.durationDays) return null;
  const freq = parseFrequency(item.frequency);
  if (freq?.perDay) return freq.perDay * item.durationDays;
  if (freq?.en === 'when needed' && item.maxPerDay) return item.maxPerDay * item.durationDays;
  return null;
}

interface Pack {
  ml: number | null;
  units: number | null;
  container: string | null;
}

/** "100 ml", "60 ml bottle", "3 ml pen", "10 ml vial", "300 IU pen"; "10's" has neither. */
export function parsePack(packSize: string | null | undefined): Pack {
  const text = (packSize ?? '').toLowerCase();
  const ml = /(\d+(?:\.\d+)?)\s*ml\b/.exec(text);
  const units = /(\d+)\s*(?:iu|units?)\b/.exec(text);
  const container = /\b(bottle|pen|vial|cartridge|penfill)\b/.exec(text);
  return { ml: ml ? Number(ml[1]) : null, units: units ? Number(units[1]) : null, container: container?.[1] ?? null };
}

/** "40 IU/ml" → 40; null when the strength is not per ml in units. */
function unitsPerMl(strength: string | null | undefined): number | null {
  const m = /(\d+(?:\.\d+)?)\s*(?:iu|units?|u)\s*\/\s*ml/i.exec(strength ?? '');
  return m ? Number(m[1]) : null;
}

const num = (n: number) => String(Math.round(n * 100) / 100);

function liquid(total: number, unit: string, pack: Pack): Dispense | null {
  const perDrop = /^drops?\b/i.test(unit);
  if (!perDrop && !/^ml\b/i.test(unit)) return null;
  if (pack.ml) {
    const perPack = perDrop ? pack.ml * DROPS_PER_ML : pack.ml;
    return { quantity: Math.ceil(total / perPack - 1e-9), unit: `${pack.container ?? 'bottle'} of ${num(pack.ml)} ml` };
  }
  return perDrop ? null : { quantity: Math.ceil(total - 1e-9), unit: 'ml' };
}

function unitDoses(total: number, item: DispenseInput, pack: Pack): Dispense | null {
  const perMl = unitsPerMl(item.strength);
  const perPack = pack.units ?? (pack.ml && perMl ? pack.ml * perMl : null);
  if (!perPack) return null;
  return { quantity: Math.ceil(total / perPack - 1e-9), unit: `${pack.container ?? 'vial'} of ${num(perPack)} IU` };
}

/** What to dispense, or null where a pharmacist judges (creams, SOS without a maximum, a dose "as advised", a tablet's dose in mg or a range). */
export function dispenseOf(item: DispenseInput): Dispense | null {
  const doses = dosesInAll(item);
  const dose = doseAmount(item.dose);
  if (doses === null || dose === null) return null;
  const total = doses * dose.amount;
  if (TABLETS.test(item.form)) return COUNT_UNIT.test(dose.unit) ? { quantity: Math.ceil(total - 1e-9), unit: null } : null;
  if (/^(units?|iu|u)\b/i.test(dose.unit)) return unitDoses(total, item, parsePack(item.packSize));
  if (LIQUIDS.test(item.form)) return liquid(total, dose.unit, parsePack(item.packSize));
  return null;
}

/** "21", "1 bottle of 100 ml", "2 bottles of 60 ml", "75 ml", "3 pens of 300 IU". */
export function quantityText(q: { quantity: number | null; quantityUnit?: string | null | undefined }): string | null {
  if (q.quantity === null) return null;
  const unit = q.quantityUnit?.trim();
  if (!unit) return String(q.quantity);
  const plural = q.quantity === 1 || /^(ml|iu)$/i.test(unit) ? unit : unit.replace(/^(\w+)/, '$1s');
  return `${q.quantity} ${plural}`;
}
