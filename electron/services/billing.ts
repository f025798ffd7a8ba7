import { and, asc, desc, eq, inArray, isNull, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import {
  dayEnds,
  doctorProfiles,
  drugs,
  facility,
  invoices,
  labOrders,
  labTests,
  localMeta,
  patients,
  payments,
  prescriptions,
  priceList,
  refunds,
  users,
  visits,
  PAYMENT_MODES,
  SERVICE_KINDS,
  type InvoiceLine,
  type InvoiceTotals,
  type PaymentMode,
  type ServiceKind,
} from '../../db/schema';
import type { Row } from '../../db/write';
import { ApiFailure, type AuthedContext } from '../core/context';
import { lockedUntil, normaliseUsername } from './auth';
import { formatDay, localDate } from '../../shared/clinic-time';
import {
  allocate,
  amountInWords,
  BP,
  computeInvoice,
  documentType,
  financialYear,
  formatRupees,
  invoiceNumber,
  MoneyError,
  mulDivHalfUp,
  type ComputedTotals,
  type InvoiceDiscount,
} from '../../shared/money';
import { burnPasswordCheck, verifyPassword } from './passwords';
import { displayName } from './patient-search';
import { hasPermission } from '../../shared/permissions';
import { requirePatient } from './patients';
import { getWorkstation, nextInSeries } from './workstation';

type Ctx = AuthedContext;
type InvoiceRow = Row<typeof invoices>;

/* ------------------------------------------------------------------------------------------ */
/* Settings: the discount a counter may give without an administrator                          */
/* ------------------------------------------------------------------------------------------ */

/**
 * A discount (line discounts plus the invoice discount) above the lower of these needs an
 * administrator: 10% of the gross, or ₹500. Kept per workstation in local_meta, like the
 * workstation's number series.
 */
export const DISCOUNT_LIMIT_DEFAULTS = { discountLimitBp: 1000, discountLimitPaise: 50_000 } as const;
export type BillingSettings = { discountLimitBp: number; discountLimitPaise: number };

const SETTING_KEYS: Record<keyof BillingSettings, string> = {
  discountLimitBp: 'billing.discountLimitBp',
  discountLimitPaise: 'billing.discountLimitPaise',
};

export function getBillingSettings(ctx: Pick<Ctx, 'db'>): BillingSettings {
  const rows = ctx.db.select().from(localMeta).where(inArray(localMeta.key, Object.values(SETTING_KEYS))).all();
  const get = (k: keyof BillingSettings) => {
    const v = rows.find((r) => r.key === SETTING_KEYS[k])?.value;
    const n = v === undefined ? NaN : Number(v);
    return Number.isSafeInteger(n) && n >= 0 ? n : DISCOUNT_LIMIT_DEFAULTS[k];
  };
  return { discountLimitBp: get('discountLimitBp'), discountLimitPaise: get('discountLimitPaise') };
}

export function setBillingSettings(ctx: Ctx, next: Partial<BillingSettings>): BillingSettings {
  for (const [k, value] of Object.entries(next) as [keyof BillingSettings, number | undefined][]) {
    if (value === undefined) continue;
    const key = SETTING_KEYS[k];
    ctx.db.insert(localMeta).values({ key, value: String(value) }).onConflictDoUpdate({ target: localMeta.key, set: { value: String(value) } }).run();
  }
  const out = getBillingSettings(ctx);
  ctx.describe({ entityType: 'workstation', entityId: ctx.deviceId, detail: `billing settings ${JSON.stringify(out)}` });
  return out;
}

export function discountLimitPaise(settings: BillingSettings, grossPaise: number): number {
  return Math.min(mulDivHalfUp(grossPaise, settings.discountLimitBp, BP), settings.discountLimitPaise);
}

/* ------------------------------------------------------------------------------------------ */
/* Price list                                                                                 */
/* ------------------------------------------------------------------------------------------ */

export interface PriceItemInput {
  id?: string | undefined;
  code: string;
  name: string;
  kind: ServiceKind;
  sacHsn?: string | null | undefined;
  gstRateBp: number;
  pricePaise: number;
  taxInclusive: boolean;
  active?: boolean | undefined;
}

export function listPriceItems(ctx: Pick<Ctx, 'db'>, includeInactive: boolean) {
  const where = includeInactive ? isNull(priceList.deletedAt) : and(isNull(priceList.deletedAt), eq(priceList.active, true));
  return ctx.db
    .select({
      id: priceList.id,
      code: priceList.code,
      name: priceList.name,
      kind: priceList.kind,
      sacHsn: priceList.sacHsn,
      gstRateBp: priceList.gstRateBp,
      pricePaise: priceList.pricePaise,
      taxInclusive: priceList.taxInclusive,
      active: priceList.active,
    })
    .from(priceList)
    .where(where)
    .orderBy(asc(priceList.kind), asc(priceList.name))
    .all();
}

export function savePriceItem(ctx: Ctx, input: PriceItemInput) {
  const sameCode = ctx.db.select().from(priceList).where(eq(priceList.code, input.code)).get();
  if (sameCode && sameCode.id !== input.id) {
    throw new ApiFailure('conflict', `Code ${input.code} is already used by "${sameCode.name}".`, { code: 'Already used by another item' });
  }
  const values = {
    code: input.code,
    name: input.name,
    kind: input.kind,
    sacHsn: input.sacHsn ?? null,
    gstRateBp: input.gstRateBp,
    pricePaise: input.pricePaise,
    taxInclusive: input.taxInclusive,
    active: input.active ?? true,
  };
  let row;
  if (input.id) {
    const existing = ctx.db.select().from(priceList).where(eq(priceList.id, input.id)).get();
    if (!existing || existing.deletedAt !== null) throw new ApiFailure('not_found', 'No such price-list item.', { id: 'No such item' });
    row = ctx.write.update(priceList, existing.id, values);
  } else {
    row = ctx.write.insert(priceList, values);
  }
  return listPriceItems(ctx, true).find((r) => r.id === row.id)!;
}

/* ------------------------------------------------------------------------------------------ */
/* Invoices                                                                                   */
/* ------------------------------------------------------------------------------------------ */

export interface LineInput {
  kind: ServiceKind;
  refId?: string | null | undefined;
  description: string;
  sacHsn?: string | null | undefined;
  quantity: number;
  ratePaise: number;
  discountPaise?: number | undefined;
  gstRateBp?: number | undefined;
  taxInclusive?: boolean | undefined;
}

export interface DiscountInput {
  kind: 'amount' | 'percent';
  /** Paise for 'amount', basis points for 'percent'. */
  value: number;
  reason: string;
}

export interface Approval {
  username: string;
  password: string;
}

function toLine(l: LineInput): InvoiceLine {
  return {
    kind: l.kind,
    refId: l.refId ?? null,
    description: l.description,
    sacHsn: l.sacHsn ?? null,
    quantity: l.quantity,
    ratePaise: l.ratePaise,
    discountPaise: l.discountPaise ?? 0,
    gstRateBp: l.gstRateBp ?? 0,
    taxInclusive: l.taxInclusive ?? false,
  };
}

function discountOf(row: Pick<InvoiceRow, 'discountKind' | 'discountValue'>): InvoiceDiscount | null {
  if (!row.discountKind || row.discountValue === null) return null;
  return { kind: row.discountKind, value: row.discountValue };
}

/** Figures for lines and a discount, with impossible figures refused against the field at fault. */
function figures(lines: InvoiceLine[], discount: InvoiceDiscount | null) {
  try {
    return computeInvoice(lines, discount);
  } catch (e) {
    if (e instanceof MoneyError) throw new ApiFailure('invalid_input', `${e.field}: ${e.message}`, { [e.field]: e.message });
    throw e;
  }
}

function requireInvoice(ctx: Pick<Ctx, 'db'>, id: string): InvoiceRow {
  const row = ctx.db.select().from(invoices).where(eq(invoices.id, id)).get();
  if (!row || row.deletedAt !== null) throw new ApiFailure('not_found', 'No such invoice.', { invoiceId: 'No such invoice' });
  return row;
}

function label(row: Pick<InvoiceRow, 'invoiceNumber'>): string {
  return row.invoiceNumber ?? 'this draft';
}

/**
 * Who approves the discount on these figures: nobody needed (null) when it is within the limit;
 * the caller when they hold the approval permission; else the administrator named in `approval`,
 * whose password is checked here. Anything else is refused.
 */
function discountApprover(ctx: Ctx, totals: ComputedTotals, approval: Approval | null | undefined): { userId: string; username: string } | null {
  const given = totals.lineDiscountPaise + totals.invoiceDiscountPaise;
  const limit = discountLimitPaise(getBillingSettings(ctx), totals.grossPaise);
  if (given <= limit) return null;
  const what = `A discount of ${formatRupees(given)} is above the ${formatRupees(limit)} the counter may give on a bill of ${formatRupees(totals.grossPaise)}`;
  if (hasPermission(ctx.session.roles, 'billing.approveDiscount')) {
    ctx.describe({ detail: `${what}; approved by ${ctx.session.username} (administrator)` });
    return { userId: ctx.session.userId, username: ctx.session.username };
  }
  if (!approval) {
    throw new ApiFailure('forbidden', `${what}: an administrator must approve it (their username and password).`, {
      approval: 'An administrator must approve this discount',
    });
  }
  const username = normaliseUsername(approval.username);
  const user = ctx.db.select().from(users).where(eq(users.username, username)).get();
  // A password typed here is a password attempt on the approver's account like a login: the
  // refusal is audited against that account ('user'), so it counts towards the same lockout.
  const refused = (code: 'invalid_credentials' | 'account_locked' | 'forbidden', why: string, attempt: boolean) =>
    new ApiFailure(code, `The discount was not approved: ${why}.`, { 'approval.password': why }, {
      ...(attempt && user ? { entityType: 'user', entityId: user.id } : {}),
      detail: `discount approval by ${username} refused: ${why}`,
    });
  if (!user || user.deletedAt !== null) {
    burnPasswordCheck(approval.password);
    throw refused('invalid_credentials', 'wrong administrator username or password', false);
  }
  if (lockedUntil(ctx, user.id) !== null) throw refused('account_locked', `${username}'s account is locked after wrong passwords`, true);
  if (!verifyPassword(approval.password, user.passwordHash)) throw refused('invalid_credentials', 'wrong administrator username or password', true);
  if (!user.active || !hasPermission(user.roles, 'billing.approveDiscount')) throw refused('forbidden', `${username} is not an active administrator`, false);
  // The right password breaks the approver's run of failures, as a login would.
  ctx.alsoAudit('billing.approval', { entityType: 'user', entityId: user.id, detail: `discount approved by ${user.username}` });
  ctx.describe({ detail: `${what}; approved by ${user.username}` });
  return { userId: user.id, username: user.username };
}

function checkVisit(ctx: Ctx, visitId: string | null | undefined, patientId: string) {
  if (!visitId) return null;
  const v = ctx.db.select().from(visits).where(eq(visits.id, visitId)).get();
  if (!v || v.deletedAt !== null) throw new ApiFailure('not_found', 'No such visit.', { visitId: 'No such visit' });
  if (v.patientId !== patientId) throw new ApiFailure('invalid_input', 'visitId: That visit is another patient’s', { visitId: 'Another patient’s visit' });
  return v;
}

function checkDoctor(ctx: Ctx, doctorId: string | null | undefined): string | null {
  if (!doctorId) return null;
  const u = ctx.db.select({ roles: users.roles }).from(users).where(eq(users.id, doctorId)).get();
  if (!u || !u.roles.includes('doctor')) throw new ApiFailure('invalid_input', 'doctorId: No such doctor', { doctorId: 'No such doctor' });
  return doctorId;
}

function checkDiscountReason(discount: DiscountInput | null | undefined) {
  if (discount && discount.value > 0 && !discount.reason.trim()) {
    throw new ApiFailure('invalid_input', 'discount.reason: Say why the discount is given', { 'discount.reason': 'Say why the discount is given' });
  }
}

export interface CreateInvoiceInput {
  patientId: string;
  visitId?: string | null | undefined;
  doctorId?: string | null | undefined;
  lines: LineInput[];
  discount?: DiscountInput | null | undefined;
  approval?: Approval | null | undefined;
}

export function createInvoice(ctx: Ctx, input: CreateInvoiceInput) {
  const patient = requirePatient(ctx, input.patientId);
  const visit = checkVisit(ctx, input.visitId, patient.id);
  const doctorId = checkDoctor(ctx, input.doctorId ?? visit?.doctorId);
  checkDiscountReason(input.discount);
  const lines = input.lines.map(toLine);
  const discount = input.discount && input.discount.value > 0 ? input.discount : null;
  const { totals } = figures(lines, discount);
  const approver = discountApprover(ctx, totals, input.approval);
  const row = ctx.write.insert(invoices, {
    patientId: patient.id,
    visitId: visit?.id ?? null,
    doctorId,
    status: 'draft',
    lines,
    discountKind: discount?.kind ?? null,
    discountValue: discount?.value ?? null,
    discountReason: discount?.reason.trim() ?? null,
    discountApprovedBy: approver?.userId ?? null,
  });
  return invoiceView(ctx, row);
}

export interface UpdateInvoiceInput {
  invoiceId: string;
  lines?: LineInput[] | undefined;
  /** null removes the discount. */
  discount?: DiscountInput | null | undefined;
  doctorId?: string | null | undefined;
  approval?: Approval | null | undefined;
}

export function updateInvoice(ctx: Ctx, input: UpdateInvoiceInput) {
  const row = requireInvoice(ctx, input.invoiceId);
  if (row.status !== 'draft') {
    throw new ApiFailure('conflict', `Invoice ${label(row)} is ${row.status}; only a draft is edited. Void it and raise a new one.`, { invoiceId: `Already ${row.status}` });
  }
  const lines = input.lines ? input.lines.map(toLine) : row.lines;
  let discount = discountOf(row);
  let reason = row.discountReason;
  if (input.discount !== undefined) {
    checkDiscountReason(input.discount);
    discount = input.discount && input.discount.value > 0 ? { kind: input.discount.kind, value: input.discount.value } : null;
    reason = discount ? input.discount!.reason.trim() : null;
  }
  const { totals } = figures(lines, discount);
  const approver = discountApprover(ctx, totals, input.approval);
  const doctorId = input.doctorId !== undefined ? checkDoctor(ctx, input.doctorId) : row.doctorId;
  const updated = ctx.write.update(invoices, row.id, {
    lines,
    doctorId,
    discountKind: discount?.kind ?? null,
    discountValue: discount?.value ?? null,
    discountReason: reason,
    discountApprovedBy: approver?.userId ?? null,
  });
  return invoiceView(ctx, updated);
}

/**
 * Issues a draft: the next number of this workstation's series for the financial year, and the
 * figures fixed on each line and in the totals as they will be printed.
 */
export function issueInvoice(ctx: Ctx, input: { invoiceId: string; approval?: Approval | null | undefined }) {
  const row = requireInvoice(ctx, input.invoiceId);
  if (row.status !== 'draft') throw new ApiFailure('conflict', `Invoice ${label(row)} is already ${row.status}.`, { invoiceId: `Already ${row.status}` });
  if (row.lines.length === 0) throw new ApiFailure('invalid_input', 'lines: Add at least one line before issuing', { lines: 'Add at least one line' });
  const computed = figures(row.lines, discountOf(row));
  let approvedBy = row.discountApprovedBy;
  const given = computed.totals.lineDiscountPaise + computed.totals.invoiceDiscountPaise;
  if (given > discountLimitPaise(getBillingSettings(ctx), computed.totals.grossPaise) && !approvedBy) {
    approvedBy = discountApprover(ctx, computed.totals, input.approval)!.userId;
  }
  const today = ctx.today();
  const fy = financialYear(today);
  const prefix = getWorkstation(ctx.db).seriesPrefix;
  const seq = nextInSeries(ctx.db, `invoice/${fy.label}/${prefix}`);
  let number: string;
  try {
    number = invoiceNumber(fy.label, prefix, seq);
  } catch {
    throw new ApiFailure('conflict', `Invoice series ${fy.label}/${prefix} has run out of numbers; give this workstation another series prefix.`);
  }
  const lines: InvoiceLine[] = row.lines.map((l, i) => {
    const c = computed.lines[i]!;
    return { ...l, taxablePaise: c.taxablePaise, cgstPaise: c.cgstPaise, sgstPaise: c.sgstPaise, totalPaise: c.totalPaise };
  });
  const totals: InvoiceTotals = { ...computed.totals };
  const updated = ctx.write.update(invoices, row.id, {
    status: 'issued',
    invoiceNumber: number,
    financialYear: fy.name,
    lines,
    totals,
    discountApprovedBy: approvedBy,
    issuedAt: ctx.now(),
    issuedBy: ctx.session.userId,
    issuedDeviceId: ctx.deviceId,
    issuedOn: today,
  });
  return invoiceView(ctx, updated);
}

export function voidInvoice(ctx: Ctx, input: { invoiceId: string; reason: string }) {
  const row = requireInvoice(ctx, input.invoiceId);
  if (row.status === 'void') throw new ApiFailure('conflict', `Invoice ${label(row)} is already void.`, { invoiceId: 'Already void' });
  const { paid, refunded } = ledgerTotals(ctx, row.id);
  if (paid - refunded > 0) {
    throw new ApiFailure(
      'conflict',
      `${formatRupees(paid - refunded)} paid on invoice ${label(row)} has not been refunded. Refund it first, then void the invoice.`,
      { invoiceId: 'Money is still held on it: refund first' },
    );
  }
  const updated = ctx.write.update(invoices, row.id, { status: 'void', voidReason: input.reason, voidedAt: ctx.now(), voidedBy: ctx.session.userId });
  return invoiceView(ctx, updated);
}

/* ------------------------------------------------------------------------------------------ */
/* Ledger: payments and refunds (insert-only), balances computed                               */
/* ------------------------------------------------------------------------------------------ */

function ledgerTotals(ctx: Pick<Ctx, 'db'>, invoiceId: string): { paid: number; refunded: number } {
  const paid = ctx.db.select({ s: sql<number>`coalesce(sum(${payments.amountPaise}), 0)` }).from(payments).where(eq(payments.invoiceId, invoiceId)).get()?.s ?? 0;
  const refunded = ctx.db.select({ s: sql<number>`coalesce(sum(${refunds.amountPaise}), 0)` }).from(refunds).where(eq(refunds.invoiceId, invoiceId)).get()?.s ?? 0;
  return { paid, refunded };
}

function ledgerMap(ctx: Pick<Ctx, 'db'>, ids: string[]): Map<string, { paid: number; refunded: number }> {
  const out = new Map<string, { paid: number; refunded: number }>();
  for (const id of ids) out.set(id, { paid: 0, refunded: 0 });
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const r of ctx.db
      .select({ id: payments.invoiceId, s: sql<number>`sum(${payments.amountPaise})` })
      .from(payments)
      .where(inArray(payments.invoiceId, chunk))
      .groupBy(payments.invoiceId)
      .all()) {
      out.get(r.id!)!.paid = r.s;
    }
    for (const r of ctx.db
      .select({ id: refunds.invoiceId, s: sql<number>`sum(${refunds.amountPaise})` })
      .from(refunds)
      .where(inArray(refunds.invoiceId, chunk))
      .groupBy(refunds.invoiceId)
      .all()) {
      out.get(r.id!)!.refunded = r.s;
    }
  }
  return out;
}

