/** Clinical record shapes stored as JSON in the database and shown by every screen and document. */

export interface Diagnosis {
  /** ICD-10 code when one was picked; free text is allowed beside or instead of it. */
  code: string | null;
  title: string;
  note?: string | null;
}

export interface Vitals {
  bpSystolic?: number | null;
  bpDiastolic?: number | null;
  pulse?: number | null;
  /** degrees Celsius */
  temperatureC?: number | null;
  spo2?: number | null;
  respiratoryRate?: number | null;
  weightKg?: number | null;
  heightCm?: number | null;
  /** mg/dL */
  bloodSugar?: number | null;
  bloodSugarType?: 'fasting' | 'random' | 'post-prandial' | null;
}

/** The note content, separate from bookkeeping, so amendments and templates can share it. */
export interface ConsultationNote {
  vitals: Vitals;
  chiefComplaints: string[];
  historyOfPresentIllness: string;
  pastHistory: string;
  examination: string;
  diagnoses: Diagnosis[];
  investigations: string;
  treatmentPlan: string;
  advice: string;
  referral: string;
  followUpDate: string | null;
}

export type Timing = 'before-food' | 'after-food' | 'with-food' | 'empty-stomach' | 'bedtime' | 'any';

/** One step of a tapering or stepped dose: a frequency with doses a day ("4-0-0", "BD") for some days. */
export interface DoseStep {
  frequency: string;
  days: number;
}

export interface PrescriptionItem {
  drugId: string | null;
  /** Printed in CAPITALS (NMC). */
  genericName: string;
  brand: string | null;
  form: string;
  strength: string | null;
  route: string;
  dose: string;
  /** "1-0-1", "1-1-1-1", "0-0-1", "SOS", or words */
  frequency: string;
  timing: Timing;
  durationDays: number | null;
  /** Units to dispense, computed when the frequency and duration allow. */
  quantity: number | null;
  instructions: string | null;
  /** The same instructions in Hindi, printed under the English. */
  instructionsHi: string | null;
  /** Safety warnings the doctor saw and acknowledged for this item. */
  acknowledged: string[];
  /*
   * Added later, so absent on older items (and ignored by desks that predate them): an item
   * without them reads exactly as before.
   */
  /**
   * A tapering or stepped dose, in order. `frequency` then holds the steps written out
   * ("4-0-0 x3, 2-0-0 x3") and `durationDays` their total, so an older desk still prints them.
   */
  steps?: DoseStep[] | null;
  /** For SOS items: at most this many doses a day (printed; the quantity is worked out from it). */
  maxPerDay?: number | null;
  /** What one unit of `quantity` is: null for units of the form (tablets), else "ml", "bottle of 100 ml", "pen of 300 IU". */
  quantityUnit?: string | null;
  /** The formulary's pack size when the drug was picked ("100 ml", "3 ml pen"), for quantities in packs. */
  packSize?: string | null;
}
