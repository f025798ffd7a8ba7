import type { DoseStep, PrescriptionItem } from './clinical';
import { doseAmount } from './dispense';
import { durationWords, parseFrequency, type DosageLang } from './dosage';

/**
 * Stepped doses and SOS limits in words, for the screen, the printed prescription (English and
 * Hindi) and the FHIR text: "4 tab morning for 3 days, then 2 tab morning for 3 days, then 1 tab
 * morning for 3 days"; "at most 3 a day". Pure, no I/O.
 */

const SLOTS_EN = { 3: ['morning', 'afternoon', 'night'], 4: ['morning', 'afternoon', 'evening', 'night'] };
const SLOTS_HI = { 3: ['सुबह', 'दोपहर', 'रात'], 4: ['सुबह', 'दोपहर', 'शाम', 'रात'] };
/** Dose units the patient reads in Hindi; others print as written. */
const UNITS_HI: Record<string, string> = {
  tab: 'गोली', tabs: 'गोली', tablet: 'गोली', tablets: 'गोली',
  cap: 'कैप्सूल', caps: 'कैप्सूल', capsule: 'कैप्सूल', capsules: 'कैप्सूल',
  drop: 'बूँद', drops: 'बूँद', puff: 'पफ़', puffs: 'पफ़', unit: 'यूनिट', units: 'यूनिट',
};
const FRACTION_SIGNS: Record<number, string> = { 0.25: '¼', 0.5: '½', 0.75: '¾' };

/** 4 → "4", 0.5 → "½", 1.5 → "1½", 2.25 → "2¼". */
export function amountText(n: number): string {
  const whole = Math.floor(n);
  const sign = FRACTION_SIGNS[Math.round((n - whole) * 100) / 100];
  if (sign) return `${whole > 0 ? whole : ''}${sign}`;
  return String(Math.round(n * 100) / 100);
}

const join = (words: string[], and: string) => (words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} ${and} ${words[words.length - 1]}`);

/** One step's dose and times: "4 tab morning", "1 tab morning and night", "2 tab morning and 1 tab night", "1 tab twice a day". */
function stepDose(step: DoseStep, dose: string, lang: DosageLang): string {
  const per = doseAmount(dose);
  const unit = lang === 'hi' && per ? (UNITS_HI[per.unit.toLowerCase()] ?? per.unit) : (per?.unit ?? '');
  const amount = (k: number) => [amountText(k * (per?.amount ?? 1)), unit].filter((s) => s !== '').join(' ');
  const freq = parseFrequency(step.frequency);
  const tokens = (freq?.shorthand ?? '').includes('-') ? (freq?.shorthand ?? '').split('-') : null;
  if (!freq || !tokens || (tokens.length !== 3 && tokens.length !== 4)) {
    const words = lang === 'hi' ? (freq?.hi ?? '') : (freq?.en ?? step.frequency);
    return lang === 'hi' ? `${words} ${amount(1)}`.trim() : `${amount(1)} ${words}`.trim();
  }
  const slots = (lang === 'hi' ? SLOTS_HI : SLOTS_EN)[tokens.length];
  const taken = tokens.map((t, i) => ({ k: doseAmount(t)?.amount ?? 0, slot: slots[i] ?? '' })).filter((s) => s.k > 0);
  const and = lang === 'hi' ? 'और' : 'and';
  const same = taken.every((s) => s.k === taken[0]?.k);
  if (same) {
    const slotWords = join(taken.map((s) => s.slot), and);
    return lang === 'hi' ? `${slotWords} ${amount(taken[0]?.k ?? 1)}` : `${amount(taken[0]?.k ?? 1)} ${slotWords}`;
  }
  return join(taken.map((s) => (lang === 'hi' ? `${s.slot} ${amount(s.k)}` : `${amount(s.k)} ${s.slot}`)), and);
}

/**
 * The steps in words, or null for an item without steps. English: "4 tab morning for 3 days,
 * then 2 tab morning for 3 days"; Hindi: "सुबह 4 गोली, 3 दिन तक; फिर सुबह 2 गोली, 3 दिन तक".
 */
export function stepsWords(item: Pick<PrescriptionItem, 'dose' | 'steps'>, lang: DosageLang): string | null {
  if (!item.steps || item.steps.length === 0) return null;
  const words = item.steps.map((s) => (lang === 'hi' ? `${stepDose(s, item.dose, 'hi')}, ${durationWords(s.days, 'hi')}` : `${stepDose(s, item.dose, 'en')} ${durationWords(s.days, 'en')}`));
  return lang === 'hi' ? words.join('; फिर ') : words.join(', then ');
}

/** "at most 3 a day" / "दिन में अधिकतम 3 बार"; null when the item has no maximum. */
export function maxPerDayWords(item: Pick<PrescriptionItem, 'maxPerDay'>, lang: DosageLang): string | null {
  if (!item.maxPerDay) return null;
  return lang === 'hi' ? `दिन में अधिकतम ${item.maxPerDay} बार` : `at most ${item.maxPerDay} a day`;
}
