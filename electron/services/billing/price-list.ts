import { and, asc, eq, isNull } from 'drizzle-orm';
import { priceList, type ServiceKind, type SupplyKind } from '../../../db/schema';
import { HEALTH_CARE_EXEMPTION, supplyKindOf, supplyMismatch } from '../../../shared/supply';
import { ApiFailure } from '../../core/context';
import type { Ctx } from './common';

/* The price list: services, tests and items with their GST rates. */

export interface PriceItemInput {
  id?: string | undefined;
  code: string;
  name: string;
  kind: ServiceKind;
  sacHsn?: string | null | undefined;
  gstRateBp: number;
  pricePaise: number;
  taxInclusive: boolean;
  supplyKind?: SupplyKind | undefined;
  exemptionNote?: string | null | undefined;
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
      supplyKind: priceList.supplyKind,
      exemptionNote: priceList.exemptionNote,
      active: priceList.active,
    })
    .from(priceList)
    .where(where)
    .orderBy(asc(priceList.kind), asc(priceList.name))
    .all()
    // Items saved before supply kinds: taxable with a rate, else exempt health care.
    .map((r) => {
      const supplyKind = supplyKindOf({ gstRateBp: r.gstRateBp, supplyKind: r.supplyKind ?? undefined });
      return { ...r, supplyKind, exemptionNote: r.exemptionNote ?? (supplyKind === 'exempt' ? HEALTH_CARE_EXEMPTION : null) };
    });
}

export function savePriceItem(ctx: Ctx, input: PriceItemInput) {
  const sameCode = ctx.db.select().from(priceList).where(eq(priceList.code, input.code)).get();
  if (sameCode && sameCode.id !== input.id) {
    throw new ApiFailure('conflict', `Code ${input.code} is already used by "${sameCode.name}".`, { code: 'Already used by another item' });
  }
  const supplyKind = input.supplyKind ?? (input.gstRateBp > 0 ? 'taxable' : 'exempt');
  const mismatch = supplyMismatch(supplyKind, input.gstRateBp);
  if (mismatch) throw new ApiFailure('invalid_input', `supplyKind: ${mismatch}`, { supplyKind: mismatch });
  const values = {
    code: input.code,
    name: input.name,
    kind: input.kind,
    sacHsn: input.sacHsn ?? null,
    gstRateBp: input.gstRateBp,
    pricePaise: input.pricePaise,
    taxInclusive: input.taxInclusive,
    supplyKind,
    exemptionNote: supplyKind === 'taxable' ? null : (input.exemptionNote?.trim() || null),
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
