/** Facility shapes stored as JSON in the database and edited by the renderer's facility screens. */

/** Opening hours for one weekday; several ranges for a split day (morning and evening). */
export interface DayTimings {
  day: 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT' | 'SUN';
  open: boolean;
  ranges: { from: string; to: string }[];
}
