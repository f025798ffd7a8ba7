/**
 * The patient the crash-test writer registers as MRN number n: every stored field is a function
 * of n, so after a kill each row can be checked whole (no torn row). Some rows are large (long
 * lists of conditions) so they spill onto overflow pages.
 */
const SYLLABLES = ['ka', 'ri', 'mo', 'na', 'vi', 'sh', 'ta', 'lu', 'de', 'pa', 'go', 'ne', 'ra', 'bi', 'su', 'ya'];

function word(n: number): string {
  let s = '';
  let x = n;
  do {
    s += SYLLABLES[x % SYLLABLES.length];
    x = Math.floor(x / SYLLABLES.length);
  } while (x > 0);
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export interface CrashPatient {
  givenName: string;
  familyName: string;
  gender: 'male' | 'female' | 'other';
  dob: string;
  mobile: string;
  addressLine1: string;
  city: string;
  chronicConditions: string[];
}

export function crashPatient(n: number): CrashPatient {
  const dob = new Date(Date.UTC(1950, 0, 1) + (n * 7919 % 20000) * 86_400_000).toISOString().slice(0, 10);
  return {
    givenName: `${word(n)}appa`,
    familyName: `Crash${word(n * 31 + 7)}`,
    gender: (['male', 'female', 'other'] as const)[n % 3]!,
    dob,
    mobile: `9${String(n).padStart(9, '0')}`,
    addressLine1: `${n} ${'Long Road '.repeat(1 + (n % 15))}`.trim(),
    city: `Pune ${word(n % 97)}`,
    chronicConditions: Array.from({ length: n % 23 }, (_, i) => `condition ${n}.${i} ${'x'.repeat(150)}`),
  };
}

/** The MRN number of "A-000123". */
export function mrnNumber(mrn: string): number {
  const m = /^[A-Z0-9]+-(\d+)$/.exec(mrn);
  if (!m) throw new Error(`not an MRN: ${mrn}`);
  return Number(m[1]);
}
