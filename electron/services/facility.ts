import { isNull } from 'drizzle-orm';
import { facility, type DayTimings, type FacilityRegistration, type Letterhead } from '../../db/schema';
import type { Row } from '../../db/write';
import { ApiFailure, type AuthedContext } from '../core/context';
import { districtOf, findValue, inIndia, stateOf, subdistrictOf, valueSet } from './masters';

type Ctx = AuthedContext;
type FacilityRow = Row<typeof facility>;

/** HFR: letters, digits, `_.(),/` and single spaces. */
export const FACILITY_NAME = /^[A-Za-z0-9_.(),/]+( [A-Za-z0-9_.(),/]+)*$/;
const LOGO_MAX_BYTES = 256 * 1024;

function current(ctx: Pick<Ctx, 'db'>): FacilityRow {
  const row = ctx.db.select().from(facility).where(isNull(facility.deletedAt)).get();
  if (!row) throw new ApiFailure('not_found', 'The clinic has not been set up yet.');
  return row;
}

export function getFacility(ctx: Ctx) {
  const f = current(ctx);
  return {
    id: f.id,
    name: f.name,
    address: f.address,
    phone: f.phone,
    registration: f.registration,
    letterhead: f.letterhead,
    registrationStatus: f.registrationStatus,
    hfrId: f.hfrId,
    updatedAt: f.updatedAt,
  };
}

export interface FacilityPatch {
  name?: string | undefined;
  address?: string | undefined;
  phone?: string | undefined;
  registration?: FacilityRegistration | undefined;
  letterhead?: Letterhead | undefined;
}

/**
 * Checks the values that are there (codes exist, LGD levels nest, coordinates fall in India,
 * timings make sense). Missing values are not errors here: a draft may be half-filled.
 */
function checkValues(ctx: Ctx, name: string, reg: FacilityRegistration, letterhead: Letterhead): Record<string, string> {
  const e: Record<string, string> = {};
  if (!FACILITY_NAME.test(name)) e.name = 'Use letters, digits, _ . ( ) , / and single spaces only';
  const inSet = (field: keyof FacilityRegistration, set: string, code: string | null | undefined, parent?: string | null) => {
    if (!code) return;
    const v = findValue(ctx.db, set, code);
    if (!v || !v.active) e[`registration.${field}`] = `Not a known ${set.replace(/_/g, ' ')} code`;
    else if (parent !== undefined && v.parentCode !== parent) e[`registration.${field}`] = 'Does not belong to the chosen parent value';
  };
  inSet('ownershipCode', 'ownership', reg.ownershipCode);
  inSet('ownershipSubTypeCode', 'ownership_subtype', reg.ownershipSubTypeCode, reg.ownershipCode ?? null);
  inSet('facilityTypeCode', 'facility_type', reg.facilityTypeCode);
  inSet('facilitySubTypeCode', 'facility_subtype', reg.facilitySubTypeCode, reg.facilityTypeCode ?? null);
  inSet('operationalStatus', 'operational_status', reg.operationalStatus);
  reg.systemsOfMedicine?.forEach((c, i) => !findValue(ctx.db, 'system_of_medicine', c) && (e[`registration.systemsOfMedicine.${i}`] = 'Not a known system of medicine'));
  reg.specialities?.forEach((c, i) => !findValue(ctx.db, 'speciality', c) && (e[`registration.specialities.${i}`] = 'Not a known speciality'));
  reg.typesOfService?.forEach((c, i) => !findValue(ctx.db, 'type_of_service', c) && (e[`registration.typesOfService.${i}`] = 'Must be OPD or IPD'));
  if (reg.stateLgd != null && !stateOf(ctx.db, reg.stateLgd)) e['registration.stateLgd'] = 'Not an LGD state code';
  if (reg.districtLgd != null) {
    const d = districtOf(ctx.db, reg.districtLgd);
    if (!d) e['registration.districtLgd'] = 'Not an LGD district code';
    else if (reg.stateLgd != null && d.stateCode !== reg.stateLgd) e['registration.districtLgd'] = 'This district is not in the chosen state';
  }
  if (reg.subDistrictLgd != null) {
    const s = subdistrictOf(ctx.db, reg.subDistrictLgd);
    if (!s) e['registration.subDistrictLgd'] = 'Not an LGD sub-district code';
    else if (reg.districtLgd != null && s.districtCode !== reg.districtLgd) e['registration.subDistrictLgd'] = 'This sub-district is not in the chosen district';
  }
  if (reg.latitude != null && reg.longitude != null && !inIndia(reg.latitude, reg.longitude)) {
    e['registration.latitude'] = 'These coordinates are outside India (latitude 6-38, longitude 68-98); are they swapped?';
  }
  reg.timings?.forEach((t, i) => {
    if (reg.timings!.findIndex((o) => o.day === t.day) !== i) e[`registration.timings.${i}`] = `${t.day} is listed twice`;
    const sorted = [...t.ranges].sort((a, b) => a.from.localeCompare(b.from));
    t.ranges.forEach((r, j) => {
      if (r.from >= r.to) e[`registration.timings.${i}.ranges.${j}`] = `${t.day}: closing must be after opening`;
    });
    sorted.forEach((r, j) => {
      const next = sorted[j + 1];
      if (next && next.from < r.to) e[`registration.timings.${i}`] ??= `${t.day}: opening hours overlap`;
    });
  });
  if (letterhead.logo) {
    const m = /^data:image\/(png|jpeg);base64,([A-Za-z0-9+/=]+)$/.exec(letterhead.logo);
    const bytes = m ? Buffer.from(m[2]!, 'base64') : null;
    const png = bytes && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const jpeg = bytes && bytes[0] === 0xff && bytes[1] === 0xd8;
    if (!m || !bytes || !(m[1] === 'png' ? png : jpeg)) e['letterhead.logo'] = 'The logo must be a PNG or JPEG image';
    else if (bytes.length > LOGO_MAX_BYTES) e['letterhead.logo'] = `The logo is ${Math.ceil(bytes.length / 1024)} KB; at most 256 KB`;
  }
  return e;
}

