import type { AbhaProfile } from '../../shared/abdm-desk';

/**
 * The registration form's fields from ABDM's profile answer. Two layouts: `GET /v3/profile/account`
 * (ABHA number login: ABHANumber, preferredAbhaAddress, firstName/middleName/lastName or name,
 * dayOfBirth/monthOfBirth/yearOfBirth, gender, mobile, address, districtName, stateName, pincode)
 * and `GET /v3/phr/web/login/profile/abha-profile` (ABHA address login: abhaNumber, abhaAddress,
 * fullName, the same name and birth parts, pinCode). Masked or absent values stay null.
 */
export function abhaProfileOf(b: Record<string, unknown>): AbhaProfile {
  const s = (...keys: string[]): string | null => {
    for (const k of keys) {
      const v = b[k];
      if (typeof v === 'string' && v.trim() && !/x{2,}|\*/i.test(v)) return v.trim();
      if (typeof v === 'number') return String(v);
    }
    return null;
  };
  const number = s('ABHANumber', 'abhaNumber', 'healthIdNumber')?.replace(/\D/g, '') ?? null;
  // Enrolment's ABHAProfile lists the addresses in phrAddress (an array).
  const phr = Array.isArray(b.phrAddress) && typeof b.phrAddress[0] === 'string' ? b.phrAddress[0] : null;
  const address = s('preferredAbhaAddress', 'abhaAddress', 'phrAddress') ?? phr;
  const first = s('firstName');
  const middle = s('middleName');
  const last = s('lastName');
  const full = s('name', 'fullName');
  let givenName = [first, middle].filter(Boolean).join(' ');
  let familyName = last;
  if (!givenName && full) {
    const words = full.split(/\s+/);
    givenName = words.length > 1 ? words.slice(0, -1).join(' ') : full;
    familyName = words.length > 1 ? words[words.length - 1]! : null;
  }
  // Enrolment's ABHAProfile gives "dob": "14-11-1988" (dd-mm-yyyy) instead of the three parts.
  const dobParts = /^(\d{1,2})-(\d{1,2})-(\d{4})$/.exec(s('dob') ?? '');
  const year = Number(s('yearOfBirth') ?? dobParts?.[3]);
  const month = Number(s('monthOfBirth') ?? dobParts?.[2]);
  const day = Number(s('dayOfBirth') ?? dobParts?.[1]);
  const validYear = Number.isInteger(year) && year > 1900 ? year : null;
  const dob = validYear && month >= 1 && month <= 12 && day >= 1 && day <= 31 ? `${validYear}-${pad(month)}-${pad(day)}` : null;
  const gender = s('gender');
  const mobile = s('mobile')?.replace(/\D/g, '').slice(-10) ?? null;
  return {
    abhaNumber: number && number.length === 14 ? number : null,
    abhaAddress: address ? address.toLowerCase() : null,
    givenName: givenName || full || '',
    familyName,
    gender: gender === 'M' || gender === 'F' ? gender : gender === 'O' || gender === 'T' ? 'O' : null,
    dob,
    yearOfBirth: validYear,
    mobile: mobile && mobile.length === 10 ? mobile : null,
    address: s('address'),
    district: s('districtName'),
    state: s('stateName'),
    pincode: s('pincode', 'pinCode'),
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
