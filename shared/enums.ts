/** Value sets shared by the schema, the API and the renderer (kept free of drizzle imports). */
/**
 * `accounts`: the owner or the accountant, who reads the reports and the bills and changes nothing.
 * `pharmacist`: keeps the pharmacy's stock (purchases, dispensing, returns, write-offs, H1 register).
 * `labtech`: the lab technician, who collects samples, enters results and prints labels and reports (docs/LAB.md).
 */
export const ROLES = ['admin', 'receptionist', 'doctor', 'cashier', 'accounts', 'pharmacist', 'labtech'] as const;
export type Role = (typeof ROLES)[number];

export const AUDIT_OUTCOMES = ['ok', 'invalid', 'unauthenticated', 'forbidden', 'failed', 'error'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const GENDERS = ['male', 'female', 'other'] as const;
export type Gender = (typeof GENDERS)[number];

export const BLOOD_GROUPS = ['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-'] as const;
export type BloodGroup = (typeof BLOOD_GROUPS)[number];

export const ALLERGY_TYPES = ['food', 'medication', 'environmental'] as const;
export const SEVERITIES = ['mild', 'moderate', 'severe'] as const;
export const MARITAL_STATUSES = ['single', 'married', 'widowed', 'divorced', 'separated'] as const;

export const APPOINTMENT_STATUSES = [
  'scheduled',
  'confirmed',
  'checked-in',
  'in-consultation',
  'completed',
  'cancelled',
  'no-show',
  /** Two workstations booked the last place in a slot while offline; this one lost and must be rebooked. */
  'needs-rebook',
] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export const VISIT_MODES = ['in-person', 'video'] as const;
export type VisitMode = (typeof VISIT_MODES)[number];

export const PRIORITIES = ['regular', 'urgent', 'emergency'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** A checked-in patient's place in the doctor's queue. */
export const QUEUE_STATUSES = ['waiting', 'with-doctor', 'done', 'left'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

/** What a bill line is for: prices, reports and the GST treatment follow from it. */
export const SERVICE_KINDS = ['consultation', 'follow-up', 'procedure', 'lab', 'package', 'medicine', 'other'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

export const PAYMENT_MODES = ['cash', 'card', 'upi', 'netbanking', 'wallet', 'insurance', 'advance'] as const;
export type PaymentMode = (typeof PAYMENT_MODES)[number];

/** Drugs and Cosmetics Rules schedules that change how a drug may be prescribed and sold. */
export const DRUG_SCHEDULES = ['H', 'H1', 'X', 'G'] as const;

/** Life of an invoice: a draft gets a number when issued; an issued invoice can only be voided. */
export const INVOICE_STATUSES = ['draft', 'issued', 'void'] as const;
export const DISCOUNT_KINDS = ['amount', 'percent'] as const;
/** A consultation is locked once completed (later changes are amendments). */
export const CONSULTATION_STATUSES = ['draft', 'completed'] as const;
/** A prescription is locked once printed. */
export const PRESCRIPTION_STATUSES = ['draft', 'printed'] as const;
/** ordered -> collected (sample taken) -> resulted -> verified (locked; a correction is an amendment); cancelled stays visible. */
export const LAB_ORDER_STATUSES = ['ordered', 'collected', 'resulted', 'verified', 'cancelled'] as const;
export type LabOrderStatus = (typeof LAB_ORDER_STATUSES)[number];
/** A numeric result above (H) or below (L) the patient's reference range. */
export const LAB_FLAGS = ['H', 'L'] as const;
export const FAVOURITE_KINDS = ['drug', 'diagnosis'] as const;
/** Certificates a doctor issues at a visit: medical (rest advised) and fitness (fit to resume). */
export const CERTIFICATE_KINDS = ['medical_leave', 'fitness'] as const;
export const CERTIFICATE_LANGUAGES = ['en', 'en+hi'] as const;
export const REGISTRATION_STATUSES = ['draft', 'complete'] as const;

/**
 * The GST treatment of a bill line (GSTR-1 table 8 keeps exempt, nil-rated and non-GST apart):
 * taxable lines carry a rate; the others carry none.
 */
export const SUPPLY_KINDS = ['taxable', 'exempt', 'nil', 'non-gst'] as const;
export type SupplyKind = (typeof SUPPLY_KINDS)[number];

/** Credit notes reverse taxable lines (CGST Act s.34); a refund of exempt lines only gets a refund voucher. */
export const CREDIT_NOTE_KINDS = ['credit-note', 'refund-voucher'] as const;
export type CreditNoteKind = (typeof CREDIT_NOTE_KINDS)[number];

/**
 * Why stock moved (the pharmacy's insert-only ledger, stock_movements): goods received, dispensed to
 * a patient, brought back by a patient, sent back to the supplier, counted and corrected, or written
 * off when expired. Stock on hand is the sum of a batch's movements.
 */
export const STOCK_MOVEMENT_KINDS = ['receipt', 'dispense', 'sale-return', 'purchase-return', 'adjustment', 'expiry'] as const;
export type StockMovementKind = (typeof STOCK_MOVEMENT_KINDS)[number];
/** A dispense against a visit's prescription, or an over-the-counter sale (non-scheduled drugs only). */
export const DISPENSE_KINDS = ['prescription', 'otc'] as const;
export type DispenseKind = (typeof DISPENSE_KINDS)[number];
