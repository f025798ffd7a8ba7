import { DISPENSE_KINDS, STOCK_MOVEMENT_KINDS, type Role } from './enums';
import type { TableRules } from './sync-rules';

/**
 * The pharmacy's part of the rule book (spread into SYNC_RULES). Stock is the sum of
 * stock_movements, so the ledgers are insert-only for every role, administrator included: a
 * correction is a new movement (an adjustment with a reason), never an edited or deleted one.
 */
const PHARMACY: readonly Role[] = ['admin', 'pharmacist'];

const lww = (more: Partial<TableRules> = {}): TableRules => ({ kind: 'lww', insert: PHARMACY, update: PHARMACY, delete: PHARMACY, ...more });
const ledger = (more: Partial<TableRules> = {}): TableRules => ({ kind: 'ledger', insert: PHARMACY, update: [], delete: [], ...more });

/** An adjustment says why; a movement's sign follows its kind. */
function movementRule(after: Readonly<Record<string, unknown>>): string | null {
  const qty = after.qty;
  if (typeof qty !== 'number' || qty === 0) return 'a stock movement moves a whole, non-zero number of units';
  const kind = after.kind;
  if ((kind === 'receipt' || kind === 'sale-return') && qty < 0) return `a ${String(kind)} adds stock: its quantity is positive`;
  if ((kind === 'dispense' || kind === 'purchase-return' || kind === 'expiry') && qty > 0) return `a ${String(kind)} takes stock away: its quantity is negative`;
  if (kind === 'adjustment' && !(typeof after.reason === 'string' && after.reason.trim() !== '')) return 'a stock adjustment is recorded only with its reason';
  return null;
}

export const PHARMACY_SYNC_RULES: Readonly<Record<string, TableRules>> = {
  suppliers: lww(),
  pharmacy_items: lww(),
  stock_batches: lww(),
  purchases: ledger({ signedBy: ['received_by'] }),
  purchase_lines: ledger(),
  stock_movements: ledger({ signedBy: ['moved_by'], values: { kind: STOCK_MOVEMENT_KINDS }, states: (j) => movementRule(j.after) }),
  dispenses: ledger({ signedBy: ['dispensed_by'], values: { kind: DISPENSE_KINDS } }),
  dispense_lines: ledger(),
  h1_register: ledger({ signedBy: ['dispensed_by'] }),
};
