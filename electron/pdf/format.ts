/** Small formatting helpers shared by the printed documents. */

/** "2026-11-21" → "21-11-2026"; "2026-11-21T10:05..." → "21-11-2026 10:05"; anything else as given. */
export function formatDate(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(value.trim());
  if (!m) return value.trim();
  const date = `${m[3]}-${m[2]}-${m[1]}`;
  return m[4] !== undefined && m[5] !== undefined ? `${date} ${m[4]}:${m[5]}` : date;
}

/** A 14-digit ABHA number as printed on the card: 91-1234-5678-9012. Anything else as given. */
export function formatAbha(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length !== 14) return value.trim();
  return `${digits.slice(0, 2)}-${digits.slice(2, 6)}-${digits.slice(6, 10)}-${digits.slice(10)}`;
}

/** Midnight UTC of a YYYY-MM-DD date, for PDF metadata that must not depend on the clock. */
export function dateAtUtcMidnight(value: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value.trim());
  if (!m) return new Date(Date.UTC(2000, 0, 1));
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

export const MM = 72 / 25.4;

export function mm(value: number): number {
  return value * MM;
}

/** "Asha Mehta" → "Dr. Asha Mehta"; a name that already starts with "Dr" is left alone. */
export function doctorTitle(name: string): string {
  const trimmed = name.trim();
  return /^dr\b\.?/i.test(trimmed) ? trimmed : `Dr. ${trimmed}`;
}
