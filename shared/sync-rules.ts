import {
  APPOINTMENT_STATUSES,
  AUDIT_OUTCOMES,
  BLOOD_GROUPS,
  CERTIFICATE_KINDS,
  CERTIFICATE_LANGUAGES,
  CONSULTATION_STATUSES,
  CREDIT_NOTE_KINDS,
  DISCOUNT_KINDS,
  DRUG_SCHEDULES,
  FAVOURITE_KINDS,
  GENDERS,
  INVOICE_STATUSES,
  MARITAL_STATUSES,
  PAYMENT_MODES,
  PRESCRIPTION_STATUSES,
  PRIORITIES,
  QUEUE_STATUSES,
  REGISTRATION_STATUSES,
  ROLES,
  SERVICE_KINDS,
  SUPPLY_KINDS,
  VISIT_MODES,
  type Role,
} from './enums';
import { LANGUAGE_CODES } from './languages';
import { refundRowProblem } from './refund-lines';
import { PHARMACY_SYNC_RULES } from './sync-rules-pharmacy';
import { LAB_SYNC_RULES } from './sync-rules-lab';
import { ABDM_SYNC_RULES, KEPT_ON_MERGE } from './sync-rules-abdm';
import { ABHA_VERIFY_METHODS } from './abdm-desk';
import { ATTACHMENT_SYNC_RULES } from './sync-rules-attachments';
import { BILLING_SYNC_RULES } from './sync-rules-billing';
import { seriesOf, type DeskColumn } from './number-series';

/**
 * The rule book of synced data: who may insert, change and delete each synced table's rows, which
 * columns name the person who did it, which state transitions exist, and which values a column
 * may hold. One module for both ends: the workstation's Writer asks it before a write enters
 * `change_log` (so the app never makes a change the server would refuse later) and the server asks
 * it before applying a pushed change (so a tampered desk cannot do more than the app would).
 * Data first, then `checkChange`, the single entry point. Reasons are written for a clinic's
 * administrator, who reads them on the Sync screen.
 */

export type SyncKind = 'lww' | 'ledger';
export type ColumnType = 'text' | 'integer' | 'real' | 'boolean' | 'json';
/** One column as the database declares it (db/sync-row-schemas.ts reads it from the drizzle schema). */
export interface ColumnShape {
  type: ColumnType;
  notNull: boolean;
  hasDefault: boolean;
}
export type RowShape = Readonly<Record<string, ColumnShape>>;

/** Who made the change: the user the change names (its signer), with their roles as the judge knows them. */
export interface Signer {
  id: string;
  roles: readonly Role[];
}

export interface ChangeFacts {
  table: string;
  rowId: string;
  op: 'insert' | 'update' | 'delete';
  /** Database column names -> values as synced (JSON columns as values, booleans as true/false or 0/1). */
  columns: Readonly<Record<string, unknown>>;
  /** The row as it stands before the change, by database column names; null when there is none. */
  before: Readonly<Record<string, unknown>> | null;
  signer: Signer | null;
  /** The clinic has no users yet: the clinic and its first administrator are being created. */
  bootstrap: boolean;
  /** The table's columns; without it the values are not checked (see checkSyncedChange in db/). */
  shape?: RowShape | undefined;
  /**
   * The workstation making the change: the server fills it in from the authenticated device (with
   * its series letter), the desk's Writer with its own id. Without it, desk columns are not checked.
   */
  device?: PushingDevice | undefined;
}

/** The desk a change comes from, as the one judging it knows it. */
export interface PushingDevice {
  id: string;
  /** Its number series letter ("A"); unknown (the Writer): series are not checked. */
  seriesPrefix?: string | null | undefined;
}

/** A write the rule book refuses: thrown by the workstation's Writer, shown to the user as 'forbidden'. */
export class SyncRuleError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'SyncRuleError';
  }
}

/** Stamped by every write; never a change of content. */
export const STAMP_COLUMNS: readonly string[] = ['updated_at', 'hlc', 'device_id'];
/**
 * What anyone may change on their own users row: their password, and their key wrapped by it. A user
 * from before signed changes registers their first public key at login (trust on first use); the
 * server lets their own row set it only while it holds no key for them (server/signatures.ts).
 */
export const OWN_ROW_COLUMNS: readonly string[] = ['password_hash', 'sign_key_wrapped', 'sign_public_key'];

