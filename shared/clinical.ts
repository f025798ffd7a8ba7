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
}
