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

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * "6 Dec 2026, 13:34" in the clinic's time zone: one way of writing a moment on every screen (the
 * Sync screen mixed the computer's zone and the clinic's, 12- and 24-hour clocks).
 */
export function dateTime(ms: number, timeZone: string): string {
  let f = dateTimeFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-IN', { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    dateTimeFormats.set(timeZone, f);
  }
  return f.format(ms);
}