/** What a state rule sees: the facts, the columns whose value really changes, the row after the change. */
export interface Judged {
  facts: ChangeFacts;
  changed: readonly string[];
  after: Readonly<Record<string, unknown>>;
}

export interface TableRules {
  kind: SyncKind;
  /** 'anyone': also a change with no signer (audit rows of failed logins). */
  insert: readonly Role[] | 'anyone';
  update: readonly Role[];
  delete: readonly Role[];
  /** Columns naming the person who did it: when set (on insert, or when changed) they must be the signer. */
  signedBy?: readonly string[];
  /**
   * An unsigned change (no one logged in) whose row may still name someone in a `signedBy` column:
   * a failed login names the account that was tried, before anyone could sign.
   */
  unsignedMayName?: (after: Readonly<Record<string, unknown>>) => boolean;
  /** The row belongs to the person in this column (a doctor's own notes): only they may write it. */
  owner?: string;
  /** Enum-like text columns and the values they may hold. */
  values?: Readonly<Record<string, readonly string[]>>;
  /** JSON columns that must be a non-empty list of these values. */
  lists?: Readonly<Record<string, readonly string[]>>;
  /** State transitions and anything finer; null when the change is fine. */
  states?: (j: Judged) => string | null;
  /**
   * Columns naming the workstation that did it (besides every row's `device_id`): when set (on
   * insert, or when changed) they must name the desk pushing the change (`pushingDevice` rule).
   */
  pushingDevice?: Readonly<Record<string, DeskColumn>>;
}

const ADMIN: readonly Role[] = ['admin'];
const CLINICAL: readonly Role[] = ['doctor'];
const DESK: readonly Role[] = ['admin', 'receptionist', 'doctor'];
const MONEY: readonly Role[] = ['admin', 'receptionist', 'cashier'];

/** Who may merge duplicate patients (patients.merge), and so move rows from one patient to another. */
const MERGERS: readonly Role[] = ['admin', 'receptionist'];

const lww = (writers: readonly Role[], more: Partial<TableRules> = {}): TableRules => ({ kind: 'lww', insert: writers, update: writers, delete: writers, ...more });
const ledger = (writers: readonly Role[] | 'anyone', more: Partial<TableRules> = {}): TableRules => ({ kind: 'ledger', insert: writers, update: [], delete: [], ...more });

const filled = (v: unknown) => typeof v === 'string' && v.trim() !== '';

/** Voiding: with a reason, by the signer. */
function voidRule(j: Judged): string | null {
  if (!filled(j.after.void_reason)) return 'an invoice is voided only with a reason';
  if (j.after.voided_by !== j.facts.signer?.id) return 'an invoice is voided in the name of the person voiding it';
  return null;
}

const VOID_COLUMNS = ['status', 'void_reason', 'voided_at', 'voided_by'];

/** Draft -> issued (with a number) or void; issued -> void; nothing else, and never back. */
function invoiceStates(j: Judged): string | null {
  const { facts, after, changed } = j;
  const before = facts.before;
  if (facts.op === 'insert' || !before) {
    if (after.status !== 'draft') return 'a new invoice starts as a draft';
    if (after.invoice_number != null) return 'a draft invoice has no number yet';
    return null;
  }
  if (changed.length === 0) return null;
  if (before.status === 'draft') {
    if (after.status === 'draft') return after.invoice_number != null ? 'a draft invoice has no number yet' : null;
    if (after.status === 'issued') {
      if (!filled(after.invoice_number) || !filled(after.financial_year)) return 'an invoice is issued only with its number and financial year';
      if (after.totals == null || after.issued_by == null) return 'an invoice is issued only with its totals and the person issuing it';
      return null;
    }
    return voidRule(j);
  }
  const number = typeof before.invoice_number === 'string' ? `invoice ${before.invoice_number}` : 'this invoice';
  if (changed.includes('deleted_at')) return `${number} has been issued: it is never deleted, only voided with a reason`;
  const frozen = changed.filter((c) => !VOID_COLUMNS.includes(c));
  if (frozen.length > 0) return `${number} has been issued: its ${frozen.join(', ')} can no longer change (void it and raise a new one)`;
  if (after.status !== 'void') return before.status === 'void' ? `${number} is void and stays void` : `${number} has been issued: it never goes back to ${String(after.status)}, it can only be voided`;
  return voidRule(j);
}

function consultationLock(j: Judged): string | null {
  if (j.facts.before?.status === 'completed' && j.changed.length > 0) return 'a completed consultation is locked: changes are made as an amendment';
  return null;
}

