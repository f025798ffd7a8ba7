/**
 * The Invoice record of an ABDM care context (docs/ABDM.md "Care contexts"): the InvoiceRecord of
 * the visit's current issued bill. What its Invoice must say to stand for a bill row, checked by the
 * desk's Writer (db/related-rows.ts) and the server (server/related-rows.ts) alike: a desk may not
 * put a made-up bill, a void one or another visit's into what ABDM is sent.
 */

/** How the Invoice names the bill row it describes (an identifier beside the bill's number). */
export const INVOICE_ROW_SYSTEM = 'urn:ietf:rfc:3986';

/** What an InvoiceRecord's Invoice says about its bill, read from the bundle as invoiceBundle writes it. */
export interface InvoiceRecordFacts {
  invoiceId: string | null;
  number: string | null;
  grossPaise: number | null;
  netPaise: number | null;
  status: string | null;
}

/** The bill row as either end holds it (snake_case, totals as the invoices.totals JSON). */
export interface BillRow {
  visit_id?: unknown;
  status?: unknown;
  invoice_number?: unknown;
  totals?: unknown;
  deleted_at?: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** FHIR Money (rupees as a decimal) in paise; null when it is not an INR amount. */
function paiseOf(money: unknown): number | null {
  if (!isRecord(money) || typeof money.value !== 'number' || !Number.isFinite(money.value) || money.currency !== 'INR') return null;
  return Math.round(money.value * 100);
}

/** The care context's Invoice bundle, or undefined when it holds none. */
export function invoiceBundleOf(bundles: unknown): unknown {
  return isRecord(bundles) ? bundles.Invoice : undefined;
}

/** What the bundle's (first) Invoice says, or null when the bundle has no Invoice at all. */
export function invoiceRecordFacts(bundle: unknown): InvoiceRecordFacts | null {
  if (!isRecord(bundle) || !Array.isArray(bundle.entry)) return null;
  const invoice = bundle.entry.map((e) => (isRecord(e) ? e.resource : null)).find((r): r is Record<string, unknown> => isRecord(r) && r.resourceType === 'Invoice');
  if (!invoice) return null;
  const ids = Array.isArray(invoice.identifier) ? invoice.identifier.filter(isRecord) : [];
  const rowId = ids.find((i) => i.system === INVOICE_ROW_SYSTEM && typeof i.value === 'string' && i.value.startsWith('urn:uuid:'));
  const number = ids.find((i) => i.system === undefined && typeof i.value === 'string');
  return {
    invoiceId: rowId ? String(rowId.value).slice('urn:uuid:'.length) : null,
    number: number ? String(number.value) : null,
    grossPaise: paiseOf(invoice.totalGross),
    netPaise: paiseOf(invoice.totalNet),
    status: typeof invoice.status === 'string' ? invoice.status : null,
  };
}

/** The bill row id an Invoice bundle describes, or null. */
export function heldInvoiceId(bundle: unknown): string | null {
  return invoiceRecordFacts(bundle)?.invoiceId ?? null;
}

const rupees = (paise: number) => `₹${(paise / 100).toFixed(2)}`;
const WHAT = 'the Invoice record of an ABDM care context';

/**
 * Why an Invoice bundle written into a care context does not stand for an issued, non-void bill of
 * that visit and patient (the bill's own row, found by the id the bundle names), or null. The
 * record is the bill as issued (credit notes are their own documents): its number, its total
 * (totalGross) and taxable value (totalNet) are the bill's, and it is not cancelled.
 */
export function invoiceRecordProblem(visitId: unknown, bundle: unknown, bill: BillRow | null, samePatient: boolean): string | null {
  const facts = invoiceRecordFacts(bundle);
  if (!facts) return `${WHAT} holds an InvoiceRecord bundle with its Invoice`;
  if (!facts.invoiceId) return `${WHAT} names the bill it describes (an identifier ${INVOICE_ROW_SYSTEM} urn:uuid:<bill id>)`;
  if (!bill || bill.deleted_at != null) return `${WHAT} is a bill that is there: bill ${facts.invoiceId} is not`;
  const number = typeof bill.invoice_number === 'string' ? bill.invoice_number : facts.invoiceId;
  if (bill.visit_id !== visitId) return `${WHAT} is a bill of that visit: bill ${number} is of another visit`;
  if (!samePatient) return `${WHAT} is a bill of that patient: bill ${number} is another patient's`;
  if (bill.status !== 'issued') return `${WHAT} is an issued bill: bill ${number} is ${String(bill.status)}`;
  if (facts.number !== bill.invoice_number) return `${WHAT} matches its bill: it says number ${String(facts.number)}, the bill is ${number}`;
  const totals = isRecord(bill.totals) ? bill.totals : {};
  if (facts.grossPaise !== totals.totalPaise) return `${WHAT} matches its bill: it says ${facts.grossPaise === null ? 'no total' : rupees(facts.grossPaise)}, bill ${number} comes to ${typeof totals.totalPaise === 'number' ? rupees(totals.totalPaise) : 'nothing'}`;
  if (facts.netPaise !== totals.taxablePaise) return `${WHAT} matches its bill: its taxable value is not bill ${number}'s`;
  if (facts.status !== 'issued' && facts.status !== 'balanced') return `${WHAT} describes a bill that stands: it says ${String(facts.status)}, bill ${number} is issued`;
  return null;
}

/**
 * Why the Invoice record held (`before`) may not be replaced or removed yet: the bill it describes
 * is still issued. Once that bill is void (or gone), the visit's next current bill takes its place
 * or the record goes: what ABDM is sent follows the visit's bills, never a voided one.
 */
export function heldInvoiceProblem(held: unknown, bill: BillRow | null): string | null {
  if (!bill || bill.deleted_at != null || bill.status !== 'issued') return null;
  const number = typeof bill.invoice_number === 'string' ? bill.invoice_number : String(heldInvoiceId(held));
  return `${WHAT} holds bill ${number}, still issued: it is replaced or removed only once that bill is void`;
}

/** The Invoice bundle before and after a care-context change, when the change touches it (else null). */
export function invoiceRecordChange(before: Readonly<Record<string, unknown>> | null, columns: Readonly<Record<string, unknown>>): { held: unknown; written: unknown } | null {
  if (!('bundles' in columns)) return null;
  const held = invoiceBundleOf(before?.bundles);
  const written = invoiceBundleOf(columns.bundles);
  if (JSON.stringify(held) === JSON.stringify(written)) return null;
  return { held, written };
}
