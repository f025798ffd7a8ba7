/**
 * The ABHA card's QR code, read offline at reception (issue #17 item 3). A keyboard-wedge or webcam
 * scanner gives the QR text: a JSON object. Published layouts (see docs/ABDM.md "ABHA card QR"):
 *
 * - ABHA card (ABDM sandbox docs, kiranma72/abdm-docs "By scanning PHR Address QR"):
 *   {"hidn":"15-3638-0684-6247","hid":"kiranma@abdm","name":"…","gender":"M","statelgd":"29",
 *    "distlgd":"-","dob":"xx/9/19xx","state name":"Karnataka","district_name":"Bengaluru",
 *    "mobile":"984x1x2x6x","address":"…"}
 * - PHR app QR (same page): "phr" in place of "hid"; "hidn" only when linked to an ABHA number.
 * - CARE (ohcnetwork/care_fe, ABHAQRContent): "district_name" or "dist name", "state_name" or
 *   "state name"; Simple (simpledotorg/simple-android, IndiaNHIDInfoPayload): "dob":"25/6/2012".
 * - Newer cards (as the brief describes them): abha_number / abha_address, and their camelCase.
 *
 * Masked values ("xx/9/19xx", "984x1x2x6x", "-") are treated as absent, never guessed.
 */
import { isValidDate } from './clinic-time';
import { isIndianMobile, normalisePhone } from './phone';

export type AbhaQrGender = 'male' | 'female' | 'other';

export interface AbhaQrProfile {
  /** 14 digits, formatted xx-xxxx-xxxx-xxxx as the form shows them. */
  abhaNumber: string | null;
  abhaAddress: string | null;
  givenName: string;
  familyName: string;
  gender: AbhaQrGender | null;
  /** YYYY-MM-DD when the card has a full date; otherwise yearOfBirth when only the year is readable. */
  dateOfBirth: string | null;
  yearOfBirth: number | null;
  mobile: string | null;
  address: string | null;
  pincode: string | null;
  state: string | null;
  district: string | null;
  stateLgd: string | null;
  districtLgd: string | null;
  /** What the card had that could not be used, in words for the desk. */
  notes: string[];
}

export type AbhaQrError =
  | { code: 'empty'; message: string }
  | { code: 'not-json'; message: string }
  | { code: 'no-abha'; message: string }
  | { code: 'bad-abha-number'; message: string }
  | { code: 'bad-checksum'; message: string }
  | { code: 'no-name'; message: string };

export type AbhaQrResult = { ok: true; profile: AbhaQrProfile } | { ok: false; error: AbhaQrError };

const fail = (code: AbhaQrError['code'], message: string): AbhaQrResult => ({ ok: false, error: { code, message } });

/** The same form rule as electron/api/fields.ts abhaAddress (shared/ must not import electron/). */
const ABHA_ADDRESS = /^[A-Za-z_][A-Za-z0-9._]{2,}[A-Za-z0-9_]@(abdm|sbx)$/;

/**
 * Luhn over the 14 digits. Not published by ABDM as far as we found, but every real ABHA number in
 * the published examples passes it (15-3638-0684-6247, 42-7175-8604-4553, 28-3222-2283-6682) while
 * a made-up one (91-1234-5678-9012) does not: a misread scan is refused instead of stored.
 */
export function abhaChecksumOk(digits: string): boolean {
  let total = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    total += d;
  }
  return total % 10 === 0;
}

export function formatAbhaNumber(digits: string): string {
  return digits.replace(/^(\d{2})(\d{4})(\d{4})(\d{4})$/, '$1-$2-$3-$4');
}

/** A value that is present and not a mask: "-", "NA", "" and anything with x-ed out digits are absent. */
function text(o: Record<string, unknown>, ...keys: string[]): string | null {
  for (const k of keys) {
    const v = o[k];
    const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.replace(/\s+/g, ' ').trim() : '';
    if (s && s !== '-' && s.toLowerCase() !== 'na' && s.toLowerCase() !== 'null') return s;
  }
  return null;
}

const masked = (s: string) => /\d/.test(s) && /[xX*]/.test(s);

function gender(raw: string | null): AbhaQrGender | null {
  switch (raw?.toUpperCase()) {
    case 'M':
    case 'MALE':
      return 'male';
    case 'F':
    case 'FEMALE':
      return 'female';
    case 'O':
    case 'T':
    case 'OTHER':
    case 'TRANSGENDER':
      return 'other';
    default:
      return null;
  }
}

const pad = (n: string) => n.padStart(2, '0');

/** d/m/yyyy or d-m-yyyy (cards), yyyy-mm-dd (newer payloads), or just the year. */
function birth(raw: string | null, yobRaw: string | null): { dateOfBirth: string | null; yearOfBirth: number | null } {
  const year = (y: string | undefined) => (y && /^\d{4}$/.test(y) ? Number(y) : null);
  const none = { dateOfBirth: null, yearOfBirth: year(yobRaw ?? undefined) };
  if (!raw) return none;
  let m = /^(\w{1,2})[/.-](\w{1,2})[/.-](\w{4})$/.exec(raw);
  let parts = m ? { d: m[1]!, mo: m[2]!, y: m[3]! } : null;
  m = /^(\w{4})-(\w{1,2})-(\w{1,2})$/.exec(raw);
  if (m) parts = { y: m[1]!, mo: m[2]!, d: m[3]! };
  if (!parts) return year(raw) ? { dateOfBirth: null, yearOfBirth: year(raw) } : none;
  const iso = `${parts.y}-${pad(parts.mo)}-${pad(parts.d)}`;
  if (isValidDate(iso)) return { dateOfBirth: iso, yearOfBirth: Number(parts.y) };
  return { dateOfBirth: null, yearOfBirth: year(parts.y) ?? none.yearOfBirth };
}

