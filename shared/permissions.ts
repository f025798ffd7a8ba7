import type { Role } from './enums';

/**
 * Least privilege: each permission names the roles that hold it. A method declares one
 * permission; a user holding several roles gets the union.
 */
export const PERMISSIONS = {
  'staff.manage': ['admin'],
  'audit.read': ['admin'],
  'facility.manage': ['admin'],
  'settings.manage': ['admin'],
  'backups.manage': ['admin'],
  'patients.read': ['admin', 'receptionist', 'doctor', 'cashier'],
  'patients.write': ['admin', 'receptionist'],
  'patients.merge': ['admin', 'receptionist'],
  'patients.unmerge': ['admin'],
  /** Verify a patient's ABHA with ABDM by OTP (through the clinic's server, which checks it again). */
  'abdm.abha': ['admin', 'receptionist'],
  'doctors.read': ['admin', 'receptionist', 'doctor', 'cashier'],
  'doctors.manage': ['admin'],
  'appointments.manage': ['admin', 'receptionist'],
  'queue.read': ['admin', 'receptionist', 'doctor', 'cashier'],
  'queue.manage': ['admin', 'receptionist', 'doctor'],
  /** Any doctor's queue; a doctor without it manages only their own (see services/queue.ts). */
  'queue.manageAll': ['admin', 'receptionist'],
  'clinical.read': ['admin', 'doctor'],
  'consultations.write': ['doctor'],
  /** See a patient's certificates and reprint them (reception hands out copies); issuing is consultations.write. */
  'certificates.read': ['admin', 'receptionist', 'doctor'],
  /** The lab's work: the day's list, sample collection and labels, result entry, reports (docs/LAB.md). */
  'labs.work': ['admin', 'doctor', 'labtech'],
  /** Verifying a result (never one's own entry: services/labs.ts), which locks it for the report. */
  'labs.verify': ['admin', 'doctor'],
  /** Attach an outside report or scan to a patient, list and withdraw them (reading the file is clinical.read). */
  'attachments.add': ['admin', 'receptionist', 'doctor', 'labtech'],
  'reference.manage': ['admin'],
  /** Name files to import (reference lists, drug lists): whoever may run an import that reads a file. */
  'files.import': ['admin'],
  'formulary.manage': ['admin', 'doctor'],
  'billing.read': ['admin', 'receptionist', 'cashier'],
  'billing.write': ['admin', 'receptionist', 'cashier'],
  'billing.refund': ['admin', 'cashier'],
  'billing.dayEnd': ['admin', 'cashier'],
  'billing.approveDiscount': ['admin'],
  /** The owner's reports (census, revenue, refunds, diagnoses, follow-ups): figures of the whole clinic. */
  'reports.read': ['admin', 'accounts'],
  /** The pharmacy's stock, lists and registers (docs/PHARMACY.md). */
  'pharmacy.read': ['admin', 'pharmacist'],
  /** Suppliers, purchases, returns to suppliers, adjustments and expiry write-offs. */
  'pharmacy.manage': ['admin', 'pharmacist'],
  /** Dispensing against prescriptions, over-the-counter sales and returns from patients. */
  'pharmacy.dispense': ['admin', 'pharmacist'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function hasPermission(roles: readonly Role[], permission: Permission): boolean {
  const allowed: readonly Role[] = PERMISSIONS[permission];
  return roles.some((r) => allowed.includes(r));
}
