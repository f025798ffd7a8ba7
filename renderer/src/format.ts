import { addDays, formatDay, localDate } from '../../shared/clinic-time';

export { addDays, formatDay };

/** Display helpers shared by screens. */
export function formatAbha(digits: string | null | undefined): string {
  if (!digits) return '';
  return digits.replace(/^(\d{2})(\d{4})(\d{4})(\d{4})$/, '$1-$2-$3-$4');
}

export function ageSex(age: number, gender: string): string {
  return `${age} y / ${gender === 'male' ? 'M' : gender === 'female' ? 'F' : 'O'}`;
}

/** Today in the clinic's time zone (as reported by the clinic service at login). */
export function today(timeZone: string): string {
  return localDate(Date.now(), timeZone);
}
