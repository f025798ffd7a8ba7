import { describe, expect, it } from 'vitest';
import { FACILITY } from '../helpers/app';
import { dataUrl, failure, freshClinic, png, type RefClinic } from './reference-fixtures';

/**
 * Facility registration for the ABDM Health Facility Registry (draft, validation, completion, the
 * HFR payload), the letterhead logo, doctors' professional registration and who may do what.
 * The clinic is new: nobody imported anything, the LGD directory is the one the app ships and
 * loads by itself. Each test opens its own copy.
 */
const open = (): RefClinic => freshClinic();

/** Maharashtra / Pune / Pune City. */
const PUNE = { state: 27, district: 490, subDistrict: 4194 } as const;

const SPLIT_DAY = [
  { from: '09:00', to: '13:00' },
  { from: '17:00', to: '20:00' },
];

/** Every mandatory HFR field filled, plus the optional contact fields. Saturday first on purpose. */
const FULL = {
  ownershipCode: 'P',
  ownershipSubTypeCode: 'P',
  systemsOfMedicine: ['M', 'A'],
  facilityTypeCode: 'CLINIC',
  facilitySubTypeCode: 'POLY',
  operationalStatus: 'F',
  specialities: ['GM', 'PED'],
  typesOfService: ['OPD'],
  addressLine1: '12 MG Road',
  addressLine2: 'Camp',
  stateLgd: PUNE.state,
  districtLgd: PUNE.district,
  subDistrictLgd: PUNE.subDistrict,
  region: 'U',
  pincode: '411001',
  latitude: 18.5196,
  longitude: 73.8553,
  mobile: '9822012345',
  landlineStd: '020',
  landline: '25551234',
  email: 'desk@sharmaclinic.in',
  website: 'https://sharmaclinic.in',
  timings: [
    { day: 'SAT', open: true, ranges: [{ from: '09:00', to: '13:00' }] },
    { day: 'MON', open: true, ranges: SPLIT_DAY },
    { day: 'TUE', open: true, ranges: SPLIT_DAY },
    { day: 'WED', open: true, ranges: [{ from: '08:30', to: '12:30' }] },
    { day: 'THU', open: true, ranges: SPLIT_DAY },
    { day: 'FRI', open: true, ranges: SPLIT_DAY },
    { day: 'SUN', open: false, ranges: [] },
  ],
  abdmSoftware: 'Clinic Workstation',
};

/** The mandatory fields of an untouched registration (the name was given at setup), in form order. */
const ALL_MISSING = [
  { field: 'registration.ownershipCode', label: 'Ownership' },
  { field: 'registration.systemsOfMedicine', label: 'System(s) of medicine' },
  { field: 'registration.facilityTypeCode', label: 'Facility type' },
  { field: 'registration.operationalStatus', label: 'Operational status' },
  { field: 'registration.specialities', label: 'Specialities' },
  { field: 'registration.typesOfService', label: 'Type of service (OPD/IPD)' },
  { field: 'registration.addressLine1', label: 'Address line 1' },
  { field: 'registration.stateLgd', label: 'State' },
  { field: 'registration.districtLgd', label: 'District' },
  { field: 'registration.subDistrictLgd', label: 'Sub-district' },
  { field: 'registration.region', label: 'Region (rural/urban)' },
  { field: 'registration.pincode', label: 'Pincode' },
  { field: 'registration.latitude', label: 'Latitude' },
  { field: 'registration.longitude', label: 'Longitude' },
  { field: 'registration.mobile', label: 'Mobile number' },
  { field: 'registration.timings', label: 'Timings (at least one working day)' },
];

const get = (k: RefClinic) => k.c.ok('facility.get', {}, k.admin);
const save = (k: RefClinic, input: unknown) => k.c.call('facility.save', input, k.admin);
const validate = (k: RefClinic) => k.c.ok('facility.validate', {}, k.admin);

/** Saves everything and completes the registration. */
function completed(registration: Record<string, unknown> = FULL): RefClinic {
  const k = open();
  k.c.ok('facility.save', { registration }, k.admin);
  expect(k.c.ok('facility.complete', {}, k.admin)).toEqual({ complete: true, status: 'complete' });
  return k;
}

