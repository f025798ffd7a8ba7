/** Beyond this, the header warns that this computer's clock is wrong (the server re-stamps beyond 5 min). */
export const SKEW_WARNING_MS = 2 * 60_000;

/** "1 day 3 min" for a clock difference (whole minutes; days and hours only when there are any). */
export function describeSkew(ms: number): string {
  const total = Math.round(Math.abs(ms) / 60_000);
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const minutes = total % 60;
  const parts = [days ? `${days} ${days === 1 ? 'day' : 'days'}` : '', hours ? `${hours} h` : '', minutes || (!days && !hours) ? `${minutes} min` : ''];
  return parts.filter(Boolean).join(' ');
}

/** The header's sentence for a clock that is off, or null when it is close enough. */
export function clockWarning(skewMs: number | null): string | null {
  if (skewMs === null || Math.abs(skewMs) <= SKEW_WARNING_MS) return null;
  return `This computer's clock is ${describeSkew(skewMs)} ${skewMs > 0 ? 'ahead of' : 'behind'} the server. Fix the date and time: dates on bills and the queue use it.`;
}