/** Sum of amount_paise of the rows that match, 0 when none. */
function sumPaise(ctx: Pick<Ctx, 'db'>, table: typeof payments | typeof refunds, where: SQL | undefined): number {
  return ctx.db.select({ s: sql<number>`coalesce(sum(${table.amountPaise}), 0)` }).from(table).where(where).get()?.s ?? 0;
}

/**
 * The patient's advance not yet used: advances received (payments with no invoice) less what was
 * paid from it (mode 'advance') less what was given back (refunds with no invoice). With `upToHlc`,
 * as it stood once the ledger rows up to that stamp were written (a receipt printed later).
 */
export function advanceBalance(ctx: Pick<Ctx, 'db'>, patientId: string, upToHlc?: string): number {
  const upTo = (hlc: typeof payments.hlc | typeof refunds.hlc) => (upToHlc === undefined ? undefined : lte(hlc, upToHlc));
  const received = sumPaise(ctx, payments, and(eq(payments.patientId, patientId), isNull(payments.invoiceId), upTo(payments.hlc)));
  const used = sumPaise(ctx, payments, and(eq(payments.patientId, patientId), eq(payments.mode, 'advance'), upTo(payments.hlc)));
  const refunded = sumPaise(ctx, refunds, and(eq(refunds.patientId, patientId), isNull(refunds.invoiceId), upTo(refunds.hlc)));
  return received - used - refunded;
}

