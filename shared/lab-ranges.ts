/**
 * Reference ranges by sex and age band, and critical limits, for the common tests of the catalogue
 * (lab_tests, by code). Isomorphic: the service stores the range and flag it chose; the Lab screen
 * highlights a value as it is typed with the same functions.
 *
 * Sources (adult values unless a band says otherwise; each lab should check them against its own
 * analyser and kit inserts, and the clinic's list may be edited later):
 * - Haematology (Hb, TLC, platelets, ESR): Dacie and Lewis Practical Haematology, 12th ed., table 2.1
 *   (adult and child ranges); Hb cut-offs for anaemia: WHO, Haemoglobin concentrations for the
 *   diagnosis of anaemia (WHO/NMH/NHD/MNM/11.1).
 * - Glucose and HbA1c: American Diabetes Association, Standards of Care in Diabetes 2024, section 2
 *   (fasting < 100 mg/dL, 2-h < 140, HbA1c < 5.7 %); ICMR Guidelines for management of type 2
 *   diabetes 2018 agree.
 * - Lipids: NCEP ATP III (total < 200, LDL < 100, HDL > 40 men / > 50 women, TG < 150 mg/dL); the
 *   Lipid Association of India consensus keeps the same desirable levels.
 * - Creatinine, urea, uric acid, ALT, TSH, vitamin D and B12: Tietz Textbook of Laboratory Medicine,
 *   7th ed., reference intervals appendix.
 * - Critical limits: the commonly used list of Kost, "Critical limits for urgent clinician
 *   notification at US medical centers", JAMA 1990;263:704-7 (glucose < 40 / > 450, Hb < 6.6 /
 *   > 19.9, platelets < 20 / > 1000, TLC < 2 / > 30 ×10³/µL, creatinine > 7.4 mg/dL).
 */

import type { Gender } from './enums';

export interface LabRange {
  /** Who the band is for; absent: anyone. */
  sex?: Gender;
  /** Age in whole years, from (inclusive) and below (exclusive). */
  fromAge?: number;
  belowAge?: number;
  /** As printed on the report: "13.0-17.0", "< 200", "> 40". */
  text: string;
}

export interface LabTestRanges {
  bands: LabRange[];
  /** Values beyond these are critical (told to the doctor at once). */
  critical?: { below?: number; above?: number };
}

export const LAB_RANGES: Readonly<Record<string, LabTestRanges>> = {
  HB: {
    bands: [
      { belowAge: 12, text: '11.5-15.5' },
      { sex: 'male', fromAge: 12, text: '13.0-17.0' },
      { sex: 'female', fromAge: 12, text: '12.0-15.0' },
      { fromAge: 12, text: '12.0-17.0' },
    ],
    critical: { below: 6.6, above: 19.9 },
  },
  WBC: { bands: [{ belowAge: 12, text: '5.0-13.0' }, { text: '4.0-11.0' }], critical: { below: 2, above: 30 } },
  PLT: { bands: [{ text: '150-450' }], critical: { below: 20, above: 1000 } },
  ESR: { bands: [{ sex: 'male', text: '0-15' }, { sex: 'female', text: '0-20' }, { text: '0-20' }] },
  FBS: { bands: [{ text: '70-99' }], critical: { below: 40, above: 450 } },
  PPBS: { bands: [{ text: '< 140' }], critical: { below: 40, above: 450 } },
  // Random glucose: the catalogue's "< 200" (the ADA's diagnostic cut-off) stays; only critical limits added.
  RBS: { bands: [], critical: { below: 40, above: 450 } },
  HBA1C: { bands: [{ text: '4.0-5.6' }] },
  TC: { bands: [{ text: '< 200' }] },
  HDL: { bands: [{ sex: 'male', text: '> 40' }, { sex: 'female', text: '> 50' }, { text: '> 40' }] },
  LDL: { bands: [{ text: '< 100' }] },
  TG: { bands: [{ text: '< 150' }] },
  CREAT: {
    bands: [
      { belowAge: 12, text: '0.3-0.7' },
      { sex: 'male', text: '0.7-1.3' },
      { sex: 'female', text: '0.6-1.1' },
      { text: '0.6-1.3' },
    ],
    critical: { above: 7.4 },
  },
  UREA: { bands: [{ text: '15-40' }] },
  UA: { bands: [{ sex: 'male', text: '3.4-7.0' }, { sex: 'female', text: '2.4-6.0' }, { text: '2.4-7.0' }] },
  SGPT: { bands: [{ text: '7-56' }] },
  TSH: { bands: [{ belowAge: 18, text: '0.7-5.7' }, { text: '0.4-4.0' }] },
  VITD: { bands: [{ text: '30-100' }] },
  VITB12: { bands: [{ text: '200-900' }] },
  CRP: { bands: [{ text: '< 6' }] },
};

/**
 * The range for a patient of this sex and age (whole years; null when unknown): the first band
 * that fits, so specific bands come first. A test the table does not list falls back to the
 * catalogue's own range text (which may be null: the report then prints none).
 */
export function rangeFor(code: string, fallback: string | null, sex: Gender | null, ageYears: number | null): string | null {
  const ranges = LAB_RANGES[code];
  if (!ranges) return fallback;
  const band = ranges.bands.find(
    (b) =>
      (b.sex === undefined || b.sex === sex) &&
      (b.fromAge === undefined || (ageYears !== null && ageYears >= b.fromAge)) &&
      (b.belowAge === undefined || (ageYears !== null && ageYears < b.belowAge)),
  );
  return band?.text ?? fallback;
}

/** A number as typed ("5.6", " 120 "); null for anything else ("positive", "5,6", "1e3"). */
export function numericValue(value: string): number | null {
  const t = value.trim();
  if (!/^-?\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

/**
 * H or L against a range ("13.0-17.0", "< 200", "> 40", "<= 5"); null within it, for a
 * non-numeric value or a range it cannot read. A strict limit is itself outside ("< 200": 200 is H).
 */
export function flagOf(value: string, range: string | null): 'H' | 'L' | null {
  const v = numericValue(value);
  if (v === null || !range) return null;
  const between = /^\s*(\d+(?:\.\d+)?)\s*[-–]\s*(\d+(?:\.\d+)?)\s*$/.exec(range);
  if (between) return v < Number(between[1]) ? 'L' : v > Number(between[2]) ? 'H' : null;
  const below = /^\s*<(=?)\s*(\d+(?:\.\d+)?)\s*$/.exec(range);
  if (below) return (below[1] ? v > Number(below[2]) : v >= Number(below[2])) ? 'H' : null;
  const above = /^\s*>(=?)\s*(\d+(?:\.\d+)?)\s*$/.exec(range);
  if (above) return (above[1] ? v < Number(above[2]) : v <= Number(above[2])) ? 'L' : null;
  return null;
}

/** Beyond the test's critical limits (none: never). */
export function isCritical(code: string, value: string): boolean {
  const v = numericValue(value);
  const c = LAB_RANGES[code]?.critical;
  if (v === null || !c) return false;
  return (c.below !== undefined && v < c.below) || (c.above !== undefined && v > c.above);
}