function printedLock(j: Judged): string | null {
  if (j.facts.before?.status !== 'printed') return null;
  const locked = j.changed.filter((c) => c !== 'print_count');
  return locked.length > 0 ? `a printed prescription is locked: its ${locked.join(', ')} can no longer change` : null;
}

const CERTIFICATE_VOID = ['voided_at', 'voided_by', 'void_reason'];

/** Issued whole by the doctor of the visit; afterwards only a void (with a reason), never undone or deleted. */
function certificateStates(j: Judged): string | null {
  const { facts, after, changed } = j;
  const before = facts.before;
  if (facts.op === 'insert' || !before) {
    if (after.issued_by !== after.doctor_id) return 'a certificate is issued by its own doctor';
    if (CERTIFICATE_VOID.some((c) => after[c] != null)) return 'a new certificate is not void';
    return null;
  }
  if (changed.length === 0) return null;
  const number = typeof before.number === 'string' ? `certificate ${before.number}` : 'this certificate';
  if (before.voided_at != null) return `${number} is void and stays void`;
  const frozen = changed.filter((c) => !CERTIFICATE_VOID.includes(c));
  if (frozen.length > 0) return `${number} has been issued: its ${frozen.join(', ')} can no longer change (void it and issue a new one)`;
  if (!filled(after.void_reason) || after.voided_at == null) return `${number} is voided only with a reason and a time`;
  return null;
}

/** A merge record keeps what it moved: only its undo (undone_at, undone_by) may change later. */
function mergeRecordRule(j: Judged): string | null {
  if (j.facts.op === 'insert') return j.after.undone_at == null ? null : 'a new patient merge cannot already be undone';
  const other = j.changed.filter((c) => c !== 'undone_at' && c !== 'undone_by');
  if (other.length > 0) return `a patient merge keeps what it did: its ${other.join(', ')} can no longer change`;
  if (j.facts.before?.undone_at != null && j.changed.length > 0) return 'this patient merge has already been undone';
  return null;
}

/**
 * A merge of duplicate patients moves every row of the merged record to the survivor: a change of
 * `patient_id` alone, by someone who may merge, is allowed on any merged table whatever its other
 * rules (a completed consultation, a printed prescription, an issued bill follow their patient).
 */
function isPatientMove(rules: TableRules, facts: ChangeFacts, changed: readonly string[]): boolean {
  if (rules.kind !== 'lww' || facts.op !== 'update' || !facts.before || !('patient_id' in facts.before) || KEPT_ON_MERGE.includes(facts.table)) return false;
  return changed.length === 1 && changed[0] === 'patient_id' && facts.signer !== null && facts.signer.roles.some((r) => MERGERS.includes(r));
}

/**
 * Events of a workstation itself, written before anyone can log in there: its database file opened,
 * encrypted or restored ('database'), the desk joining its clinic ('sync').
 */
const DEVICE_EVENTS: readonly unknown[] = ['database', 'sync'];

/**
 * What the router writes for a failed login (services/auth.ts login, api/router.ts refuse): the
 * message, then the subject's detail. Nothing else may stand in an unsigned row that names a person.
 */
const FAILED_LOGIN_DETAILS: readonly RegExp[] = [
  /^Wrong username or password\.$/,
  /^Too many wrong passwords: this account is locked until [0-9: apmAPM]{4,12}\. Ask an administrator if you need in sooner\. locked$/,
  /^This account has been deactivated\. Ask an administrator\. inactive$/,
  /^Your signing key could not be opened\. Ask an administrator to reset your password\. signing key unusable$/,
];

/**
 * An unsigned audit row may name a person (user_id or username) only as exactly what a failed login
 * writes before anyone could sign: the login action, failed, about that account, with no values and
 * one of the login's own messages. Anything else in someone's name must be signed by them, so a
 * forged row cannot claim an action, or carry words, by a real user.
 */
export function failedLoginShape(after: Readonly<Record<string, unknown>>): string | null {
  if (after.user_id == null && after.username == null) return null;
  const why = 'an audit entry naming a person without their signature can only be a failed login';
  if (after.action !== 'auth.login' || after.outcome === 'ok') return why;
  if (after.old_values != null || after.new_values != null) return why;
  if (typeof after.username !== 'string' || after.username.length > 100) return why;
  const about = after.user_id == null ? after.entity_type == null && after.entity_id == null : after.entity_type === 'user' && after.entity_id === after.user_id;
  if (!about) return why;
  const detail = after.detail;
  if (detail != null && !(typeof detail === 'string' && FAILED_LOGIN_DETAILS.some((d) => d.test(detail)))) return why;
  return null;
}