function refuse(errors: Record<string, string>): never {
  const [k, v] = Object.entries(errors)[0]!;
  throw new ApiFailure('invalid_input', `${k}: ${v}`, errors);
}

/** Saves whatever has been filled in so far; a completed registration goes back to draft if edited. */
export function saveFacility(ctx: Ctx, patch: FacilityPatch) {
  const f = current(ctx);
  const name = patch.name ?? f.name;
  const registration = patch.registration ? { ...f.registration, ...patch.registration } : f.registration;
  const letterhead = patch.letterhead ? { ...f.letterhead, ...patch.letterhead } : f.letterhead;
  const errors = checkValues(ctx, name, registration, letterhead);
  if (Object.keys(errors).length > 0) refuse(errors);
  // The name is registered with HFR too: changing it, or any registration field, needs completing again.
  const changesRegistration = name !== f.name || JSON.stringify(registration) !== JSON.stringify(f.registration);
  ctx.write.update(facility, f.id, {
    name,
    address: patch.address ?? f.address,
    phone: patch.phone ?? f.phone,
    registration,
    letterhead,
    ...(changesRegistration && f.registrationStatus === 'complete' ? { registrationStatus: 'draft' as const } : {}),
  });
  return getFacility(ctx);
}

interface Missing {
  field: string;
  label: string;
}

/** Mandatory HFR fields still empty, in the order they appear on the form. */
export function missingFields(ctx: Ctx, f: Pick<FacilityRow, 'name' | 'registration'>): Missing[] {
  const r = f.registration;
  const missing: Missing[] = [];
  const need = (ok: boolean, field: string, label: string) => !ok && missing.push({ field: `registration.${field}`, label });
  if (!f.name) missing.push({ field: 'name', label: 'Facility name' });
  need(!!r.ownershipCode, 'ownershipCode', 'Ownership');
  const subtypes = r.ownershipCode ? valueSet(ctx.db, 'ownership_subtype', r.ownershipCode) : [];
  need(subtypes.length === 0 || !!r.ownershipSubTypeCode, 'ownershipSubTypeCode', 'Ownership sub-type');
  need((r.systemsOfMedicine?.length ?? 0) > 0, 'systemsOfMedicine', 'System(s) of medicine');
  need(!!r.facilityTypeCode, 'facilityTypeCode', 'Facility type');
  const facilitySubtypes = r.facilityTypeCode ? valueSet(ctx.db, 'facility_subtype', r.facilityTypeCode) : [];
  need(facilitySubtypes.length === 0 || !!r.facilitySubTypeCode, 'facilitySubTypeCode', 'Facility sub-type');
  need(!!r.operationalStatus, 'operationalStatus', 'Operational status');
  need((r.specialities?.length ?? 0) > 0, 'specialities', 'Specialities');
  need((r.typesOfService?.length ?? 0) > 0, 'typesOfService', 'Type of service (OPD/IPD)');
  need(!!r.addressLine1, 'addressLine1', 'Address line 1');
  need(r.stateLgd != null, 'stateLgd', 'State');
  need(r.districtLgd != null, 'districtLgd', 'District');
  need(r.subDistrictLgd != null, 'subDistrictLgd', 'Sub-district');
  need(!!r.region, 'region', 'Region (rural/urban)');
  need(!!r.pincode, 'pincode', 'Pincode');
  need(r.latitude != null, 'latitude', 'Latitude');
  need(r.longitude != null, 'longitude', 'Longitude');
  need(!!r.mobile, 'mobile', 'Mobile number');
  need((r.timings ?? []).some((t) => t.open && t.ranges.length > 0), 'timings', 'Timings (at least one working day)');
  if (r.typesOfService?.includes('IPD')) {
    need(r.beds != null, 'beds', 'Number of beds');
    need(r.ventilators != null, 'ventilators', 'Number of ventilators');
  }
  return missing;
}

