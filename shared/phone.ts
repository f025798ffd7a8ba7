/**
 * Phone numbers, one rule everywhere: what is stored, what is searched for and what is checked.
 * "+91 98765 43210", "91 9876543210" and "098765-43210" are all the mobile 9876543210.
 */
export function normalisePhone(raw: string): string {
  const d = raw.replace(/[\s().-]/g, '');
  const m = /^(?:\+91|91|0)(\d{10})$/.exec(d);
  return m ? m[1]! : d;
}

/** Digits (an optional leading + for a foreign number), 6 to 15 of them: anything else is not a phone number. */
export function isPhoneNumber(normalised: string): boolean {
  return /^\+?\d{6,15}$/.test(normalised);
}

/** An Indian mobile: 10 digits starting with 6, 7, 8 or 9 (anything else is worth a second look). */
export function isIndianMobile(normalised: string): boolean {
  return /^[6-9]\d{9}$/.test(normalised);
}
