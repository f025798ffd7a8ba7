import { drugs, type DRUG_SCHEDULES } from '../../../db/schema';
import type { Row } from '../../../db/write';

/* A drug as the screens see it. */

export type DrugSchedule = (typeof DRUG_SCHEDULES)[number];
type DrugRow = Row<typeof drugs>;

/** Routes a drug can be given by ('other' only for imported devices and consumables). */
export const DRUG_ROUTES = ['oral', 'topical', 'inhalation', 'ophthalmic', 'otic', 'nasal', 'IM', 'IV', 'SC', 'vaginal', 'rectal', 'sublingual'] as const;

export interface DrugView {
  id: string;
  genericName: string;
  brandNames: string[];
  form: string;
  strength: string | null;
  route: string;
  defaults: { dose: string | null; frequency: string | null; durationDays: number | null };
  schedule: DrugSchedule | null;
  classes: string[];
  /** 'starter', 'janaushadhi' or 'clinic'. */
  source: string;
  mrpPaise: number | null;
  /** What one pack holds ("10's", "100 ml", "3 ml pen"): liquids and insulin are dispensed in packs. */
  packSize: string | null;
  active: boolean;
}

export function toDrugView(r: DrugRow): DrugView {
  return {
    id: r.id,
    genericName: r.genericName,
    brandNames: r.brandNames,
    form: r.form,
    strength: r.strength,
    route: r.route,
    defaults: { dose: r.defaultDose, frequency: r.defaultFrequency, durationDays: r.defaultDurationDays },
    schedule: r.schedule,
    classes: r.classes,
    source: r.source,
    mrpPaise: r.mrpPaise,
    packSize: r.packSize,
    active: r.active,
  };
}
