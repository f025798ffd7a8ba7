import { addDays, isValidDate } from './clinic-time';

/**
 * The rules of a certificate's dates, shared by the doctor's dialog (days counted as they type)
 * and the service (which refuses, naming the field). A certificate speaks for what the doctor saw
 * at the visit: rest may start a few days before it (the illness that brought the patient in), not
 * weeks before, and a single certificate covers at most MAX_REST_DAYS (longer rest is reviewed and
 * certified again).
 */
export const MAX_REST_DAYS = 90;
/** How far before the visit rest may start, or fitness be certified from. */
export const MAX_DAYS_BEFORE_VISIT = 7;
/** How far after the visit rest may start, or fitness begin. */
export const MAX_DAYS_AFTER_VISIT = 30;

export interface CertificateDates {
  kind: 'medical_leave' | 'fitness';
  restFrom?: string | null | undefined;
  restTo?: string | null | undefined;
  fitFrom?: string | null | undefined;
  purpose?: string | null | undefined;
}

/** Days from one date to another, both counted ("21-11 to 23-11" is 3 days); null if either is not a date. */
export function daysInclusive(from: string | null | undefined, to: string | null | undefined): number | null {
  if (!from || !to || !isValidDate(from) || !isValidDate(to)) return null;
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

const fmt = (d: string) => `${d.slice(8, 10)}-${d.slice(5, 7)}-${d.slice(0, 4)}`;

/** What is wrong with the dates (by field, as the dialog labels them); {} when nothing is. */
export function certificateProblems(c: CertificateDates, visitDate: string): Record<string, string> {
  const out: Record<string, string> = {};
  const earliest = addDays(visitDate, -MAX_DAYS_BEFORE_VISIT);
  const latest = addDays(visitDate, MAX_DAYS_AFTER_VISIT);
  const inWindow = (field: string, label: string, d: string) => {
    if (d < earliest) out[field] = `${label} is more than ${MAX_DAYS_BEFORE_VISIT} days before the visit (${fmt(visitDate)}): a certificate covers what was seen at the visit`;
    else if (d > latest) out[field] = `${label} is more than ${MAX_DAYS_AFTER_VISIT} days after the visit (${fmt(visitDate)})`;
  };
  if (c.kind === 'medical_leave') {
    if (!c.restFrom) out.restFrom = 'Rest from is required';
    if (!c.restTo) out.restTo = 'Rest to is required';
    if (c.restFrom && c.restTo) {
      const days = daysInclusive(c.restFrom, c.restTo) ?? 0;
      if (days < 1) out.restTo = 'Rest to is before rest from';
      else if (days > MAX_REST_DAYS) out.restTo = `Rest of ${days} days is more than ${MAX_REST_DAYS}: certify up to ${MAX_REST_DAYS} days and review the patient again`;
    }
    if (c.restFrom) inWindow('restFrom', 'Rest from', c.restFrom);
    if (c.fitFrom) out.fitFrom = 'Fit from belongs on a fitness certificate';
  } else {
    if (!c.fitFrom) out.fitFrom = 'Fit from is required';
    else inWindow('fitFrom', 'Fit from', c.fitFrom);
    if (!c.purpose?.trim()) out.purpose = 'Fit for is required (e.g. "resume duty", "attend school", "sports")';
    if (c.restFrom || c.restTo) out.restFrom = 'Rest dates belong on a medical certificate';
  }
  return out;
}