/** An audit entry nobody signed: only of something that did not succeed (a failed login), or of the desk itself. */
function auditRules(j: Judged): string | null {
  if (j.facts.signer !== null) return null;
  if (j.after.outcome === 'ok' && !DEVICE_EVENTS.includes(j.after.entity_type)) return 'an audit entry of a successful action must come from a logged-in user';
  return failedLoginShape(j.after);
}


export const SYNC_RULES: Readonly<Record<string, TableRules>> = {
  users: lww(ADMIN, { lists: { roles: ROLES } }),
  facility: lww(ADMIN, { values: { registration_status: REGISTRATION_STATUSES } }),
  doctor_profiles: lww(ADMIN),
  doctor_schedules: lww(ADMIN, { values: { mode: VISIT_MODES } }),
  doctor_leaves: lww(ADMIN),
  // abha_verified_by names whoever verified the ABHA with ABDM (electron/services/abdm.ts): they sign it.
  // The MRN (as the Rx number and the booking reference below) is in the registering desk's series:
  // a desk taking another's next number would make that desk's patient collide with it later.
  patients: lww(['admin', 'receptionist'], { signedBy: ['abha_verified_by'], pushingDevice: { mrn: 'leadingSeries' }, values: { gender: GENDERS, blood_group: BLOOD_GROUPS, marital_status: MARITAL_STATUSES, preferred_language: LANGUAGE_CODES, abha_verify_method: ABHA_VERIFY_METHODS } }),
  appointments: lww(DESK, { pushingDevice: { booking_ref: 'leadingSeries' }, values: { status: APPOINTMENT_STATUSES, mode: VISIT_MODES, priority: PRIORITIES } }),
  visits: lww(DESK, { values: { status: QUEUE_STATUSES, priority: PRIORITIES } }),
  consultations: lww(CLINICAL, { owner: 'doctor_id', values: { status: CONSULTATION_STATUSES }, states: consultationLock }),
  consultation_amendments: ledger(CLINICAL, { signedBy: ['author_id'] }),
  consultation_templates: lww(CLINICAL, { owner: 'doctor_id' }),
  lab_tests: lww(ADMIN),
  ...LAB_SYNC_RULES,
  drugs: lww(['admin', 'doctor'], { values: { schedule: DRUG_SCHEDULES } }),
  prescriptions: lww(CLINICAL, { owner: 'doctor_id', pushingDevice: { rx_number: 'leadingSeries' }, values: { status: PRESCRIPTION_STATUSES }, states: printedLock }),
  // A doctor's act: only the visit's doctor issues (owner), in their own name, in their desk's series; a void is the only later change.
  certificates: lww(CLINICAL, {
    delete: [],
    owner: 'doctor_id',
    signedBy: ['issued_by', 'voided_by'],
    values: { kind: CERTIFICATE_KINDS, language: CERTIFICATE_LANGUAGES },
    states: certificateStates,
    pushingDevice: { number: 'invoiceNumber' },
  }),
  prescription_favourites: lww(CLINICAL, { owner: 'doctor_id', values: { kind: FAVOURITE_KINDS } }),
  price_list: lww(ADMIN, { values: { kind: SERVICE_KINDS, supply_kind: SUPPLY_KINDS } }),
  // discount_approved_by names an administrator: the approval row they signed is checked on both ends (sync-rules-billing.ts).
  invoices: lww(MONEY, {
    signedBy: ['issued_by', 'voided_by'],
    values: { status: INVOICE_STATUSES, discount_kind: DISCOUNT_KINDS },
    states: invoiceStates,
    pushingDevice: { issued_device_id: 'id', invoice_number: 'invoiceNumber' },
  }),
  payments: ledger(MONEY, { signedBy: ['received_by'], pushingDevice: { receipt_number: 'receiptNumber' }, values: { mode: PAYMENT_MODES } }),
  // Row-local: the money back, what comes off the bill and the lines agree as the app writes them (refundRowProblem).
  refunds: ledger(['admin', 'cashier'], { signedBy: ['refunded_by'], values: { mode: PAYMENT_MODES }, states: (j) => refundRowProblem(j.after) }),
  day_ends: ledger(['admin', 'cashier'], { signedBy: ['closed_by'], pushingDevice: { workstation_id: 'id' } }),
  audit_log: ledger('anyone', { signedBy: ['user_id'], unsignedMayName: (after) => failedLoginShape(after) === null, values: { outcome: AUDIT_OUTCOMES }, states: auditRules }),
  device_revocations: ledger(ADMIN, { signedBy: ['revoked_by'] }),
  // The number handed out when a bill is issued: in the name of whoever issued it.
  invoice_issues: ledger(MONEY, { signedBy: ['issued_by'], pushingDevice: { issued_device_id: 'id', series: 'series', invoice_number: 'invoiceNumber' } }),
  // A credit note or refund voucher, written with its refund: by whoever may refund, in their own name, in their desk's series.
  credit_notes: ledger(['admin', 'cashier'], {
    signedBy: ['issued_by'],
    values: { kind: CREDIT_NOTE_KINDS },
    pushingDevice: { issued_device_id: 'id', series: 'series', number: 'invoiceNumber' },
  }),
  ...ABDM_SYNC_RULES,
  ...BILLING_SYNC_RULES,
  ...PHARMACY_SYNC_RULES,
  ...ATTACHMENT_SYNC_RULES,
  // A merge of two patient records: made by reception, undone only by an administrator (undone_*).
  patient_merges: lww(MERGERS, { update: ADMIN, delete: [], signedBy: ['merged_by', 'undone_by'], states: mergeRecordRule }),
};