/** "Kiran Mandyam Anandampillai" → given "Kiran Mandyam", family "Anandampillai"; one word is a given name. */
function splitName(o: Record<string, unknown>): { givenName: string; familyName: string } {
  const first = text(o, 'firstName', 'first_name');
  if (first) {
    const given = [first, text(o, 'middleName', 'middle_name')].filter(Boolean).join(' ');
    return { givenName: given, familyName: text(o, 'lastName', 'last_name') ?? '' };
  }
  const words = (text(o, 'name', 'fullName', 'full_name') ?? '').split(' ').filter(Boolean);
  if (words.length < 2) return { givenName: words[0] ?? '', familyName: '' };
  return { givenName: words.slice(0, -1).join(' '), familyName: words.at(-1)! };
}

/** Long by design: one flat read of every published key, in the order the form shows them. */
export function parseAbhaQr(input: string): AbhaQrResult {
  const raw = input.trim();
  if (!raw) return fail('empty', 'Nothing was scanned: scan the QR code on the ABHA card');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return fail('not-json', 'This is not an ABHA card QR code (its text is not the JSON the card carries)');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return fail('not-json', 'This is not an ABHA card QR code (expected a JSON object)');
  }
  const o = parsed as Record<string, unknown>;
  const notes: string[] = [];

  const numberRaw = text(o, 'hidn', 'abha_number', 'abhaNumber', 'healthIdNumber', 'ABHANumber');
  let abhaNumber: string | null = null;
  if (numberRaw && !masked(numberRaw)) {
    const digits = numberRaw.replace(/[\s-]/g, '');
    if (!/^\d{14}$/.test(digits)) return fail('bad-abha-number', `ABHA number "${numberRaw}" on the card is not 14 digits`);
    if (!abhaChecksumOk(digits)) return fail('bad-checksum', `ABHA number ${formatAbhaNumber(digits)} fails its check digit: scan again`);
    abhaNumber = formatAbhaNumber(digits);
  }

  const addressRaw = text(o, 'hid', 'phr', 'abha_address', 'abhaAddress', 'healthId', 'preferredAbhaAddress');
  let abhaAddress: string | null = null;
  if (addressRaw) {
    if (ABHA_ADDRESS.test(addressRaw)) abhaAddress = addressRaw.toLowerCase();
    else notes.push(`ABHA address "${addressRaw}" is not of the form name@abdm: left out`);
  }
  if (!abhaNumber && !abhaAddress) return fail('no-abha', 'The QR code has no ABHA number or ABHA address');

  const name = splitName(o);
  if (!name.givenName) return fail('no-name', 'The QR code has no name');

  const sex = gender(text(o, 'gender', 'sex'));
  if (!sex) notes.push('Gender not on the card: choose it');

  const dob = birth(text(o, 'dob', 'dateOfBirth', 'date_of_birth'), text(o, 'yob', 'yearOfBirth', 'year_of_birth'));
  if (!dob.dateOfBirth) notes.push(dob.yearOfBirth ? 'Only the year of birth is on the card' : 'Date of birth not readable on the card: ask the age');

  const mobileRaw = text(o, 'mobile', 'mobileNumber', 'phone');
  const mobileDigits = mobileRaw ? normalisePhone(mobileRaw) : null;
  const mobile = mobileDigits && isIndianMobile(mobileDigits) ? mobileDigits : null;
  if (mobileRaw && !mobile) notes.push('Mobile on the card is masked: ask for it');

  const pin = text(o, 'pincode', 'pin_code', 'pinCode', 'pin');
  const lgd = (s: string | null) => (s && /^\d+$/.test(s) ? s : null);
  const notCode = (s: string | null) => (s && !/^\d+$/.test(s) ? s : null);
  return {
    ok: true,
    profile: {
      abhaNumber,
      abhaAddress,
      ...name,
      gender: sex,
      ...dob,
      mobile,
      address: text(o, 'address', 'address_line', 'addressLine'),
      pincode: pin && /^[1-9]\d{5}$/.test(pin) ? pin : null,
      // Some payloads (Simple's test data) carry the name in the LGD key: used as the name then.
      state: text(o, 'state_name', 'state name', 'stateName') ?? notCode(text(o, 'statelgd')),
      district: text(o, 'district_name', 'dist name', 'districtName', 'dist_name') ?? notCode(text(o, 'distlgd')),
      stateLgd: lgd(text(o, 'statelgd', 'state_code', 'stateCode')),
      districtLgd: lgd(text(o, 'distlgd', 'district_code', 'districtCode')),
      notes,
    },
  };
}
