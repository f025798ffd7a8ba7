import { describe, expect, it } from 'vitest';
import type { PrescriptionItem } from '../../shared/clinical';
import { dispenseOf, quantityText } from '../../shared/dispense';
import { formatSteps, looksLikeSteps, parseSteps, type DoseStep } from '../../shared/dose-steps';
import { maxPerDayWords, stepsWords } from '../../shared/dose-words';
import { prepareItem, revisedItem, settledItem } from '../../shared/rx-item';
import { prng } from '../helpers/prng';

const PREDNISOLONE: PrescriptionItem = {
  drugId: null,
  genericName: 'Prednisolone',
  brand: null,
  form: 'tablet',
  strength: '10 mg',
  route: 'oral',
  dose: '1 tab',
  frequency: '4-0-0 x3, 2-0-0 x3, 1-0-0 x3',
  timing: 'after-food',
  durationDays: 9,
  quantity: null,
  instructions: null,
  instructionsHi: null,
  acknowledged: [],
};

describe('parsing steps', () => {
  it('reads a taper as the doctor types it, in the usual spellings', () => {
    const taper = [
      { frequency: '4-0-0', days: 3 },
      { frequency: '2-0-0', days: 3 },
      { frequency: '1-0-0', days: 3 },
    ];
    expect(parseSteps('4-0-0 x3, 2-0-0 x3, 1-0-0 x3')).toEqual({ ok: true, steps: taper });
    expect(parseSteps('4-0-0 ×3; 2 - 0 - 0 x 3 days then 1-0-0 X3d')).toEqual({ ok: true, steps: taper });
    expect(parseSteps('bd x5, od for 5 days')).toEqual({ ok: true, steps: [{ frequency: 'BD', days: 5 }, { frequency: 'OD', days: 5 }] });
    expect(parseSteps('½-0-½ x2')).toEqual({ ok: true, steps: [{ frequency: '½-0-½', days: 2 }] });
    expect(parseSteps('1-0-1 x2w, OD for 1 week')).toEqual({ ok: true, steps: [{ frequency: '1-0-1', days: 14 }, { frequency: 'OD', days: 7 }] });
  });

  it('refuses garbage with a message naming the field and the step', () => {
    const error = (text: string) => {
      const r = parseSteps(text);
      if (r.ok) throw new Error(`"${text}" parsed`);
      return r.error;
    };
    expect(error('4-0-0 x3, 2-0-0 x')).toBe('Steps: step 2 ("2-0-0 x") needs its days, e.g. 2-0-0 x3');
    expect(error('4-0-0 x3, 2-0-0')).toBe('Steps: step 2 ("2-0-0") needs its days, e.g. 2-0-0 x3');
    expect(error('banana x3')).toBe('Steps: step 1 ("banana x3") has "banana", which is not a dose pattern with doses a day, such as 1-0-1 or BD (SOS cannot be a step)');
    expect(error('SOS x3')).toMatch(/SOS cannot be a step/);
    expect(error('1-0-1 x0')).toBe('Steps: step 1 ("1-0-1 x0") lasts 0 days: days must be 1 to 365');
    expect(error('1-0-1 x400')).toMatch(/days must be 1 to 365/);
    expect(error(' , ; ')).toMatch(/^Steps: write each step/);
    expect(error(Array.from({ length: 13 }, () => '1-0-0 x1').join(', '))).toBe('Steps: at most 12 steps');
  });

  it('tells steps from a plain frequency', () => {
    expect(looksLikeSteps('4-0-0 x3, 2-0-0 x3')).toBe(true);
    expect(looksLikeSteps('1-0-1 x5')).toBe(true);
    expect(looksLikeSteps('BD for 5 days')).toBe(true);
    for (const plain of ['1-0-1', 'BD', 'SOS', 'as directed', 'once a day', 'Q6H']) expect(looksLikeSteps(plain), plain).toBe(false);
  });

  it('round-trips: any steps written out read back the same, and reading is idempotent (seeded random tapers)', () => {
    const r = prng(16_2026);
    const amounts: string[] = ['0', '1', '2', '3', '4', '½', '1½'];
    const words = ['BD', 'OD', 'TDS', 'QID', 'HS', 'Q8H', 'once a day', 'twice a day', 'alternate days'];
    for (let n = 0; n < 500; n++) {
      const steps: DoseStep[] = Array.from({ length: r.int(1, 12) }, () => {
        const pattern = Array.from({ length: r.pick([3, 4]) }, () => r.pick(amounts));
        if (!pattern.some((a) => a !== '0')) pattern[0] = '1';
        return { frequency: r.next() < 0.7 ? pattern.join('-') : r.pick(words), days: r.int(1, 365) };
      });
      const text = formatSteps(steps);
      const parsed = parseSteps(text);
      expect(parsed, text).toEqual({ ok: true, steps });
      // Written loosely (spaces, ×, "then", "days"), it still reads the same.
      const loose = steps.map((s) => `${s.frequency.replace(/-/g, r.pick(['-', ' - ', '–']))} ${r.pick(['x', '×', 'X', 'for'])} ${s.days}${r.pick(['', 'd', ' days'])}`).join(r.pick([', ', '; ', ' then ']));
      expect(parseSteps(loose), loose).toEqual({ ok: true, steps });
    }
  });

  it('never throws on random text, and whatever it accepts writes out and reads back the same', () => {
    const r = prng(42);
    const alphabet = '0123456789-x×,; ½abdostqhS';
    for (let n = 0; n < 3000; n++) {
      const text = Array.from({ length: r.int(0, 30) }, () => alphabet[r.int(0, alphabet.length - 1)]).join('');
      const parsed = parseSteps(text);
      if (!parsed.ok) {
        expect(parsed.error, text).toMatch(/^Steps: /);
        continue;
      }
      expect(parseSteps(formatSteps(parsed.steps)), text).toEqual(parsed);
    }
  });
});