/** A patient's advance: what is left, and the money in, used and given back, newest first. */
export function advanceStatement(ctx: Ctx, patientId: string) {
  const patient = requirePatient(ctx, patientId);
  const received = ctx.db
    .select()
    .from(payments)
    .where(and(eq(payments.patientId, patient.id), or(isNull(payments.invoiceId), eq(payments.mode, 'advance'))))
    .all();
  const given = ctx.db
    .select()
    .from(refunds)
    .where(and(eq(refunds.patientId, patient.id), isNull(refunds.invoiceId)))
    .all();
  const entries = [
    ...received.map((p) => ({
      id: p.id,
      kind: p.invoiceId === null ? ('received' as const) : ('used' as const),
      on: p.receivedOn,
      mode: p.mode,
      amountPaise: p.amountPaise,
      note: p.invoiceId === null ? `receipt ${p.receiptNumber}` : `paid on ${requireInvoice(ctx, p.invoiceId).invoiceNumber ?? 'a bill'}`,
      hlc: p.hlc,
    })),
    ...given.map((r) => ({ id: r.id, kind: 'refunded' as const, on: r.refundedOn, mode: r.mode, amountPaise: r.amountPaise, note: r.reason, hlc: r.hlc })),
  ]
    // HLC order is the order the ledger was written in, across workstations.
    .sort((a, b) => (a.hlc < b.hlc ? 1 : a.hlc > b.hlc ? -1 : 0))
    .map(({ hlc: _hlc, ...e }) => e);
  const total = (kind: 'received' | 'used' | 'refunded') => entries.filter((e) => e.kind === kind).reduce((sum, e) => sum + e.amountPaise, 0);
  return {
    patientId: patient.id,
    patientName: displayName(patient),
    receivedPaise: total('received'),
    usedPaise: total('used'),
    refundedPaise: total('refunded'),
    balancePaise: advanceBalance(ctx, patient.id),
    entries,
  };
}