export function validateFacility(ctx: Ctx) {
  const f = current(ctx);
  const missing = missingFields(ctx, f);
  return { complete: missing.length === 0, missing, status: f.registrationStatus };
}

/** Marks the registration complete, or refuses listing every mandatory field still missing. */
export function completeFacility(ctx: Ctx) {
  const f = current(ctx);
  const missing = missingFields(ctx, f);
  if (missing.length > 0) {
    throw new ApiFailure(
      'invalid_input',
      `Still missing: ${missing.map((m) => m.label).join(', ')}`,
      Object.fromEntries(missing.map((m) => [m.field, `${m.label} is required`])),
    );
  }
  ctx.write.update(facility, f.id, { registrationStatus: 'complete' });
  return { complete: true, status: 'complete' as const };
}

const DAY_ORDER: DayTimings['day'][] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

function twelveHour(t: string): string {
  const [h, m] = t.split(':').map(Number);
  const suffix = h! >= 12 ? 'PM' : 'AM';
  return `${((h! + 11) % 12) + 1}:${String(m).padStart(2, '0')} ${suffix}`;
}

/**
 * The body of HFR's basic-information request, built from a complete registration, for the
 * central server to submit with its own credentials.
 */
export function hfrPayload(ctx: Ctx) {
  const f = current(ctx);
  const missing = missingFields(ctx, f);
  if (missing.length > 0) {
    throw new ApiFailure('conflict', `Complete the registration first. Still missing: ${missing.map((m) => m.label).join(', ')}`);
  }
  const r = f.registration;
  const str = (v: number | null | undefined) => (v == null ? '' : String(v));
  return {
    facilityInformation: {
      facilityName: f.name,
      facilityAddressDetails: {
        country: 'India',
        stateLGDCode: str(r.stateLgd),
        districtLGDCode: str(r.districtLgd),
        subDistrictLGDCode: str(r.subDistrictLgd),
        facilityRegion: r.region ?? '',
        villageCityTownLGDCode: '',
        addressLine1: r.addressLine1 ?? '',
        addressLine2: r.addressLine2 ?? '',
        pincode: r.pincode ?? '',
        latitude: r.latitude != null ? r.latitude.toFixed(6) : '',
        longitude: r.longitude != null ? r.longitude.toFixed(6) : '',
      },
      facilityContactInformation: {
        facilityEmailId: r.email ?? '',
        facilityContactNumber: r.mobile ?? '',
        websiteLink: r.website ?? '',
        facilityLandlineNumber: r.landline ?? '',
        facilityStdCode: r.landlineStd ?? '',
      },
      ownershipCode: r.ownershipCode ?? '',
      ownershipSubTypeCode: r.ownershipSubTypeCode ?? '',
      systemOfMedicineCode: (r.systemsOfMedicine ?? []).join(','),
      typeOfServiceCode: (r.typesOfService ?? []).join(','),
      facilityTypeCode: r.facilityTypeCode ?? '',
      facilitySubType: r.facilitySubTypeCode ?? '',
      specialities: r.specialities ?? [],
      facilityOperationalStatus: r.operationalStatus ?? '',
      timingsOfFacility: [...(r.timings ?? [])]
        .filter((t) => t.open && t.ranges.length > 0)
        .sort((a, b) => DAY_ORDER.indexOf(a.day) - DAY_ORDER.indexOf(b.day))
        .map((t) => ({ workingDays: t.day, openingHours: t.ranges.map((x) => `${twelveHour(x.from)} - ${twelveHour(x.to)}`).join(', ') })),
      ...(r.typesOfService?.includes('IPD') ? { numberOfBeds: str(r.beds), numberOfVentilators: str(r.ventilators) } : {}),
      abdmCompliantSoftware: r.abdmSoftware ? [{ existingSoftwares: [r.abdmSoftware] }] : [],
    },
  };
}
