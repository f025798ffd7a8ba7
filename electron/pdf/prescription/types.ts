import type { PrescriptionItem } from '../../../db/schema/prescriptions';
import type { Paper } from '../../../shared/paper';
import { type LetterheadClinic } from '../letterhead';

/* The view model the prescription is drawn from, and the print options. */

/** The letterhead's clinic (a prescription adds no lines under its address). */
export type PrescriptionClinic = Omit<LetterheadClinic, 'extraLines'>;

export interface PrescriptionDoctor {
  /** Full name; "Dr." is added unless it is already there. */
  name: string;
  qualifications: string;
  registrationCouncil: string;
  registrationNumber: string;
  specialization?: string | null;
}

export interface PrescriptionPatient {
  name: string;
  /** Years. */
  age: number;
  sex: 'M' | 'F' | 'O';
  mrn: string;
  /** 14 digits; printed as 91-1234-5678-9012. */
  abhaNumber?: string | null;
  mobile?: string | null;
  /** One line, as the pharmacist records it (Drugs and Cosmetics Rules r.65); wraps as needed. */
  address?: string | null;
}

export interface PrescriptionDoc {
  clinic: PrescriptionClinic;
  doctor: PrescriptionDoctor;
  patient: PrescriptionPatient;
  rxNumber: string;
  /** YYYY-MM-DD; printed as DD-MM-YYYY. */
  date: string;
  /** The visit's vitals as printed ("BP 130/84 mmHg", "Temp 101.2 °F"), only those recorded. */
  vitals?: string[];
  /**
   * The patient's allergies ("Penicillin (severe)"); [] prints "No known allergies" (asked, none);
   * null or absent prints nothing (never asked).
   */
  allergies?: string[] | null;
  diagnoses: string[];
  items: PrescriptionItem[];
  advice?: string | null;
  adviceHi?: string | null;
  diet?: string | null;
  investigations?: string | null;
  /** YYYY-MM-DD. */
  followUpDate?: string | null;
  /** The hash of the printed content, carried in the QR code. */
  verification: { hash: string };
  /** Set on every reprint: each page is stamped DUPLICATE with the reprint date. */
  duplicate?: { printedOn: string } | null;
  /** A preview on screen: every page watermarked "PREVIEW — not valid for dispensing". */
  preview?: boolean;
}

export interface PrescriptionPdfOptions {
  paper: Paper;
  /** false for pre-printed pads: the top margin is left blank. */
  letterhead: boolean;
  /** Where the content starts (below a pad's printed header when letterhead is off). */
  marginTopMm: number;
  marginLeftMm: number;
  language: 'en' | 'en+hi';
  /** Default: the left margin, kept between 6 and 15 mm. */
  marginRightMm?: number;
  /** Default: 10 mm on A4, 8 mm on A5 (more for pads with a printed footer). */
  marginBottomMm?: number;
}