export type StatusLabel = 'draft' | 'issued' | 'partially paid' | 'paid' | 'void';

export function statusLabel(status: InvoiceRow['status'], totalPaise: number, netPaidPaise: number): StatusLabel {
  if (status !== 'issued') return status;
  if (netPaidPaise >= totalPaise) return 'paid';
  return netPaidPaise > 0 ? 'partially paid' : 'issued';
}

function dayClosed(ctx: Pick<Ctx, 'db' | 'deviceId'>, date: string) {
  return ctx.db
    .select()
    .from(dayEnds)
    .where(and(eq(dayEnds.date, date), eq(dayEnds.workstationId, ctx.deviceId), isNull(dayEnds.deletedAt)))
    .get();
}

function refuseIfClosed(ctx: Ctx, what: string) {
  const today = ctx.today();
  if (dayClosed(ctx, today)) {
    throw new ApiFailure('conflict', `The day ${formatDay(today)} has been closed on this workstation; no more ${what} can be recorded here today.`);
  }
}

function receiptNumber(ctx: Ctx): string {
  const fy = financialYear(ctx.today()).label;
  const prefix = getWorkstation(ctx.db).seriesPrefix;
  return `R/${fy}/${prefix}/${String(nextInSeries(ctx.db, `receipt/${fy}/${prefix}`)).padStart(6, '0')}`;
}

export interface PaymentPart {
  mode: PaymentMode;
  amountPaise: number;
  reference?: string | null | undefined;
}

/**
 * Money received: against an issued invoice (split across modes in one receipt, never more than
 * is due; 'advance' draws on the patient's unused advance), or, with only a patient, an advance.
 */
export function recordPayment(ctx: Ctx, input: { invoiceId?: string | undefined; patientId?: string | undefined; parts: PaymentPart[] }) {
  refuseIfClosed(ctx, 'payments');
  const sum = input.parts.reduce((s, p) => s + p.amountPaise, 0);
  let invoice: InvoiceRow | null = null;
  let patientId: string;
  if (input.invoiceId) {
    invoice = requireInvoice(ctx, input.invoiceId);
    if (input.patientId && input.patientId !== invoice.patientId) {
      throw new ApiFailure('invalid_input', 'patientId: The invoice is another patient’s', { patientId: 'The invoice is another patient’s' });
    }
    if (invoice.status === 'draft') throw new ApiFailure('conflict', 'Issue the invoice before taking payment for it.', { invoiceId: 'Still a draft' });
    if (invoice.status === 'void') throw new ApiFailure('conflict', `Invoice ${label(invoice)} is void; it takes no payments.`, { invoiceId: 'Void' });
    patientId = invoice.patientId;
    const { paid, refunded } = ledgerTotals(ctx, invoice.id);
    const due = invoice.totals!.totalPaise - (paid - refunded);
    if (due <= 0) throw new ApiFailure('conflict', `Invoice ${label(invoice)} is already paid in full.`, { invoiceId: 'Already paid' });
    if (sum > due) {
      throw new ApiFailure(
        'conflict',
        `${formatRupees(sum)} is more than the ${formatRupees(due)} due on invoice ${label(invoice)}. Take only what is due (an advance is recorded separately).`,
        { parts: `At most ${formatRupees(due)} is due` },
      );
    }
    const fromAdvance = input.parts.reduce((s, p) => s + (p.mode === 'advance' ? p.amountPaise : 0), 0);
    if (fromAdvance > 0) {
      const available = advanceBalance(ctx, patientId);
      if (fromAdvance > available) {
        const i = input.parts.findIndex((p) => p.mode === 'advance');
        throw new ApiFailure('conflict', `The patient has ${formatRupees(available)} of advance left, not ${formatRupees(fromAdvance)}.`, {
          [`parts.${i}.amountPaise`]: `Only ${formatRupees(available)} of advance is left`,
        });
      }
    }
  } else if (input.patientId) {
    patientId = requirePatient(ctx, input.patientId).id;
    const i = input.parts.findIndex((p) => p.mode === 'advance');
    if (i >= 0) {
      throw new ApiFailure('invalid_input', `parts.${i}.mode: An advance cannot be paid from the advance`, { [`parts.${i}.mode`]: 'An advance cannot be paid from the advance' });
    }
  } else {
    throw new ApiFailure('invalid_input', 'invoiceId: Give the invoice (or a patient, for an advance)', { invoiceId: 'Give the invoice, or a patient for an advance' });
  }
  const receipt = receiptNumber(ctx);
  const today = ctx.today();
  const rows = input.parts.map((p) =>
    ctx.write.insert(payments, {
      invoiceId: invoice?.id ?? null,
      patientId,
      mode: p.mode,
      amountPaise: p.amountPaise,
      reference: p.reference ?? null,
      receivedBy: ctx.session.userId,
      receivedOn: today,
      receiptNumber: receipt,
    }),
  );
  ctx.describe({ detail: `receipt ${receipt} ${formatRupees(sum)}${invoice ? ` on ${label(invoice)}` : ' advance'}` });
  return {
    receiptNumber: receipt,
    receivedOn: today,
    patientId,
    invoiceId: invoice?.id ?? null,
    totalPaise: sum,
    amountInWords: amountInWords(sum),
    parts: rows.map((r) => ({ id: r.id, mode: r.mode, amountPaise: r.amountPaise, reference: r.reference })),
    invoice: invoice ? summary(ctx, requireInvoice(ctx, invoice.id)) : null,
    advanceBalancePaise: advanceBalance(ctx, patientId),
  };
}

