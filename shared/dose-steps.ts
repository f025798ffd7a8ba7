import type { DoseStep } from './clinical';
import { parseFrequency } from './dosage';

/**
 * Tapering and stepped doses: "4-0-0 x3, 2-0-0 x3, 1-0-0 x3" is 4 units each morning for 3 days,
 * then 2 for 3 days, then 1 for 3 days. Each step is a frequency the prescription already
 * understands (the 1-0-1 pattern, OD/BD/TDS, words) with a known number of doses a day, and its
 * days. Pure and isomorphic: the editor parses as the doctor types, the workstation checks again.
 */

export type { DoseStep };

export const MAX_STEPS = 12;
export const MAX_STEP_DAYS = 365;

export type StepsResult = { ok: true; steps: DoseStep[] } | { ok: false; error: string };

/** One step: "<frequency> x<days>", also "×3", "* 3", "for 3 days", "x3d", "x2w", "for 2 weeks" (kept as days). */
const STEP = /^(.*?)\s*(?:[x×*]|\bfor\b)\s*(\d*)\s*(d|days?|w|wks?|weeks?)?\s*$/iu;

/** True when the text is written as steps (it carries days: "1-0-1 x5", "BD x3, OD x3"), not a plain frequency. */
export function looksLikeSteps(text: string): boolean {
  return text.split(/[,;]|\bthen\b/iu).some((part) => /\S\s*(?:[x×*]\s*\d|\bfor\s+\d)/iu.test(part));
}

/** The frequency written canonically ("1 - 0 - 1" → "1-0-1", "bd" → "BD"); null when it has no doses a day. */
function canonicalFrequency(freq: string): string | null {
  const info = parseFrequency(freq);
  if (!info || info.perDay === null || info.perDay <= 0) return null;
  return info.shorthand ?? freq.trim().toLowerCase().replace(/\s+/g, ' ');
}

function stepError(n: number, part: string, why: string): StepsResult {
  return { ok: false, error: `Steps: step ${n} ("${part}") ${why}` };
}

/**
 * "4-0-0 x3, 2-0-0 x3, 1-0-0 x3" → the steps, or an error naming the field and the step. Steps are
 * separated by commas, semicolons or "then".
 */
export function parseSteps(text: string): StepsResult {
  const parts = text
    .split(/[,;]|\bthen\b/iu)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) return { ok: false, error: 'Steps: write each step as a dose pattern and its days, e.g. 4-0-0 x3, 2-0-0 x3' };
  if (parts.length > MAX_STEPS) return { ok: false, error: `Steps: at most ${MAX_STEPS} steps` };
  const steps: DoseStep[] = [];
  for (const [i, part] of parts.entries()) {
    const m = STEP.exec(part);
    if (!m) return stepError(i + 1, part, 'needs its days, e.g. 2-0-0 x3');
    const freqText = m[1] ?? '';
    if (m[2] === '') return stepError(i + 1, part, `needs its days, e.g. ${freqText.trim() || '1-0-1'} x3`);
    const frequency = canonicalFrequency(freqText);
    if (frequency === null) return stepError(i + 1, part, `has "${freqText.trim()}", which is not a dose pattern with doses a day, such as 1-0-1 or BD (SOS cannot be a step)`);
    const days = Number(m[2]) * (/^w/i.test(m[3] ?? '') ? 7 : 1);
    if (!Number.isInteger(days) || days < 1 || days > MAX_STEP_DAYS) return stepError(i + 1, part, `lasts ${days} days: days must be 1 to ${MAX_STEP_DAYS}`);
    steps.push({ frequency, days });
  }
  return { ok: true, steps };
}

/** The steps as the doctor types them: "4-0-0 x3, 2-0-0 x3, 1-0-0 x3". */
export function formatSteps(steps: readonly DoseStep[]): string {
  return steps.map((s) => `${s.frequency} x${s.days}`).join(', ');
}

/** Steps handed in as data (the API, a synced row) checked like typed ones; the canonical steps or an error. */
export function checkSteps(steps: readonly DoseStep[]): StepsResult {
  if (steps.length === 0) return { ok: false, error: 'Steps: at least one step' };
  const again = parseSteps(formatSteps(steps));
  // A frequency that itself reads as several steps ("1-0-1 x3, 2-0-0") is not one step.
  if (again.ok && again.steps.length !== steps.length) return { ok: false, error: 'Steps: each step is one dose pattern and its days' };
  return again;
}

/** Days the steps last in all. */
export function stepsDays(steps: readonly DoseStep[]): number {
  return steps.reduce((sum, s) => sum + s.days, 0);
}
