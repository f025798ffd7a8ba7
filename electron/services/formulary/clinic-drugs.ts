import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { drugs } from '../../../db/schema';
import { ApiFailure, type ServiceContext } from '../../core/context';
import { type DrugSchedule, DRUG_ROUTES, type DrugView, toDrugView } from './drugs';

/* Clinic-added drugs. */

export interface ClinicDrugInput {
  id?: string | null | undefined;
  genericName: string;
  brandNames: string[];
  form: string;
  strength?: string | null | undefined;
  route: (typeof DRUG_ROUTES)[number];
  defaultDose?: string | null | undefined;
  defaultFrequency?: string | null | undefined;
  defaultDurationDays?: number | null | undefined;
  schedule?: DrugSchedule | null | undefined;
  classes: string[];
  mrpPaise?: number | null | undefined;
  hsnCode?: string | null | undefined;
  gstRateBp?: number | null | undefined;
  /** What one pack holds ("100 ml", "3 ml pen"): liquids and insulin are dispensed in packs of it. */
  packSize?: string | null | undefined;
  active: boolean;
}

/** Adds or edits one of the clinic's own drugs (source 'clinic'); starter and imported rows are not edited here. */
export function upsertClinicDrug(ctx: ServiceContext, input: ClinicDrugInput): DrugView {
  const values = {
    genericName: input.genericName,
    brandNames: input.brandNames,
    form: input.form,
    strength: input.strength ?? null,
    route: input.route,
    defaultDose: input.defaultDose ?? null,
    defaultFrequency: input.defaultFrequency ?? null,
    defaultDurationDays: input.defaultDurationDays ?? null,
    schedule: input.schedule ?? null,
    classes: input.classes,
    mrpPaise: input.mrpPaise ?? null,
    hsnCode: input.hsnCode ?? '3004',
    gstRateBp: input.gstRateBp ?? 500,
    packSize: input.packSize ?? null,
    active: input.active,
  };
  const same = ctx.db
    .select({ id: drugs.id })
    .from(drugs)
    .where(
      and(
        eq(drugs.source, 'clinic'),
        isNull(drugs.deletedAt),
        sql`lower(${drugs.genericName}) = lower(${values.genericName})`,
        sql`lower(${drugs.form}) = lower(${values.form})`,
        sql`lower(coalesce(${drugs.strength}, '')) = lower(${values.strength ?? ''})`,
        input.id ? ne(drugs.id, input.id) : undefined,
      ),
    )
    .get();
  if (same) {
    throw new ApiFailure('conflict', `The clinic list already has ${values.genericName} ${values.form} ${values.strength ?? ''}`.trim() + '.', {
      genericName: 'Already in the clinic list with this form and strength',
    }, { entityType: 'drugs', entityId: same.id });
  }
  if (!input.id) {
    const row = ctx.write.insert(drugs, { ...values, source: 'clinic', sourceCode: null });
    ctx.describe({ entityType: 'drugs', entityId: row.id });
    return toDrugView(row);
  }
  const existing = ctx.db.select().from(drugs).where(and(eq(drugs.id, input.id), isNull(drugs.deletedAt))).get();
  if (!existing) throw new ApiFailure('not_found', 'There is no such drug in the formulary.', { id: 'Unknown drug' }, { entityType: 'drugs', entityId: input.id });
  if (existing.source !== 'clinic') {
    throw new ApiFailure(
      'conflict',
      `${existing.genericName} comes from the ${existing.source === 'starter' ? 'starter list' : 'imported list'} and cannot be edited; add it as a clinic drug instead.`,
      { id: 'Only the clinic’s own drugs can be edited' },
      { entityType: 'drugs', entityId: existing.id },
    );
  }
  ctx.describe({ entityType: 'drugs', entityId: existing.id });
  return toDrugView(ctx.write.update(drugs, existing.id, values));
}