export interface RefundInput {
  /** The invoice the money was paid on; without it, the refund comes out of the patient's advance. */
  invoiceId?: string | undefined;
  patientId?: string | undefined;
  amountPaise: number;
  mode: PaymentMode;
  reason: string;
}

/**
 * Money given back (insert-only): against an invoice, at most what was paid on it; or, with only a
 * patient, at most the advance they have not used. Refused on a day closed on this workstation.
 */
export function recordRefund(ctx: Ctx, input: RefundInput) {
  refuseIfClosed(ctx, 'refunds');
  if (!input.invoiceId) {
    if (!input.patientId) {
      throw new ApiFailure('invalid_input', 'invoiceId: Give the invoice, or a patient to refund their unused advance', {
        invoiceId: 'Give the invoice, or a patient to refund their unused advance',
      });
    }
    return refundAdvance(ctx, { ...input, patientId: input.patientId });
  }
  const invoice = requireInvoice(ctx, input.invoiceId);
  if (input.patientId && input.patientId !== invoice.patientId) {
    throw new ApiFailure('invalid_input', 'patientId: The invoice is another patient’s', { patientId: 'The invoice is another patient’s' });
  }
  if (invoice.status === 'draft') throw new ApiFailure('conflict', 'A draft has taken no money to refund.', { invoiceId: 'Still a draft' });
  const { paid, refunded } = ledgerTotals(ctx, invoice.id);
  const held = paid - refunded;
  if (input.amountPaise > held) {
    throw new ApiFailure(
      'conflict',
      held > 0
        ? `Only ${formatRupees(held)} paid on invoice ${label(invoice)} is left to refund; ${formatRupees(input.amountPaise)} cannot be refunded.`
        : `Nothing paid on invoice ${label(invoice)} is left to refund.`,
      { amountPaise: `At most ${formatRupees(Math.max(0, held))}` },
    );
  }
  const row = ctx.write.insert(refunds, {
    invoiceId: invoice.id,
    patientId: invoice.patientId,
    mode: input.mode,
    amountPaise: input.amountPaise,
    reason: input.reason,
    refundedBy: ctx.session.userId,
    refundedOn: ctx.today(),
  });
  return {
    refundId: row.id,
    refundedOn: row.refundedOn,
    amountPaise: row.amountPaise,
    mode: row.mode,
    patientId: invoice.patientId,
    invoice: summary(ctx, invoice),
    advanceBalancePaise: advanceBalance(ctx, invoice.patientId),
  };
}

/** Gives back part or all of the advance a patient left and has not used on a bill. */
function refundAdvance(ctx: Ctx, input: RefundInput & { patientId: string }) {
  const patient = requirePatient(ctx, input.patientId);
  const left = advanceBalance(ctx, patient.id);
  if (input.amountPaise > left) {
    const name = displayName(patient);
    throw new ApiFailure(
      'conflict',
      left > 0
        ? `Only ${formatRupees(left)} of ${name}’s advance is unused; ${formatRupees(input.amountPaise)} cannot be refunded.`
        : `${name} has no unused advance to refund.`,
      { amountPaise: `At most ${formatRupees(Math.max(0, left))}` },
    );
  }
  const row = ctx.write.insert(refunds, {
    invoiceId: null,
    patientId: patient.id,
    mode: input.mode,
    amountPaise: input.amountPaise,
    reason: input.reason,
    refundedBy: ctx.session.userId,
    refundedOn: ctx.today(),
  });
  ctx.describe({ detail: `advance refund ${formatRupees(row.amountPaise)} (${row.mode}) to ${patient.mrn}` });
  return {
    refundId: row.id,
    refundedOn: row.refundedOn,
    amountPaise: row.amountPaise,
    mode: row.mode,
    patientId: patient.id,
    invoice: null,
    advanceBalancePaise: left - row.amountPaise,
  };
}

/* ------------------------------------------------------------------------------------------ */
/* Views                                                                                      */
/* ------------------------------------------------------------------------------------------ */

function summary(ctx: Pick<Ctx, 'db'>, row: InvoiceRow, ledger?: { paid: number; refunded: number }) {
  const { paid, refunded } = ledger ?? ledgerTotals(ctx, row.id);
  const totalPaise = row.totals?.totalPaise ?? (row.status === 'draft' ? computeInvoice(row.lines, discountOf(row)).totals.totalPaise : 0);
  const net = paid - refunded;
  return {
    id: row.id,
    invoiceNumber: row.invoiceNumber,
    status: row.status,
    statusLabel: statusLabel(row.status, totalPaise, net),
    totalPaise,
    paidPaise: net,
    grossPaidPaise: paid,
    refundedPaise: refunded,
    balancePaise: row.status === 'issued' ? totalPaise - net : 0,
  };
}

function doctorCard(ctx: Pick<Ctx, 'db'>, doctorId: string | null) {
  if (!doctorId) return null;
  const u = ctx.db.select({ fullName: users.fullName }).from(users).where(eq(users.id, doctorId)).get();
  const p = ctx.db.select().from(doctorProfiles).where(eq(doctorProfiles.userId, doctorId)).get();
  return {
    id: doctorId,
    name: u?.fullName ?? '',
    qualifications: p?.qualifications ?? null,
    registrationCouncil: p?.registrationCouncil ?? null,
    /** NMC: receipts show the registration number. */
    registrationNumber: p?.registrationNumber ?? null,
    hprId: p?.hprId ?? null,
  };
}

function clinicCard(ctx: Pick<Ctx, 'db'>) {
  const f = ctx.db.select().from(facility).where(isNull(facility.deletedAt)).get();
  return {
    name: f?.name ?? '',
    address: f?.address ?? '',
    phone: f?.phone ?? '',
    gstin: f?.letterhead.gstin?.trim() || null,
    hfrId: f?.hfrId ?? null,
  };
}

function userName(ctx: Pick<Ctx, 'db'>, id: string | null): string | null {
  if (!id) return null;
  return ctx.db.select({ n: users.fullName }).from(users).where(eq(users.id, id)).get()?.n ?? null;
}