/** Why the change may not be made, in words a clinic administrator understands; null when it may. */
export function checkChange(facts: ChangeFacts): string | null {
  const rules = SYNC_RULES[facts.table];
  if (!rules) return `${facts.table} is not a synced table`;
  const { table, op, before, signer } = facts;
  if (rules.kind === 'ledger' && op !== 'insert') return `${table} rows are insert-only: they are never changed or deleted once recorded`;
  if (op !== 'insert' && !before) return `the ${table} row it changes is not on the server`;
  const values = checkValues(table, rules, facts);
  if (values) return values;
  const current = op === 'insert' ? {} : (before ?? {});
  const after = { ...current, ...facts.columns };
  const changed = Object.keys(facts.columns).filter(
    (c) => c !== 'id' && !STAMP_COLUMNS.includes(c) && (op === 'insert' || !sameValue(facts.columns[c], current[c], facts.shape?.[c]?.type)),
  );
  if (isPatientMove(rules, facts, changed)) return checkDesk(rules, facts, changed);
  const who = checkWho(rules, facts, changed);
  if (who) return who;
  for (const col of rules.signedBy ?? []) {
    if (op !== 'insert' && !changed.includes(col)) continue;
    const named = after[col];
    if (named == null) continue;
    if (!signer && rules.unsignedMayName?.(after)) continue;
    if (!signer) return `${table}.${col} names a person, so the change must come from that person logged in`;
    if (named !== signer.id) return `${table}.${col} must be the person making the change, not someone else`;
  }
  if (rules.owner && signer) {
    const owner = op === 'insert' ? after[rules.owner] : current[rules.owner];
    if (owner !== signer.id || after[rules.owner] !== signer.id) return `${table.replace(/_/g, ' ')} belong to one doctor (${rules.owner}): only that doctor may write them`;
  }
  return rules.states?.({ facts, changed, after }) ?? checkDesk(rules, facts, changed);
}

/**
 * Columns naming a workstation name the one pushing the change: an enrolled desk cannot claim
 * another desk wrote a row, or hand out numbers in another desk's series. `device_id` stamps every
 * write (the last desk that wrote the row), so whatever carries it must be the pusher's; the others
 * only when set by an insert or changed.
 */
function checkDesk(rules: TableRules, facts: ChangeFacts, changed: readonly string[]): string | null {
  const { device, table, columns } = facts;
  if (!device) return null;
  const desk: Record<string, DeskColumn> = { device_id: 'id', ...rules.pushingDevice };
  for (const [col, kind] of Object.entries(desk)) {
    const value = columns[col];
    if (value == null || (col !== 'device_id' && !changed.includes(col))) continue;
    if (kind === 'id') {
      if (value !== device.id) return `${table}.${col} names another workstation: a desk records only what it did itself`;
      continue;
    }
    if (!device.seriesPrefix) continue;
    if (seriesOf(kind, value) !== device.seriesPrefix) return `${table}.${col} ${JSON.stringify(value)} is not in this workstation's number series (${device.seriesPrefix}): a desk numbers only in its own series`;
  }
  return null;
}