describe('stepped doses in words and quantities', () => {
  it('Prednisolone 4-0-0 ×3, 2-0-0 ×3, 1-0-0 ×3 of 1 tab: 21 tablets, step by step in English and Hindi', () => {
    const prepared = prepareItem(PREDNISOLONE);
    if (!prepared.ok) throw new Error(prepared.error);
    expect(prepared.item).toMatchObject({ quantity: 21, durationDays: 9, frequency: '4-0-0 x3, 2-0-0 x3, 1-0-0 x3' });
    expect(prepared.item.steps).toHaveLength(3);
    expect(prepared.item).not.toHaveProperty('quantityUnit');
    expect(stepsWords(prepared.item, 'en')).toBe('4 tab morning for 3 days, then 2 tab morning for 3 days, then 1 tab morning for 3 days');
    expect(stepsWords(prepared.item, 'hi')).toBe('सुबह 4 गोली, 3 दिन तक; फिर सुबह 2 गोली, 3 दिन तक; फिर सुबह 1 गोली, 3 दिन तक');
    expect(stepsWords({ dose: '1 tab', steps: [{ frequency: '2-0-1', days: 5 }, { frequency: '1-0-1', days: 5 }, { frequency: 'OD', days: 5 }] }, 'en')).toBe(
      '2 tab morning and 1 tab night for 5 days, then 1 tab morning and night for 5 days, then 1 tab once a day for 5 days',
    );
  });

  it('one step is just a frequency and its days; an item without steps is left as it was', () => {
    const one = prepareItem({ ...PREDNISOLONE, frequency: '1-0-1 x5' });
    expect(one).toEqual({ ok: true, item: { ...PREDNISOLONE, frequency: '1-0-1', durationDays: 5, quantity: 10 } });
    const plain = { ...PREDNISOLONE, frequency: '1-0-1', durationDays: 5, quantity: 10 };
    expect(prepareItem(plain)).toEqual({ ok: true, item: plain });
    expect(prepareItem({ ...PREDNISOLONE, frequency: '4-0-0 x3, banana x2' })).toEqual({ ok: false, error: expect.stringMatching(/^Steps: step 2/) });
  });

  it('liquids in bottles of the pack size, or the ml total when the pack is not known', () => {
    const syrup = { form: 'syrup', dose: '5 ml', frequency: '1-1-1', durationDays: 5 };
    expect(dispenseOf({ ...syrup, packSize: '100 ml' })).toEqual({ quantity: 1, unit: 'bottle of 100 ml' });
    expect(dispenseOf({ ...syrup, packSize: '60 ml' })).toEqual({ quantity: 2, unit: 'bottle of 60 ml' });
    expect(dispenseOf(syrup)).toEqual({ quantity: 75, unit: 'ml' });
    expect(dispenseOf({ form: 'suspension', dose: '2.5 ml', frequency: 'BD', durationDays: 5, packSize: '30 ml bottle' })).toEqual({ quantity: 1, unit: 'bottle of 30 ml' });
    expect(dispenseOf({ form: 'eye drops', dose: '1 drop', frequency: '1-1-1-1', durationDays: 7, packSize: '5 ml' })).toEqual({ quantity: 1, unit: 'bottle of 5 ml' });
    expect(dispenseOf({ form: 'eye drops', dose: '1 drop', frequency: '1-1-1-1', durationDays: 7 })).toBeNull();
    expect(quantityText({ quantity: 1, quantityUnit: 'bottle of 100 ml' })).toBe('1 bottle of 100 ml');
    expect(quantityText({ quantity: 2, quantityUnit: 'bottle of 60 ml' })).toBe('2 bottles of 60 ml');
    expect(quantityText({ quantity: 75, quantityUnit: 'ml' })).toBe('75 ml');
    expect(quantityText({ quantity: 21 })).toBe('21');
  });

  it('insulin in pens or vials when the pack says how many units it holds; otherwise left to the pharmacist', () => {
    const glargine = { form: 'injection', strength: '100 IU/ml', dose: '20 units', frequency: '0-0-1', durationDays: 30 };
    expect(dispenseOf({ ...glargine, packSize: '3 ml pen' })).toEqual({ quantity: 2, unit: 'pen of 300 IU' });
    expect(dispenseOf({ ...glargine, strength: '40 IU/ml', dose: '10 IU', frequency: '1-0-1', packSize: '10 ml vial' })).toEqual({ quantity: 2, unit: 'vial of 400 IU' });
    expect(dispenseOf({ ...glargine, packSize: '300 IU penfill' })).toEqual({ quantity: 2, unit: 'penfill of 300 IU' });
    expect(dispenseOf(glargine)).toBeNull();
    expect(dispenseOf({ ...glargine, dose: 'as advised (units)', packSize: '3 ml pen' })).toBeNull();
    expect(quantityText({ quantity: 2, quantityUnit: 'pen of 300 IU' })).toBe('2 pens of 300 IU');
  });

  it('SOS with a maximum a day: printed, and the quantity is the maximum × days; without one, left to the pharmacist', () => {
    const sos = { ...PREDNISOLONE, genericName: 'Paracetamol', frequency: 'SOS', durationDays: 3, quantity: null, maxPerDay: 3 };
    const prepared = prepareItem(sos);
    expect(prepared).toEqual({ ok: true, item: { ...sos, quantity: 9 } });
    expect(maxPerDayWords(sos, 'en')).toBe('at most 3 a day');
    expect(maxPerDayWords(sos, 'hi')).toBe('दिन में अधिकतम 3 बार');
    expect(dispenseOf({ ...sos, maxPerDay: null })).toBeNull();
    expect(prepareItem({ ...sos, frequency: '1-0-1' })).toEqual({ ok: false, error: 'Maximum a day: only for SOS (when needed) items' });
  });

  it('tablets and capsules as before; creams and doses without an amount left to the pharmacist', () => {
    expect(dispenseOf({ form: 'tablet', dose: '1 tab', frequency: '1-0-1', durationDays: 5 })).toEqual({ quantity: 10, unit: null });
    expect(dispenseOf({ form: 'capsule', dose: '2', frequency: '1-1-1', durationDays: 3 })).toEqual({ quantity: 18, unit: null });
    expect(dispenseOf({ form: 'tablet', dose: '½ tab', frequency: '1-0-1', durationDays: 5 })).toEqual({ quantity: 5, unit: null });
    expect(dispenseOf({ form: 'tablet', dose: '1', frequency: 'SOS', durationDays: 5 })).toBeNull();
    expect(dispenseOf({ form: 'tablet', dose: '1', frequency: '1-0-1', durationDays: null })).toBeNull();
    expect(dispenseOf({ form: 'cream', dose: 'thin layer', frequency: 'BD', durationDays: 7 })).toBeNull();
  });

  it('counts tablets only for a dose in tablets: "500 mg", "10 ml" or a range "1-2 tab" is left to the pharmacist, not billed as 7500 tablets', () => {
    const tds = { form: 'tablet', frequency: 'TDS', durationDays: 5 };
    for (const dose of ['500 mg', '10 ml', '1-2 tab', '1 to 2 tab', '1 or 2', '1 tab or 2']) expect(dispenseOf({ ...tds, dose }), dose).toBeNull();
    expect(dispenseOf({ ...tds, dose: '1 tab' })).toEqual({ quantity: 15, unit: null });
    expect(dispenseOf({ ...tds, dose: '1 Tablet' })).toEqual({ quantity: 15, unit: null });
    expect(dispenseOf({ ...tds, dose: '2 tabs' })).toEqual({ quantity: 30, unit: null });
    expect(dispenseOf({ ...tds, dose: '1 गोली' })).toEqual({ quantity: 15, unit: null });
    expect(dispenseOf({ form: 'capsule', dose: '1 cap', frequency: 'TDS', durationDays: 5 })).toEqual({ quantity: 15, unit: null });
    expect(dispenseOf({ form: 'capsule', dose: '250 mg', frequency: 'TDS', durationDays: 5 })).toBeNull();
    expect(dispenseOf({ form: 'tablet', dose: '½ tab', frequency: 'BD', durationDays: 10 })).toEqual({ quantity: 10, unit: null });
    // A quantity the doctor typed is kept when none can be worked out, and replaced when one can.
    const typed = { ...PREDNISOLONE, frequency: 'TDS', durationDays: 5, dose: '500 mg', quantity: 20 };
    expect(prepareItem(typed)).toEqual({ ok: true, item: typed });
    expect(prepareItem({ ...typed, dose: '1 tab' })).toEqual({ ok: true, item: { ...typed, dose: '1 tab', quantity: 15 } });
  });
});

