/**
 * Turns an audit row's old/new column values into lines a clinic administrator can read
 * ("Given name: Farhan", "City: Pune → Nashik"). Pure functions, shared by the audit screen and
 * its unit test.
 */
import { formatDay, isValidDate, localDate } from '../../../shared/clinic-time';

/** Stamped on every row by the write helper; they say nothing about what the user changed. */
const BOOKKEEPING = new Set(['id', 'created_at', 'updated_at', 'hlc', 'device_id', 'deleted_at']);
/**
 * Never shown, even redacted: the server already replaces passwords, tokens and secrets with
 * "[redacted]", and hashes and credentials are no business of the screen either.
 */
const SECRET = /password|passphrase|secret|token|credential|hash|(^|_)(pin|otp)($|_)/i;
const REDACTED = '[redacted]';

/** Words that are abbreviations in column names, written as people write them. */
const WORDS: Record<string, string> = {
  abha: 'ABHA',
  bmi: 'BMI',
  bp: 'BP',
  dob: 'date of birth',
  fhir: 'FHIR',
  gst: 'GST',
  gstin: 'GSTIN',
  hfr: 'HFR',
  hpr: 'HPR',
  icd10: 'ICD-10',
  lgd: 'LGD',
  mrn: 'MRN',
  rrn: 'RRN',
  spo2: 'SpO2',
  upi: 'UPI',
  url: 'URL',
  utr: 'UTR',
};

export interface AuditChange {
  key: string;
  label: string;
  /** Present when the row has old values for this field (an update). */
  old?: string;
  value: string;
  /** The whole line as text: "City: Pune → Nashik". */
  text: string;
}

export interface AuditValues {
  oldValues?: Record<string, unknown> | null | undefined;
  newValues?: Record<string, unknown> | null | undefined;
}

export function isHiddenField(key: string, value: unknown): boolean {
  return BOOKKEEPING.has(key) || SECRET.test(key) || value === REDACTED;
}

/**
 * "given_name" → "Given name", "consultation_fee_paise" → "Consultation fee", "patient_id" →
 * "Patient", "checked_in_at" → "Checked in": the suffixes only say how the value is stored, and
 * the value shows it anyway (₹, a date and time, a reference).
 */
export function fieldLabel(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[_\s]+/)
    .filter(Boolean);
  if (words.length > 1 && ['id', 'paise', 'at'].includes(words.at(-1)!)) words.pop();
  // "address_line1" → "Address line 1"
  const text = words.map((w) => WORDS[w] ?? w.replace(/([a-z])(\d+)$/, '$1 $2')).join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One value as short text; `key` says how to read numbers (times, money, references). */
export function formatValue(key: string, value: unknown, timeZone: string): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') {
    if (/(^|_)at$|At$/.test(key)) return formatInstant(value, timeZone);
    if (/_paise$|Paise$/.test(key)) return `₹${(value / 100).toLocaleString('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    return String(value);
  }
  if (typeof value === 'string') {
    // A reference to another record: its full UUID means nothing on screen, its tail tells rows apart.
    if (/(^|_)id$|[a-z]Id$/.test(key) && /^[0-9a-f-]{32,}$/i.test(value)) return `…${value.slice(-8)}`;
    if (isValidDate(value)) return formatDay(value);
    return value;
  }
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map((v) => formatValue(key, v, timeZone)).join('; ');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => v !== null && v !== undefined && v !== '' && !isHiddenField(k, v))
      .map(([k, v]) => `${fieldLabel(k)}: ${formatValue(k, v, timeZone)}`)
      .join(', ');
  }
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- only primitives get here: strings, arrays and objects are handled above
  return String(value);
}

/** The fields a write changed, bookkeeping and secrets left out, in the order the row has them. */
export function auditChanges(row: AuditValues, timeZone: string): AuditChange[] {
  const next = row.newValues ?? {};
  const prev = row.oldValues ?? null;
  const keys = [...new Set([...Object.keys(next), ...Object.keys(prev ?? {})])];
  const out: AuditChange[] = [];
  for (const key of keys) {
    if (isHiddenField(key, next[key]) || (prev && isHiddenField(key, prev[key]))) continue;
    const label = fieldLabel(key);
    // A new record lists every column, most of them empty: only what was filled in is news.
    if (!prev && isEmpty(next[key])) continue;
    const value = formatValue(key, next[key], timeZone);
    if (prev && Object.hasOwn(prev, key)) {
      const old = formatValue(key, prev[key], timeZone);
      out.push({ key, label, old, value, text: `${label}: ${old} → ${value}` });
    } else {
      out.push({ key, label, value, text: `${label}: ${value}` });
    }
  }
  return out;
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/** A soft delete (or its undoing) changes only deleted_at, which is bookkeeping: say it in words. */
export function deletionNote(row: AuditValues): string | null {
  const next = row.newValues;
  if (!next || !Object.hasOwn(next, 'deleted_at')) return null;
  if (next.deleted_at !== null && next.deleted_at !== undefined) return 'Record deleted';
  return row.oldValues?.deleted_at ? 'Record restored' : null;
}

const instantFormats = new Map<string, Intl.DateTimeFormat>();

/** "21 Nov, 08:47:51" in the clinic's time zone, on one line; the year only when it is not this one. */
export function formatInstant(ms: number, timeZone: string, now = Date.now()): string {
  const withYear = yearIn(ms, timeZone) !== yearIn(now, timeZone);
  const cacheKey = `${timeZone}|${withYear}`;
  let f = instantFormats.get(cacheKey);
  if (!f) {
    f = new Intl.DateTimeFormat('en-IN', {
      timeZone,
      day: 'numeric',
      month: 'short',
      ...(withYear ? { year: 'numeric' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    instantFormats.set(cacheKey, f);
  }
  return f.format(ms);
}

function yearIn(ms: number, timeZone: string): string {
  return localDate(ms, timeZone).slice(0, 4);
}

/**
 * The instant a calendar day (YYYY-MM-DD) starts in the clinic's time zone, whatever zone the
 * computer is set to, so "from 21 Nov" means the clinic's 21 November.
 */
export function startOfDay(date: string, timeZone: string): number {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  let at = utcMidnight - zoneOffset(utcMidnight, timeZone);
  // Across a daylight-saving change the offset at the day's start differs from the first guess.
  const again = utcMidnight - zoneOffset(at, timeZone);
  if (again !== at) at = again;
  return at;
}

/** How far the zone's wall clock is ahead of UTC at `ms`. */
function zoneOffset(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(ms);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(ms / 1000) * 1000;
}