export function invoiceView(ctx: Pick<Ctx, 'db'>, row: InvoiceRow) {
  const patient = ctx.db.select().from(patients).where(eq(patients.id, row.patientId)).get()!;
  const discount = discountOf(row);
  // A draft shows what it would come to; an issued invoice shows the figures fixed when issued.
  const computed = row.status === 'issued' || (row.status === 'void' && row.totals) ? null : computeInvoice(row.lines, discount);
  const lines = row.lines.map((l, i) => {
    const c = computed?.lines[i];
    const taxablePaise = c?.taxablePaise ?? l.taxablePaise ?? 0;
    const cgstPaise = c?.cgstPaise ?? l.cgstPaise ?? 0;
    const sgstPaise = c?.sgstPaise ?? l.sgstPaise ?? 0;
    const grossPaise = l.quantity * l.ratePaise;
    // What the line came to after both discounts: tax included for MRP lines, before tax otherwise.
    const amountPaise = c?.amountPaise ?? (l.taxInclusive ? taxablePaise + cgstPaise + sgstPaise : taxablePaise);
    return {
      ...l,
      grossPaise,
      invoiceDiscountPaise: c?.invoiceDiscountPaise ?? grossPaise - l.discountPaise - amountPaise,
      amountPaise,
      taxablePaise,
      cgstPaise,
      sgstPaise,
      totalPaise: c?.totalPaise ?? l.totalPaise ?? taxablePaise + cgstPaise + sgstPaise,
    };
  });
  const totals: InvoiceTotals = computed?.totals ?? row.totals!;
  const pays = ctx.db.select().from(payments).where(eq(payments.invoiceId, row.id)).orderBy(asc(payments.createdAt), asc(payments.id)).all();
  const refs = ctx.db.select().from(refunds).where(eq(refunds.invoiceId, row.id)).orderBy(asc(refunds.createdAt), asc(refunds.id)).all();
  const paid = pays.reduce((s, p) => s + p.amountPaise, 0);
  const refunded = refs.reduce((s, r) => s + r.amountPaise, 0);
  const net = paid - refunded;
  return {
    id: row.id,
    invoiceNumber: row.invoiceNumber,
    financialYear: row.financialYear,
    status: row.status,
    statusLabel: statusLabel(row.status, totals.totalPaise, net),
    documentType: documentType(row.lines),
    patient: {
      id: patient.id,
      name: displayName(patient),
      mrn: patient.mrn,
      mobile: patient.mobile,
      abhaNumber: patient.abhaNumber,
      abhaAddress: patient.abhaAddress,
    },
    visitId: row.visitId,
    doctor: doctorCard(ctx, row.doctorId),
    clinic: clinicCard(ctx),
    lines,
    discount: discount
      ? { ...discount, reason: row.discountReason, approvedBy: row.discountApprovedBy, approvedByName: userName(ctx, row.discountApprovedBy) }
      : null,
    totals,
    amountInWords: amountInWords(totals.totalPaise),
    payments: pays.map((p) => ({
      id: p.id,
      mode: p.mode,
      amountPaise: p.amountPaise,
      reference: p.reference,
      receiptNumber: p.receiptNumber,
      receivedOn: p.receivedOn,
      receivedBy: userName(ctx, p.receivedBy),
    })),
    refunds: refs.map((r) => ({ id: r.id, mode: r.mode, amountPaise: r.amountPaise, reason: r.reason, refundedOn: r.refundedOn, refundedBy: userName(ctx, r.refundedBy) })),
    paidPaise: net,
    grossPaidPaise: paid,
    refundedPaise: refunded,
    balancePaise: row.status === 'issued' ? totals.totalPaise - net : 0,
    createdAt: row.createdAt,
    issuedAt: row.issuedAt,
    issuedOn: row.issuedOn,
    issuedBy: userName(ctx, row.issuedBy),
    voidReason: row.voidReason,
    voidedAt: row.voidedAt,
    voidedBy: userName(ctx, row.voidedBy),
  };
}

export function getInvoice(ctx: Pick<Ctx, 'db'>, invoiceId: string) {
  return invoiceView(ctx, requireInvoice(ctx, invoiceId));
}

export type InvoiceView = ReturnType<typeof invoiceView>;

export function listInvoices(
  ctx: Ctx,
  input: { date?: string | undefined; patientId?: string | undefined; status?: StatusLabel | undefined; limit?: number | undefined },
) {
  const where = [isNull(invoices.deletedAt)];
  if (input.patientId) where.push(eq(invoices.patientId, input.patientId));
  if (input.date) where.push(or(eq(invoices.issuedOn, input.date), isNull(invoices.issuedOn))!);
  if (input.status === 'draft' || input.status === 'void') where.push(eq(invoices.status, input.status));
  else if (input.status) where.push(eq(invoices.status, 'issued'));
  const limit = input.limit ?? 200;
  const rows = ctx.db
    .select({ i: invoices, p: { givenName: patients.givenName, familyName: patients.familyName, mrn: patients.mrn } })
    .from(invoices)
    .innerJoin(patients, eq(patients.id, invoices.patientId))
    .where(and(...where))
    .orderBy(desc(invoices.createdAt), desc(invoices.id))
    .all()
    // A draft has no issue day: it belongs to the day it was raised.
    .filter(({ i }) => !input.date || i.issuedOn === input.date || localDate(i.createdAt, ctx.settings.timeZone) === input.date);
  const ledgers = ledgerMap(ctx, rows.map((r) => r.i.id));
  const doctors = new Map<string, string>();
  const out = [];
  for (const { i, p } of rows) {
    const s = summary(ctx, i, ledgers.get(i.id));
    if (input.status && s.statusLabel !== input.status) continue;
    if (i.doctorId && !doctors.has(i.doctorId)) doctors.set(i.doctorId, userName(ctx, i.doctorId) ?? '');
    out.push({
      ...s,
      documentType: documentType(i.lines),
      patientId: i.patientId,
      patientName: displayName(p),
      mrn: p.mrn,
      visitId: i.visitId,
      doctorId: i.doctorId,
      doctorName: i.doctorId ? doctors.get(i.doctorId)! : null,
      createdAt: i.createdAt,
      issuedOn: i.issuedOn,
    });
    if (out.length >= limit) break;
  }
  return out;
}

/** Issued invoices with money still due, oldest first. */
export function listDues(ctx: Ctx) {
  const rows = ctx.db.all<{ id: string; paid: number; refunded: number }>(sql`
    SELECT i.id AS id, coalesce(p.s, 0) AS paid, coalesce(r.s, 0) AS refunded
    FROM invoices i
    LEFT JOIN (SELECT invoice_id, sum(amount_paise) AS s FROM payments WHERE invoice_id IS NOT NULL GROUP BY invoice_id) p ON p.invoice_id = i.id
    LEFT JOIN (SELECT invoice_id, sum(amount_paise) AS s FROM refunds GROUP BY invoice_id) r ON r.invoice_id = i.id
    WHERE i.status = 'issued' AND i.deleted_at IS NULL
      AND json_extract(i.totals, '$.totalPaise') > coalesce(p.s, 0) - coalesce(r.s, 0)
    ORDER BY i.issued_at, i.id`);
  const invoicesDue = rows.map((r) => {
    const i = requireInvoice(ctx, r.id);
    const p = ctx.db.select().from(patients).where(eq(patients.id, i.patientId)).get()!;
    const s = summary(ctx, i, { paid: r.paid, refunded: r.refunded });
    return {
      ...s,
      patientId: p.id,
      patientName: displayName(p),
      mrn: p.mrn,
      mobile: p.mobile,
      doctorName: userName(ctx, i.doctorId),
      issuedOn: i.issuedOn,
    };
  });
  return { invoices: invoicesDue, count: invoicesDue.length, totalDuePaise: invoicesDue.reduce((s, i) => s + i.balancePaise, 0) };
}

