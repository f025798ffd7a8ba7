import type { PrescriptionItem } from '../../../db/schema/prescriptions';
import { quantityText } from '../../../shared/dispense';
import { maxPerDayWords, stepsWords } from '../../../shared/dose-words';
import { durationWords, parseFrequency, routeWords, timingWords } from '../../../shared/dosage';
import { type Run } from '../text';

/* An item's title and dosage as words (English, and Hindi for the patient). */

/**
 * The parts of an item's dosage line: "1 tablet", "1-0-1 (morning and night)", "after food", ...
 * A stepped dose prints its steps in place of dose, frequency and days ("4 tab morning for 3 days,
 * then 2 tab morning for 3 days"); an SOS item its maximum a day.
 */
export function dosageParts(item: PrescriptionItem): string[] {
  const freq = parseFrequency(item.frequency);
  const steps = stepsWords(item, 'en');
  const qty = quantityText({ quantity: item.quantity ?? null, quantityUnit: item.quantityUnit });
  const parts = [
    ...(steps
      ? [steps]
      : [
          item.dose.trim(),
          // Shorthand with its words ("1-0-1 (morning and night)"); words as the doctor wrote them.
          freq?.shorthand ? `${freq.shorthand} (${freq.en})` : item.frequency.trim(),
        ]),
    maxPerDayWords(item, 'en') ?? '',
    timingWords(item.timing, 'en'),
    routeWords(item.route, 'en'),
    steps ? '' : durationWords(item.durationDays, 'en'),
    qty !== null ? `Qty: ${qty}` : '',
  ];
  return parts.filter((p) => p !== '');
}

/** The same in Hindi, without the dose and quantity: "सुबह और रात", "खाने के बाद", "5 दिन तक" (steps with their doses). */
export function dosagePartsHi(item: PrescriptionItem): string[] {
  const freq = parseFrequency(item.frequency);
  const steps = stepsWords(item, 'hi');
  const parts = [
    steps ?? freq?.hi ?? '',
    maxPerDayWords(item, 'hi') ?? '',
    timingWords(item.timing, 'hi'),
    routeWords(item.route, 'hi'),
    steps ? '' : durationWords(item.durationDays, 'hi'),
  ];
  return parts.filter((p) => p !== '');
}

/** "1 tablet · 1-0-1 (morning and night) · after food · for 5 days · Qty: 10" */
export function dosageLine(item: PrescriptionItem): string {
  return dosageParts(item).join(' · ');
}

/** "सुबह और रात, खाने के बाद, 5 दिन तक" */
export function dosageLineHi(item: PrescriptionItem): string {
  return dosagePartsHi(item).join(', ');
}

/** Parts kept whole, with a separator between them that disappears at a line break. */
export function partsRuns(parts: string[], separator: string, size: number, color?: string): Run[] {
  return parts.flatMap((text, i) => {
    const part: Run = { text, size, keep: true, ...(color ? { color } : {}) };
    return i === 0 ? [part] : [{ text: separator, size, separator: true, ...(color ? { color } : {}) }, part];
  });
}

/** "PARACETAMOL 500 mg" in bold, then " tablet (Crocin)". */
export function itemTitleRuns(item: PrescriptionItem, size: number): Run[] {
  const strength = item.strength?.trim();
  const runs: Run[] = [
    { text: `${item.genericName.trim().toUpperCase()}${strength ? ` ${strength}` : ''}`, size, style: 'bold' },
  ];
  const rest = [item.form.trim(), item.brand?.trim() ? `(${item.brand.trim()})` : ''].filter((s) => s !== '').join(' ');
  if (rest) runs.push({ text: ` ${rest}`, size });
  return runs;
}