describe('the draft as the doctor types', () => {
  /** The item after typing `text` into one box key by key, as the editor sends it. */
  const typeInto = (it: PrescriptionItem, field: 'frequency', text: string) =>
    [...text].reduce((item, _, k) => revisedItem(item, { [field]: text.slice(0, k + 1) }), it);
  const plain = { ...PREDNISOLONE, frequency: '1-0-1', durationDays: 3 };

  it('a one-step taper typed in Frequency ("1-0-1 x5") becomes 1-0-1 for 5 days, and Days then stays as the doctor types it', () => {
    const typed = typeInto(plain, 'frequency', '1-0-1 x5');
    expect(typed).toMatchObject({ frequency: '1-0-1 x5', durationDays: 5, quantity: 10 });
    // Leaving the box (blur): the plain frequency and its days.
    expect(settledItem(typed)).toEqual({ ...typed, frequency: '1-0-1' });
    // Typing 7 in Days (straight from the frequency box) no longer snaps back to 5.
    const seven = revisedItem(typed, { durationDays: 7 });
    expect(seven).toMatchObject({ frequency: '1-0-1', durationDays: 7, quantity: 14 });
    expect(revisedItem(seven, { durationDays: 10 })).toMatchObject({ frequency: '1-0-1', durationDays: 10, quantity: 20 });
  });

  it('typing is not cut short: "x14" and a taper typed key by key stay as typed until the box is left', () => {
    expect(typeInto(plain, 'frequency', '1-0-1 x14')).toMatchObject({ frequency: '1-0-1 x14', durationDays: 14, quantity: 28 });
    const taper = typeInto(plain, 'frequency', '4-0-0 x3, 2-0-0 x3, 1-0-0 x3');
    expect(taper).toMatchObject({ frequency: '4-0-0 x3, 2-0-0 x3, 1-0-0 x3', durationDays: 9, quantity: 21 });
    expect(settledItem(taper)).toBe(taper);
    expect(revisedItem(taper, { instructions: 'with milk' })).toMatchObject({ frequency: '4-0-0 x3, 2-0-0 x3, 1-0-0 x3', durationDays: 9, quantity: 21 });
    expect(settledItem(plain)).toBe(plain);
  });
});
