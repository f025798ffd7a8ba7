import { parseHlc } from '../../../shared/hlc';

/** What an administrator calls the records a change is about (the sync outbox names tables). */
const RECORD: Record<string, string> = {
  users: 'Staff member',
  facility: 'Clinic details',
  doctor_profiles: 'Doctor profile',
  doctor_schedules: 'Doctor timetable',
  doctor_leaves: 'Doctor leave',
  patients: 'Patient',
  appointments: 'Appointment',
  visits: 'Visit / token',
  consultations: 'Consultation note',
  consultation_amendments: 'Amendment',
  consultation_templates: 'Note template',
  lab_tests: 'Lab test',
  lab_orders: 'Lab order',
  lab_results: 'Lab result',
  drugs: 'Drug',
  prescriptions: 'Prescription',
  prescription_favourites: 'Favourite drug or set',
  price_list: 'Price list item',
  invoices: 'Bill',
  invoice_issues: 'Bill number issued',
  discount_approvals: 'Discount approved',
  payments: 'Payment',
  refunds: 'Refund',
  credit_notes: 'Credit note or refund voucher',
  abdm_care_contexts: 'ABDM health record (visit)',
  abdm_profile_shares: 'ABDM shared profile',
  abdm_consent_views: 'ABDM consent',
  abdm_transfer_views: 'ABDM transfer',
  abdm_link_views: 'ABDM link',
  certificates: 'Certificate',
  attachments: 'Attached report or scan',
  patient_merges: 'Patient records merged',
  day_ends: 'Day-end',
  audit_log: 'Audit entry',
  device_revocations: 'Workstation removal',
  suppliers: 'Supplier',
  pharmacy_items: 'Pharmacy item',
  stock_batches: 'Stock batch',
  purchases: 'Purchase',
  purchase_lines: 'Purchase line',
  stock_movements: 'Stock movement',
  dispenses: 'Dispense',
  dispense_lines: 'Dispensed medicine',
  h1_register: 'Schedule H1 entry',
};

export function recordLabel(table: string): string {
  return RECORD[table] ?? table;
}

export function changeLabel(op: string): string {
  return op === 'insert' ? 'new' : op === 'delete' ? 'removed' : 'changed';
}

/** When the change was made on this workstation (its clock stamp), in the clinic's words. */
export function changedAt(hlc: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-IN', { timeZone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(parseHlc(hlc).wallMs);
  } catch {
    return '—';
  }
}