describe('saving the registration as a draft', () => {
  it('saves half the fields at any time, piece by piece, keeping what was saved before', () => {
    const k = open();
    const first = k.c.ok('facility.save', { registration: { ownershipCode: 'G', stateLgd: PUNE.state, pincode: '411001', mobile: '9822012345' } }, k.admin);
    expect(first.registrationStatus).toBe('draft');
    expect(first.registration).toEqual({ ownershipCode: 'G', stateLgd: 27, pincode: '411001', mobile: '9822012345' });

    k.c.ok('facility.save', { registration: { districtLgd: PUNE.district, systemsOfMedicine: ['M'], mobile: '' }, letterhead: { tagline: 'Family doctors since 1998' } }, k.admin);
    const f = get(k);
    expect(f.registration).toEqual({ ownershipCode: 'G', stateLgd: 27, pincode: '411001', mobile: null, districtLgd: 490, systemsOfMedicine: ['M'] });
    expect(f.letterhead).toEqual({ tagline: 'Family doctors since 1998' });
    expect(f).toMatchObject({ name: FACILITY.name, address: FACILITY.address, phone: FACILITY.phone, registrationStatus: 'draft', hfrId: null });

    k.c.ok('facility.save', { name: 'Sharma Clinic (Camp)', address: '12 MG Road, Camp, Pune 411001', phone: '020 2555 9876' }, k.admin);
    expect(get(k)).toMatchObject({ name: 'Sharma Clinic (Camp)', address: '12 MG Road, Camp, Pune 411001', phone: '020 2555 9876', registration: { ownershipCode: 'G', districtLgd: 490 } });
  });

  describe('refuses invalid values with field errors and saves nothing', () => {
    const cases: [string, Record<string, unknown>, string, string?][] = [
      ["an apostrophe in the name", { name: "Sharma's Clinic" }, 'name', 'Use letters, digits, _ . ( ) , / and single spaces only'],
      ['double spaces in the name', { name: 'Sharma  Clinic' }, 'name', 'Use letters, digits, _ . ( ) , / and single spaces only'],
      ['a dash in the name', { name: 'Clinic - Pune' }, 'name', 'Use letters, digits, _ . ( ) , / and single spaces only'],
      ['an empty name', { name: '  ' }, 'name', 'Facility name is required'],
      ['a 5-digit pincode', { registration: { pincode: '12345' } }, 'registration.pincode', 'Pincode must be 6 digits'],
      ['a pincode starting with 0', { registration: { pincode: '012345' } }, 'registration.pincode', 'Pincode must be 6 digits'],
      ['coordinates in London', { registration: { latitude: 51.5072, longitude: -0.1276 } }, 'registration.latitude', 'These coordinates are outside India (latitude 6-38, longitude 68-98); are they swapped?'],
      ['swapped coordinates', { registration: { latitude: 73.8553, longitude: 18.5196 } }, 'registration.latitude', 'These coordinates are outside India (latitude 6-38, longitude 68-98); are they swapped?'],
      ['a latitude over 90', { registration: { latitude: 91, longitude: 73.8 } }, 'registration.latitude', 'Latitude is between -90 and 90'],
      ['a longitude over 180', { registration: { latitude: 18.5, longitude: 181 } }, 'registration.longitude', 'Longitude is between -180 and 180'],
      ['a latitude that is not a number', { registration: { latitude: '18.5 N' } }, 'registration.latitude', 'Latitude must be a number'],
      ['a mobile starting with 5', { registration: { mobile: '5822012345' } }, 'registration.mobile', 'Mobile must be 10 digits starting with 6-9'],
      ['a 9-digit mobile', { registration: { mobile: '982201234' } }, 'registration.mobile', 'Mobile must be 10 digits starting with 6-9'],
      ['an STD code without its 0', { registration: { landlineStd: '20' } }, 'registration.landlineStd', 'STD code is 0 followed by 1-4 digits'],
      ['an email without @', { registration: { email: 'desk.sharmaclinic.in' } }, 'registration.email', 'Email is not a valid address'],
      ['an email without a domain', { registration: { email: 'desk@' } }, 'registration.email', 'Email is not a valid address'],
      ['a website with spaces', { registration: { website: 'sharma clinic' } }, 'registration.website', 'Website must look like example.in or https://example.in'],
      ['an ftp website', { registration: { website: 'ftp://sharmaclinic.in' } }, 'registration.website'],
      ['a district of another state', { registration: { stateLgd: PUNE.state, districtLgd: 1 } }, 'registration.districtLgd', 'This district is not in the chosen state'],
      [
        'a sub-district of another district',
        { registration: { stateLgd: PUNE.state, districtLgd: PUNE.district, subDistrictLgd: 53 } },
        'registration.subDistrictLgd',
        'This sub-district is not in the chosen district',
      ],
      ['an unknown state code', { registration: { stateLgd: 99 } }, 'registration.stateLgd', 'Not an LGD state code'],
      ['an unknown district code', { registration: { districtLgd: 99_999 } }, 'registration.districtLgd', 'Not an LGD district code'],
      ['a state given as text', { registration: { stateLgd: 'Maharashtra' } }, 'registration.stateLgd', 'Choose from the list'],
      ['an unknown ownership', { registration: { ownershipCode: 'X' } }, 'registration.ownershipCode', 'Not a known ownership code'],
      ['an unknown facility type', { registration: { facilityTypeCode: 'SPA' } }, 'registration.facilityTypeCode', 'Not a known facility type code'],
      ['an unknown operational status', { registration: { operationalStatus: 'OPEN' } }, 'registration.operationalStatus', 'Not a known operational status code'],
      ['an unknown system of medicine', { registration: { systemsOfMedicine: ['M', 'Q'] } }, 'registration.systemsOfMedicine.1', 'Not a known system of medicine'],
      ['an unknown speciality', { registration: { specialities: ['GM', 'ASTRO'] } }, 'registration.specialities.1', 'Not a known speciality'],
      ['an unknown type of service', { registration: { typesOfService: ['OPD', 'ER'] } }, 'registration.typesOfService.1', 'Must be OPD or IPD'],
      ['an unknown region', { registration: { region: 'M' } }, 'registration.region', 'Region must be R (rural) or U (urban)'],
      [
        'a private sub-type under government ownership',
        { registration: { ownershipCode: 'G', ownershipSubTypeCode: 'NP' } },
        'registration.ownershipSubTypeCode',
        'Does not belong to the chosen parent value',
      ],
      [
        'a government sub-type under private ownership',
        { registration: { ownershipCode: 'P', ownershipSubTypeCode: 'C' } },
        'registration.ownershipSubTypeCode',
        'Does not belong to the chosen parent value',
      ],
      ['a sub-type with no ownership', { registration: { ownershipSubTypeCode: 'S' } }, 'registration.ownershipSubTypeCode', 'Does not belong to the chosen parent value'],
      [
        'a hospital sub-type for a clinic',
        { registration: { facilityTypeCode: 'CLINIC', facilitySubTypeCode: 'GEN' } },
        'registration.facilitySubTypeCode',
        'Does not belong to the chosen parent value',
      ],
      [
        'closing before opening',
        { registration: { timings: [{ day: 'MON', open: true, ranges: [{ from: '09:00', to: '13:00' }, { from: '20:00', to: '17:00' }] }] } },
        'registration.timings.0.ranges.1',
        'MON: closing must be after opening',
      ],
      [
        'closing at the opening time',
        { registration: { timings: [{ day: 'TUE', open: true, ranges: [{ from: '09:00', to: '09:00' }] }] } },
        'registration.timings.0.ranges.0',
        'TUE: closing must be after opening',
      ],
      [
        'a time that does not exist',
        { registration: { timings: [{ day: 'MON', open: true, ranges: [{ from: '09:00', to: '25:00' }] }] } },
        'registration.timings.0.ranges.0.to',
        'Closing time must be a time as HH:MM (24-hour)',
      ],
      ['negative beds', { registration: { beds: -1 } }, 'registration.beds', 'Beds cannot be negative'],
      ['a bad GSTIN', { letterhead: { gstin: '27AAAPL1234C1Z' } }, 'letterhead.gstin', 'GSTIN must be 15 characters like 27AAAPL1234C1Z5'],
    ];

    it.each(cases)('%s', (_label, input, field, message) => {
      const k = open();
      const before = get(k);
      // A valid change rides along: it must not be saved either.
      const registration = { addressLine2: 'Camp', ...(input.registration as Record<string, unknown> | undefined) };
      const error = failure(save(k, { ...input, phone: '020 2555 9999', registration }));
      expect(error.code).toBe('invalid_input');
      expect(Object.keys(error.fields ?? {})).toContain(field);
      if (message) expect(error.fields?.[field]).toBe(message);
      expect(error.message).toContain(': ');
      expect(get(k)).toEqual(before);
    });

    it('keeps the chosen district consistent when only the state changes', () => {
      const k = open();
      k.c.ok('facility.save', { registration: { stateLgd: PUNE.state, districtLgd: PUNE.district, subDistrictLgd: PUNE.subDistrict } }, k.admin);
      // Karnataka: Pune is not one of its districts; the admin must choose the district again.
      expect(failure(save(k, { registration: { stateLgd: 29 } })).fields).toEqual({ 'registration.districtLgd': 'This district is not in the chosen state' });
      expect(failure(save(k, { registration: { districtLgd: 482 } })).fields).toEqual({ 'registration.subDistrictLgd': 'This sub-district is not in the chosen district' });
      expect(get(k).registration).toMatchObject({ stateLgd: 27, districtLgd: 490, subDistrictLgd: 4194 });
      // Changing ownership leaves the saved sub-type orphaned unless it is changed too.
      k.c.ok('facility.save', { registration: { ownershipCode: 'G', ownershipSubTypeCode: 'S' } }, k.admin);
      expect(failure(save(k, { registration: { ownershipCode: 'P' } })).fields).toEqual({ 'registration.ownershipSubTypeCode': 'Does not belong to the chosen parent value' });
      k.c.ok('facility.save', { registration: { ownershipCode: 'P', ownershipSubTypeCode: 'NP' } }, k.admin);
      expect(get(k).registration).toMatchObject({ ownershipCode: 'P', ownershipSubTypeCode: 'NP' });
    });
  });

  describe('the letterhead logo', () => {
    const LIMIT = 256 * 1024;

    it('accepts a small PNG or JPEG and removes it again', () => {
      const k = open();
      const logo = dataUrl('image/png', png(64, 32));
      k.c.ok('facility.save', { letterhead: { logo } }, k.admin);
      expect(get(k).letterhead.logo).toBe(logo);
      // JFIF header: start-of-image and APP0 markers.
      const jpeg = dataUrl('image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]));
      k.c.ok('facility.save', { letterhead: { logo: jpeg } }, k.admin);
      expect(get(k).letterhead.logo).toBe(jpeg);
      k.c.ok('facility.save', { letterhead: { logo: null } }, k.admin);
      expect(get(k).letterhead.logo).toBeNull();
    });

    it('accepts a PNG just under 256 KB', () => {
      const k = open();
      const bytes = png(290, 300, true);
      expect(bytes.length).toBeGreaterThan(LIMIT - 2048);
      expect(bytes.length).toBeLessThanOrEqual(LIMIT);
      k.c.ok('facility.save', { letterhead: { logo: dataUrl('image/png', bytes) } }, k.admin);
      expect(get(k).letterhead.logo).toBe(dataUrl('image/png', bytes));
    });

    it('refuses what is not a PNG or JPEG, and anything over 256 KB', () => {
      const k = open();
      const before = get(k);
      const refused = (logo: string) => failure(save(k, { letterhead: { logo } })).fields?.['letterhead.logo'];
      const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
      expect(refused(dataUrl('image/gif', gif))).toBe('The logo must be a PNG or JPEG image');
      expect(refused(dataUrl('image/png', gif))).toBe('The logo must be a PNG or JPEG image');
      expect(refused(dataUrl('image/jpeg', png(8, 8)))).toBe('The logo must be a PNG or JPEG image');
      expect(refused(dataUrl('image/svg+xml', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')))).toBe('The logo must be a PNG or JPEG image');
      expect(refused('https://example.in/logo.png')).toBe('The logo must be a PNG or JPEG image');

      const over = png(300, 300, true);
      expect(over.length).toBeGreaterThan(LIMIT);
      expect(refused(dataUrl('image/png', over))).toBe(`The logo is ${Math.ceil(over.length / 1024)} KB; at most 256 KB`);
      expect(refused(dataUrl('image/png', png(400, 400, true)))).toBe('The logo is too large: at most 256 KB');
      expect(get(k)).toEqual(before);
    });
  });
});

describe('completing the registration', () => {
  it('lists exactly the missing mandatory fields of a draft, with labels and field paths', () => {
    const k = open();
    expect(validate(k)).toEqual({ complete: false, missing: ALL_MISSING, status: 'draft' });

    k.c.ok(
      'facility.save',
      {
        registration: {
          ownershipCode: 'G',
          systemsOfMedicine: ['M'],
          facilityTypeCode: 'CLINIC',
          addressLine1: '12 MG Road',
          stateLgd: PUNE.state,
          districtLgd: PUNE.district,
          pincode: '411001',
          timings: [{ day: 'SUN', open: false, ranges: [] }],
        },
      },
      k.admin,
    );
    expect(validate(k)).toEqual({
      complete: false,
      status: 'draft',
      missing: [
        { field: 'registration.ownershipSubTypeCode', label: 'Ownership sub-type' },
        { field: 'registration.facilitySubTypeCode', label: 'Facility sub-type' },
        { field: 'registration.operationalStatus', label: 'Operational status' },
        { field: 'registration.specialities', label: 'Specialities' },
        { field: 'registration.typesOfService', label: 'Type of service (OPD/IPD)' },
        { field: 'registration.subDistrictLgd', label: 'Sub-district' },
        { field: 'registration.region', label: 'Region (rural/urban)' },
        { field: 'registration.latitude', label: 'Latitude' },
        { field: 'registration.longitude', label: 'Longitude' },
        { field: 'registration.mobile', label: 'Mobile number' },
        { field: 'registration.timings', label: 'Timings (at least one working day)' },
      ],
    });

    // Public-private partnership has no sub-types, a health & wellness centre no facility sub-types.
    k.c.ok('facility.save', { registration: { ownershipCode: 'PP', facilityTypeCode: 'HWC' } }, k.admin);
    const fields = validate(k).missing.map((m) => m.field);
    expect(fields).not.toContain('registration.ownershipSubTypeCode');
    expect(fields).not.toContain('registration.facilitySubTypeCode');
    expect(fields).toHaveLength(9);
  });

  it('refuses to complete listing every missing field, and completes once everything is filled', () => {
    const k = open();
    const error = failure(k.c.call('facility.complete', {}, k.admin));
    expect(error.code).toBe('invalid_input');
    expect(error.fields).toEqual(Object.fromEntries(ALL_MISSING.map((m) => [m.field, `${m.label} is required`])));
    expect(error.message).toBe(`Still missing: ${ALL_MISSING.map((m) => m.label).join(', ')}`);
    expect(get(k).registrationStatus).toBe('draft');

    // One field short: only that one is listed.
    const { mobile: _mobile, ...noMobile } = FULL;
    k.c.ok('facility.save', { registration: noMobile }, k.admin);
    expect(failure(k.c.call('facility.complete', {}, k.admin)).fields).toEqual({ 'registration.mobile': 'Mobile number is required' });
    // Only closed days do not count as timings.
    k.c.ok('facility.save', { registration: { mobile: FULL.mobile, timings: [{ day: 'MON', open: false, ranges: SPLIT_DAY }] } }, k.admin);
    expect(failure(k.c.call('facility.complete', {}, k.admin)).fields).toEqual({ 'registration.timings': 'Timings (at least one working day) is required' });

    k.c.ok('facility.save', { registration: { timings: FULL.timings } }, k.admin);
    expect(validate(k)).toEqual({ complete: true, missing: [], status: 'draft' });
    expect(k.c.ok('facility.complete', {}, k.admin)).toEqual({ complete: true, status: 'complete' });
    expect(get(k).registrationStatus).toBe('complete');
    expect(validate(k)).toEqual({ complete: true, missing: [], status: 'complete' });
  });

  it('requires beds and ventilators for in-patient service', () => {
    const k = open();
    k.c.ok('facility.save', { registration: { ...FULL, typesOfService: ['OPD', 'IPD'] } }, k.admin);
    expect(validate(k).missing).toEqual([
      { field: 'registration.beds', label: 'Number of beds' },
      { field: 'registration.ventilators', label: 'Number of ventilators' },
    ]);
    expect(failure(k.c.call('facility.complete', {}, k.admin)).fields).toEqual({
      'registration.beds': 'Number of beds is required',
      'registration.ventilators': 'Number of ventilators is required',
    });
    k.c.ok('facility.save', { registration: { beds: 30, ventilators: 0 } }, k.admin);
    expect(k.c.ok('facility.complete', {}, k.admin)).toEqual({ complete: true, status: 'complete' });
    expect(k.c.ok('facility.hfrPayload', {}, k.admin).facilityInformation).toMatchObject({ typeOfServiceCode: 'OPD,IPD', numberOfBeds: '30', numberOfVentilators: '0' });
  });

  it('goes back to draft when a completed registration is edited, not when it is saved unchanged', () => {
    const k = completed();
    // The form saves everything again: nothing changed, still complete.
    expect(k.c.ok('facility.save', { name: FACILITY.name, registration: FULL }, k.admin).registrationStatus).toBe('complete');
    // The letterhead is not part of the registration.
    expect(k.c.ok('facility.save', { letterhead: { tagline: 'Open on Saturdays' } }, k.admin).registrationStatus).toBe('complete');
    // A refused edit leaves it complete.
    failure(save(k, { registration: { mobile: '1234567890' } }));
    expect(get(k).registrationStatus).toBe('complete');

    expect(k.c.ok('facility.save', { registration: { mobile: '9822099999' } }, k.admin).registrationStatus).toBe('draft');
    expect(k.c.ok('facility.complete', {}, k.admin).status).toBe('complete');

    // The facility name is registered with HFR too.
    expect(k.c.ok('facility.save', { name: 'Sharma Polyclinic' }, k.admin).registrationStatus).toBe('draft');
  });
});

describe('the HFR payload', () => {
  it('is refused before the registration is complete', () => {
    const k = open();
    k.c.ok('facility.save', { registration: { ownershipCode: 'P', ownershipSubTypeCode: 'P' } }, k.admin);
    const error = failure(k.c.call('facility.hfrPayload', {}, k.admin));
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/^Complete the registration first\. Still missing: System\(s\) of medicine, Facility type, /);
  });

  it('carries the chosen LGD codes, ownership, systems of medicine, timings per weekday and contacts', () => {
    const k = completed();
    expect(k.c.ok('facility.hfrPayload', {}, k.admin)).toEqual({
      facilityInformation: {
        facilityName: 'Sharma Clinic',
        facilityAddressDetails: {
          country: 'India',
          stateLGDCode: '27',
          districtLGDCode: '490',
          subDistrictLGDCode: '4194',
          facilityRegion: 'U',
          villageCityTownLGDCode: '',
          addressLine1: '12 MG Road',
          addressLine2: 'Camp',
          pincode: '411001',
          latitude: '18.519600',
          longitude: '73.855300',
        },
        facilityContactInformation: {
          facilityEmailId: 'desk@sharmaclinic.in',
          facilityContactNumber: '9822012345',
          websiteLink: 'https://sharmaclinic.in',
          facilityLandlineNumber: '25551234',
          facilityStdCode: '020',
        },
        ownershipCode: 'P',
        ownershipSubTypeCode: 'P',
        systemOfMedicineCode: 'M,A',
        typeOfServiceCode: 'OPD',
        facilityTypeCode: 'CLINIC',
        facilitySubType: 'POLY',
        specialities: ['GM', 'PED'],
        facilityOperationalStatus: 'F',
        timingsOfFacility: [
          { workingDays: 'MON', openingHours: '9:00 AM - 1:00 PM, 5:00 PM - 8:00 PM' },
          { workingDays: 'TUE', openingHours: '9:00 AM - 1:00 PM, 5:00 PM - 8:00 PM' },
          { workingDays: 'WED', openingHours: '8:30 AM - 12:30 PM' },
          { workingDays: 'THU', openingHours: '9:00 AM - 1:00 PM, 5:00 PM - 8:00 PM' },
          { workingDays: 'FRI', openingHours: '9:00 AM - 1:00 PM, 5:00 PM - 8:00 PM' },
          { workingDays: 'SAT', openingHours: '9:00 AM - 1:00 PM' },
        ],
        abdmCompliantSoftware: [{ existingSoftwares: ['Clinic Workstation'] }],
      },
    });
  });

  it('writes midnight and noon the way people read them, and leaves optional contacts empty', () => {
    const { landlineStd: _s, landline: _l, email: _e, website: _w, addressLine2: _a, abdmSoftware: _x, ...mandatory } = FULL;
    const k = completed({
      ...mandatory,
      timings: [{ day: 'SUN', open: true, ranges: [{ from: '00:00', to: '00:30' }, { from: '12:00', to: '23:59' }] }],
    });
    const info = k.c.ok('facility.hfrPayload', {}, k.admin).facilityInformation;
    expect(info.timingsOfFacility).toEqual([{ workingDays: 'SUN', openingHours: '12:00 AM - 12:30 AM, 12:00 PM - 11:59 PM' }]);
    expect(info.facilityContactInformation).toEqual({ facilityEmailId: '', facilityContactNumber: '9822012345', websiteLink: '', facilityLandlineNumber: '', facilityStdCode: '' });
    expect(info.facilityAddressDetails.addressLine2).toBe('');
    expect(info.abdmCompliantSoftware).toEqual([]);
  });
});

describe("doctors' professional registration", () => {
  const QUALIFICATIONS = [
    { degree: 'MBBS', college: 'B. J. Government Medical College, Pune', university: 'Maharashtra University of Health Sciences', year: 2008 },
    { degree: 'MD (General Medicine)', college: 'Seth G. S. Medical College, Mumbai', university: 'Maharashtra University of Health Sciences', year: 2012 },
  ];
  const profileInput = (k: RefClinic, extra: Record<string, unknown> = {}) => ({
    userId: k.doctorId,
    specialization: 'General Medicine',
    registrationCouncil: 'MMC',
    registrationNumber: 'MMC/2011/04567',
    registrationDate: '2011-06-15',
    qualificationDetails: QUALIFICATIONS,
    hprId: '71234567890123',
    hprAddress: 'meera.rao@hpr.abdm',
    consultationFeePaise: 50_000,
    followUpFeePaise: 20_000,
    followUpWindowDays: 7,
    schedule: [],
    ...extra,
  });
  const profile = (k: RefClinic) => k.c.ok('doctors.get', { doctorId: k.doctorId }, k.admin).profile;
  const refusedFields = (k: RefClinic, extra: Record<string, unknown>) => {
    const error = failure(k.c.call('doctors.upsert', profileInput(k, extra), k.admin));
    expect(error.code).toBe('invalid_input');
    expect(profile(k)).toBeNull();
    return error.fields;
  };

  it('takes the council by code or by name, stores its full name, and derives the qualifications from the degrees', () => {
    const k = open();
    const saved = k.c.ok('doctors.upsert', profileInput(k), k.admin).profile;
    expect(saved).toMatchObject({
      registrationCouncil: 'Maharashtra Medical Council',
      registrationNumber: 'MMC/2011/04567',
      registrationDate: '2011-06-15',
      qualifications: 'MBBS, MD (General Medicine)',
      qualificationDetails: QUALIFICATIONS,
      hprId: '71234567890123',
      hprAddress: 'meera.rao@hpr.abdm',
    });
    expect(profile(k)).toMatchObject({ registrationCouncil: 'Maharashtra Medical Council', qualifications: 'MBBS, MD (General Medicine)' });

    k.c.ok('doctors.upsert', profileInput(k, { registrationCouncil: 'national medical commission (indian medical register)', qualifications: 'MBBS, MD (Medicine)' }), k.admin);
    expect(profile(k)).toMatchObject({ registrationCouncil: 'National Medical Commission (Indian Medical Register)', qualifications: 'MBBS, MD (Medicine)' });
    k.c.ok('doctors.upsert', profileInput(k, { registrationCouncil: 'Travancore-Cochin Medical Council (Kerala)', qualifications: '  ', hprId: '', hprAddress: '' }), k.admin);
    expect(profile(k)).toMatchObject({ registrationCouncil: 'Travancore-Cochin Medical Council (Kerala)', qualifications: 'MBBS, MD (General Medicine)', hprId: null, hprAddress: null });
  });

  it('refuses a council that is not on the list', () => {
    const k = open();
    expect(refusedFields(k, { registrationCouncil: 'Mumbai Medical Board' })).toEqual({ registrationCouncil: 'Choose a council from the list' });
    expect(refusedFields(k, { registrationCouncil: 'MMC2' })).toEqual({ registrationCouncil: 'Choose a council from the list' });
    expect(refusedFields(k, { registrationCouncil: '' })).toEqual({ registrationCouncil: 'Registration council is required' });
  });

  it('checks the HPR ID, the HPR address and the registration number', () => {
    const k = open();
    for (const hprId of ['7123456789012', '712345678901234', '71-2345-6789-0123', 'HPR1234567890']) {
      expect(refusedFields(k, { hprId }), hprId).toEqual({ hprId: 'HPR ID must be 14 digits' });
    }
    for (const hprAddress of ['meera.rao', 'meera.rao@hpr', 'meera.rao@abdm', 'me@hpr.abdm', 'meera rao@hpr.abdm']) {
      expect(refusedFields(k, { hprAddress }), hprAddress).toEqual({ hprAddress: 'HPR address must look like name@hpr.abdm' });
    }
    for (const registrationNumber of ['MMC 2011 04567', 'MMC#4567', 'MMC_4567', '४५६७']) {
      expect(refusedFields(k, { registrationNumber }), registrationNumber).toEqual({ registrationNumber: 'Registration number may use letters, digits, / . - only' });
    }
    expect(refusedFields(k, { registrationNumber: '   ' })).toEqual({ registrationNumber: 'Registration number is required' });
  });

  it('checks each degree, its year and the registration date', () => {
    const k = open();
    const degree = (d: Record<string, unknown>) => ({ qualificationDetails: [QUALIFICATIONS[0], { ...QUALIFICATIONS[1], ...d }] });
    expect(refusedFields(k, degree({ degree: '' }))).toEqual({ 'qualificationDetails.1.degree': 'Degree is required' });
    expect(refusedFields(k, degree({ college: ' ' }))).toEqual({ 'qualificationDetails.1.college': 'College is required' });
    expect(refusedFields(k, degree({ university: undefined }))).toEqual({ 'qualificationDetails.1.university': 'University is required' });
    expect(refusedFields(k, degree({ year: 1935 }))).toEqual({ 'qualificationDetails.1.year': 'Year is too early' });
    expect(refusedFields(k, degree({ year: 2012.5 }))).toHaveProperty(['qualificationDetails.1.year']);
    expect(refusedFields(k, degree({ year: '2012' }))).toEqual({ 'qualificationDetails.1.year': 'Year must be a number' });
    // The clinic's today is 2026-11-21: a degree cannot be from a later year.
    expect(refusedFields(k, degree({ year: 2031 }))).toEqual({ 'qualificationDetails.1.year': 'The year cannot be after this year' });

    expect(refusedFields(k, { registrationDate: '2011-02-30' })).toEqual({ registrationDate: 'Registration date must be a date as YYYY-MM-DD' });
    expect(refusedFields(k, { registrationDate: '15/06/2011' })).toEqual({ registrationDate: 'Registration date must be a date as YYYY-MM-DD' });
    expect(refusedFields(k, { registrationDate: '2026-12-01' })).toEqual({ registrationDate: 'The registration date cannot be in the future' });

    // No qualifications at all.
    expect(refusedFields(k, { qualificationDetails: [] })).toEqual({ qualifications: 'Enter the qualifications' });

    k.c.ok('doctors.upsert', profileInput(k, { registrationDate: '2026-11-21', qualificationDetails: [{ ...QUALIFICATIONS[0], year: 2026 }] }), k.admin);
    expect(profile(k)).toMatchObject({ registrationDate: '2026-11-21', qualifications: 'MBBS' });
  });
});

describe('who may register the facility and manage reference data', () => {
  it('lets a receptionist read the facility and the pickers, but not change or import anything', () => {
    const k = open();
    const before = get(k);
    const forbidden: [string, unknown][] = [
      ['facility.save', { registration: { mobile: '9822012345' } }],
      ['facility.validate', {}],
      ['facility.complete', {}],
      ['facility.hfrPayload', {}],
      ['reference.importLgd', { folder: '/clinic/imports' }],
      ['reference.importPincodes', { path: '/clinic/imports/pincodes.csv' }],
      ['reference.importValueSets', { path: '/clinic/imports/lgd_states.csv' }],
      ['reference.importIcd10', { path: '/clinic/imports/icd10cm_codes.csv' }],
      ['reference.loadShipped', {}],
      ['doctors.upsert', { userId: k.doctorId }],
    ];
    for (const [method, input] of forbidden) {
      expect(failure(k.c.call(method as 'facility.save', input, k.reception)).code, method).toBe('forbidden');
    }
    expect(k.c.app.jobs.list()).toEqual([]);
    expect(get(k)).toEqual(before);

    expect(k.c.ok('facility.get', {}, k.reception)).toEqual(before);
    expect(k.c.ok('reference.lgdStates', {}, k.reception)).toHaveLength(36);
    expect(k.c.ok('reference.lgdDistricts', { stateCode: PUNE.state }, k.reception)).toContainEqual({ code: PUNE.district, name: 'Pune' });
    expect(k.c.ok('reference.lgdSubdistricts', { districtCode: PUNE.district }, k.reception)).toContainEqual({ code: PUNE.subDistrict, name: 'Pune City' });
    expect(k.c.ok('reference.valueSet', { setName: 'ownership_subtype', parentCode: 'G' }, k.reception).map((v) => v.code)).toEqual(['C', 'S']);
    expect(k.c.ok('reference.pincode', { pincode: '411001' }, k.reception).pincode).toBe('411001');

    expect(failure(k.c.call('facility.get', {}, null)).code).toBe('unauthenticated');
  });
});