/* ------------------------------------------------------------------------------------------ */
/* Suggested lines for a visit                                                                */
/* ------------------------------------------------------------------------------------------ */

export const SAC_CONSULTATION = '999312';
export const SAC_LAB = '999316';
export const HSN_MEDICINE = '3004';
/** Most medicines carry 5% GST; used when the formulary row has no rate. */
const DEFAULT_MEDICINE_GST_BP = 500;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function shortDay(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString('en-IN', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

/**
 * Draft lines for a visit that the cashier edits before saving: the doctor's fee (the follow-up
 * fee within the doctor's follow-up window after a completed visit), the tests ordered, and the
 * prescribed medicines that have an MRP.
 */
export function suggestLines(ctx: Ctx, visitId: string) {
  const visit = ctx.db.select().from(visits).where(eq(visits.id, visitId)).get();
  if (!visit || visit.deletedAt !== null) throw new ApiFailure('not_found', 'No such visit.', { visitId: 'No such visit' });
  ctx.describe({ entityType: 'visits', entityId: visit.id, detail: 'billing suggestion (fee, tests, medicines)' });
  const lines: LineInput[] = [];
  const notes: string[] = [];

  const profile = ctx.db.select().from(doctorProfiles).where(eq(doctorProfiles.userId, visit.doctorId)).get();
  const doctorName = userName(ctx, visit.doctorId) ?? 'The doctor';
  if (!profile) {
    notes.push(`${doctorName} has no fees set up (Doctors screen); add the consultation line by hand.`);
  } else {
    const previous = ctx.db
      .select({ date: visits.date })
      .from(visits)
      .where(
        and(
          eq(visits.patientId, visit.patientId),
          eq(visits.doctorId, visit.doctorId),
          eq(visits.status, 'done'),
          ne(visits.id, visit.id),
          lte(visits.date, visit.date),
          lt(visits.checkedInAt, visit.checkedInAt),
          isNull(visits.deletedAt),
        ),
      )
      .orderBy(desc(visits.date), desc(visits.checkedInAt))
      .get();
    const gap = previous ? daysBetween(previous.date, visit.date) : null;
    const followUp = previous && gap !== null && gap <= profile.followUpWindowDays;
    lines.push({
      kind: followUp ? 'follow-up' : 'consultation',
      refId: visit.doctorId,
      description: followUp
        ? `Follow-up consultation (within ${profile.followUpWindowDays} days of ${shortDay(previous.date)})`
        : 'Consultation',
      sacHsn: SAC_CONSULTATION,
      quantity: 1,
      ratePaise: followUp ? profile.followUpFeePaise : profile.consultationFeePaise,
      discountPaise: 0,
      gstRateBp: 0,
      taxInclusive: false,
    });
  }

  const tests = ctx.db
    .select({ testId: labTests.id, name: labTests.name, pricePaise: labTests.pricePaise })
    .from(labOrders)
    .innerJoin(labTests, eq(labTests.id, labOrders.testId))
    .where(and(eq(labOrders.visitId, visit.id), ne(labOrders.status, 'cancelled'), isNull(labOrders.deletedAt)))
    .orderBy(asc(labOrders.createdAt))
    .all();
  for (const t of tests) {
    lines.push({ kind: 'lab', refId: t.testId, description: t.name, sacHsn: SAC_LAB, quantity: 1, ratePaise: t.pricePaise, discountPaise: 0, gstRateBp: 0, taxInclusive: false });
  }

  const rx = ctx.db.select().from(prescriptions).where(and(eq(prescriptions.visitId, visit.id), isNull(prescriptions.deletedAt))).get();
  for (const item of rx?.items ?? []) {
    const drug = item.drugId ? ctx.db.select().from(drugs).where(eq(drugs.id, item.drugId)).get() : undefined;
    const name = [item.genericName.toUpperCase(), item.strength, item.form].filter(Boolean).join(' ') + (item.brand ? ` (${item.brand})` : '');
    if (!drug || drug.mrpPaise === null) {
      notes.push(`${name}: no MRP in the formulary, not added.`);
      continue;
    }
    const quantity = item.quantity && item.quantity > 0 ? item.quantity : 1;
    if (!(item.quantity && item.quantity > 0)) notes.push(`${name}: the prescription gives no quantity; 1 assumed.`);
    if (drug.gstRateBp === null) notes.push(`${name}: no GST rate in the formulary; 5% assumed.`);
    lines.push({
      kind: 'medicine',
      refId: drug.id,
      description: name,
      sacHsn: drug.hsnCode ?? HSN_MEDICINE,
      quantity,
      ratePaise: drug.mrpPaise,
      discountPaise: 0,
      gstRateBp: drug.gstRateBp ?? DEFAULT_MEDICINE_GST_BP,
      taxInclusive: true,
    });
  }

  const existing = ctx.db
    .select({ id: invoices.id, invoiceNumber: invoices.invoiceNumber, status: invoices.status })
    .from(invoices)
    .where(and(eq(invoices.visitId, visit.id), ne(invoices.status, 'void'), isNull(invoices.deletedAt)))
    .all();
  for (const e of existing) notes.push(`This visit already has ${e.invoiceNumber ? `invoice ${e.invoiceNumber}` : 'a draft invoice'} (${e.status}).`);
  return { visitId: visit.id, patientId: visit.patientId, doctorId: visit.doctorId, lines, notes, existingInvoices: existing };
}

/* ------------------------------------------------------------------------------------------ */
/* Day end                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/** Notes and coins, in rupees. */
export const DENOMINATIONS = ['2000', '500', '200', '100', '50', '20', '10', '5', '2', '1'] as const;

export interface DayEndInput {
  date: string;
  openingCashPaise: number;
  denominations: Record<string, number>;
  close: boolean;
}

function zeroModes(): Record<PaymentMode, number> {
  return Object.fromEntries(PAYMENT_MODES.map((m) => [m, 0])) as Record<PaymentMode, number>;
}

/** The day's figures for this workstation; with `close` the day is closed and locked here. */
export function dayEnd(ctx: Ctx, input: DayEndInput) {
  const today = ctx.today();
  if (input.date > today) throw new ApiFailure('invalid_input', 'date: A day cannot be closed before it has happened', { date: 'In the future' });
  const closed = dayClosed(ctx, input.date);
  if (input.close && closed) {
    throw new ApiFailure('conflict', `${formatDay(input.date)} was already closed on this workstation by ${userName(ctx, closed.closedBy) ?? 'someone'}.`, {
      date: 'Already closed',
    });
  }
  const report = dayReport(ctx, input);
  if (input.close) {
    const row = ctx.write.insert(dayEnds, {
      date: input.date,
      workstationId: ctx.deviceId,
      openingCashPaise: input.openingCashPaise,
      denominations: input.denominations,
      countedCashPaise: report.cash.countedPaise,
      expectedCashPaise: report.cash.expectedPaise,
      differencePaise: report.cash.differencePaise,
      summary: report as unknown as Record<string, unknown>,
      closedBy: ctx.session.userId,
    });
    return { ...report, closed: true, closedAt: row.createdAt, closedBy: ctx.session.fullName, preview: false };
  }
  return {
    ...report,
    closed: closed !== undefined,
    closedAt: closed?.createdAt ?? null,
    closedBy: closed ? userName(ctx, closed.closedBy) : null,
    preview: true,
  };
}

function dayReport(ctx: Ctx, input: DayEndInput) {
  const { date } = input;
  const pays = ctx.db
    .select()
    .from(payments)
    .where(and(eq(payments.receivedOn, date), eq(payments.deviceId, ctx.deviceId)))
    .orderBy(asc(payments.createdAt), asc(payments.id))
    .all();
  const refs = ctx.db
    .select()
    .from(refunds)
    .where(and(eq(refunds.refundedOn, date), eq(refunds.deviceId, ctx.deviceId)))
    .orderBy(asc(refunds.createdAt), asc(refunds.id))
    .all();

  const byMode = zeroModes();
  for (const p of pays) byMode[p.mode] += p.amountPaise;
  const refundsByMode = zeroModes();
  for (const r of refs) refundsByMode[r.mode] += r.amountPaise;

  // Money on invoices is attributed to the invoice's doctor and spread over its lines' kinds.
  const invoiceIds = [...new Set([...pays.map((p) => p.invoiceId), ...refs.map((r) => r.invoiceId)].filter((x): x is string => x !== null))];
  const invoiceRows = new Map(invoiceIds.map((id) => [id, requireInvoice(ctx, id)]));
  const doctorTotals = new Map<string, { collectedPaise: number; refundedPaise: number }>();
  const serviceTotals = new Map<ServiceKind, { collectedPaise: number; refundedPaise: number }>(
    SERVICE_KINDS.map((k) => [k, { collectedPaise: 0, refundedPaise: 0 }]),
  );
  const attribute = (invoiceId: string, amount: number, key: 'collectedPaise' | 'refundedPaise') => {
    const inv = invoiceRows.get(invoiceId)!;
    const doctor = inv.doctorId ?? '';
    const d = doctorTotals.get(doctor) ?? { collectedPaise: 0, refundedPaise: 0 };
    d[key] += amount;
    doctorTotals.set(doctor, d);
    const weights = inv.lines.map((l) => l.totalPaise ?? 0);
    const parts = weights.some((w) => w > 0) ? allocate(amount, weights) : inv.lines.map((_, i) => (i === 0 ? amount : 0));
    inv.lines.forEach((l, i) => {
      serviceTotals.get(l.kind)![key] += parts[i]!;
    });
  };
  let advancesReceivedPaise = 0;
  for (const p of pays) {
    if (p.invoiceId) attribute(p.invoiceId, p.amountPaise, 'collectedPaise');
    else advancesReceivedPaise += p.amountPaise;
  }
  // An advance refunded belongs to no bill (as an advance received belongs to none), so it counts in
  // the refunds by mode and in the cash drawer, but under no doctor or service.
  let advancesRefundedPaise = 0;
  for (const r of refs) {
    if (r.invoiceId) attribute(r.invoiceId, r.amountPaise, 'refundedPaise');
    else advancesRefundedPaise += r.amountPaise;
  }

  const byDoctor = [...doctorTotals.entries()]
    .map(([doctorId, t]) => ({
      doctorId: doctorId || null,
      doctorName: doctorId ? (userName(ctx, doctorId) ?? '') : '(no doctor)',
      ...t,
      netPaise: t.collectedPaise - t.refundedPaise,
    }))
    .sort((a, b) => a.doctorName.localeCompare(b.doctorName));
  const byService = [...serviceTotals.entries()]
    .filter(([, t]) => t.collectedPaise !== 0 || t.refundedPaise !== 0)
    .map(([kind, t]) => ({ kind, ...t, netPaise: t.collectedPaise - t.refundedPaise }));

  const issued = ctx.db
    .select({ number: invoices.invoiceNumber, totals: invoices.totals, status: invoices.status })
    .from(invoices)
    .where(and(eq(invoices.issuedOn, date), eq(invoices.issuedDeviceId, ctx.deviceId), isNull(invoices.deletedAt)))
    .orderBy(asc(invoices.invoiceNumber))
    .all();
  const voided = ctx.db
    .select({ number: invoices.invoiceNumber, voidedAt: invoices.voidedAt })
    .from(invoices)
    .where(and(eq(invoices.status, 'void'), eq(invoices.issuedDeviceId, ctx.deviceId), isNull(invoices.deletedAt)))
    .all()
    .filter((v) => v.voidedAt !== null && localDate(v.voidedAt, ctx.settings.timeZone) === date);

  const dues = listDues(ctx);
  const countedPaise = Object.entries(input.denominations).reduce((s, [note, count]) => s + Number(note) * 100 * count, 0);
  const expectedPaise = input.openingCashPaise + byMode.cash - refundsByMode.cash;
  const receivedPaise = pays.filter((p) => p.mode !== 'advance').reduce((s, p) => s + p.amountPaise, 0);
  return {
    date,
    workstationId: ctx.deviceId,
    seriesPrefix: getWorkstation(ctx.db).seriesPrefix,
    byMode,
    /** Money that came in (everything but payments drawn from an advance). */
    receivedPaise,
    advancesReceivedPaise,
    advanceUsedPaise: byMode.advance,
    /** Unused advances given back (part of refundedPaise and refundsByMode). */
    advancesRefundedPaise,
    paymentCount: pays.length,
    receipts: [...new Set(pays.map((p) => p.receiptNumber))],
    refundsByMode,
    refundedPaise: refs.reduce((s, r) => s + r.amountPaise, 0),
    byDoctor,
    byService,
    /** Every number issued that day here (void ones too, so the series can be checked); billed leaves out the void. */
    invoicesIssued: {
      count: issued.length,
      numbers: issued.map((i) => i.number!),
      billedPaise: issued.reduce((s, i) => s + (i.status === 'void' ? 0 : (i.totals?.totalPaise ?? 0)), 0),
    },
    invoicesVoided: { count: voided.length, numbers: voided.map((v) => v.number ?? '(draft)') },
    dues: { count: dues.count, totalPaise: dues.totalDuePaise },
    cash: {
      openingPaise: input.openingCashPaise,
      receivedPaise: byMode.cash,
      refundedPaise: refundsByMode.cash,
      expectedPaise,
      denominations: input.denominations,
      countedPaise,
      differencePaise: countedPaise - expectedPaise,
    },
  };
}