/** Roles, a user's own row, and changes before anyone can log in. */
function checkWho(rules: TableRules, facts: ChangeFacts, changed: readonly string[]): string | null {
  const { table, op, signer } = facts;
  const deleting = op === 'delete' || (changed.includes('deleted_at') && facts.columns.deleted_at != null);
  const needed: (readonly Role[] | 'anyone')[] = op === 'insert' ? [rules.insert] : [];
  if (op !== 'insert' && deleting) needed.push(rules.delete);
  if (op !== 'insert' && changed.some((c) => c !== 'deleted_at')) needed.push(rules.update);
  if (!signer) {
    if (needed.every((n) => n === 'anyone')) return null;
    // The clinic and its first administrator are written before anyone can log in.
    if (facts.bootstrap && (table === 'users' || table === 'facility') && !deleting) return null;
    return `a change to ${table} must come from a logged-in user`;
  }
  if (table === 'users' && op !== 'insert' && facts.rowId === signer.id) {
    const other = changed.filter((c) => !OWN_ROW_COLUMNS.includes(c));
    if (other.length > 0) return `on their own account staff may change only their password, not their ${other.join(', ')}`;
    return null;
  }
  for (const roles of needed) {
    if (roles === 'anyone' || signer.roles.some((r) => roles.includes(r))) continue;
    const name = signer.roles.join('/') || 'user without a role';
    return `${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name} may not ${deleting && roles === rules.delete ? 'delete' : 'change'} ${table}`;
  }
  return null;
}

const EXPECTED: Record<ColumnType, string> = {
  text: 'text',
  integer: 'a whole number',
  real: 'a number',
  boolean: 'true or false',
  json: 'a list or a record',
};

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a number with a fraction';
  if (typeof value === 'boolean') return 'true/false';
  return `a ${typeof value}`;
}

function fits(type: ColumnType, value: unknown): boolean {
  switch (type) {
    case 'text':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'real':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean' || value === 0 || value === 1;
    case 'json':
      return typeof value === 'object' && value !== null;
  }
}

/** Every value of the change fits its column; an insert carries every required column. */
function checkValues(table: string, rules: TableRules, facts: ChangeFacts): string | null {
  const shape = facts.shape;
  if (!shape) return null;
  const cols = Object.keys(facts.columns);
  if (!cols.every((c) => Object.hasOwn(shape, c))) return `unknown column(s) ${cols.filter((c) => !Object.hasOwn(shape, c)).join(', ')} in ${table}`;
  for (const col of cols) {
    const value = facts.columns[col];
    const s = shape[col]!;
    if (value === null || value === undefined) {
      if (s.notNull) return `${table}.${col} cannot be empty`;
      continue;
    }
    if (!fits(s.type, value)) return `${table}.${col} must be ${EXPECTED[s.type]}, not ${kindOf(value)}`;
    const allowed = rules.values?.[col];
    if (allowed && (typeof value !== 'string' || !allowed.includes(value))) return `${table}.${col} cannot be ${JSON.stringify(value)} (it is one of ${allowed.join(', ')})`;
    const list = rules.lists?.[col];
    if (list && (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string' || !list.includes(v)))) {
      return `${table}.${col} must be a list of one or more of ${list.join(', ')}`;
    }
  }
  if (facts.op === 'insert') {
    const missing = requiredColumns(shape).filter((c) => facts.columns[c] == null);
    if (missing.length > 0) return `a new ${table} row needs ${missing.join(', ')}`;
  }
  return null;
}

/** The columns an insert must carry (NOT NULL without a default), once per table's shape. */
const required = new WeakMap<RowShape, string[]>();
function requiredColumns(shape: RowShape): string[] {
  let list = required.get(shape);
  if (!list) {
    list = Object.entries(shape).flatMap(([c, s]) => (s.notNull && !s.hasDefault ? [c] : []));
    required.set(shape, list);
  }
  return list;
}

function sameValue(a: unknown, b: unknown, type: ColumnType | undefined): boolean {
  if (type === 'boolean' && a != null && b != null) return (a === true || a === 1) === (b === true || b === 1);
  if (a === b) return true;
  if (a == null && b == null) return true;
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return false;
}
