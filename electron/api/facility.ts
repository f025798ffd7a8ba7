import { z } from 'zod';
import { completeFacility, FACILITY_NAME, getFacility, hfrPayload, saveFacility, validateFacility } from '../services/facility';
import { method } from './contract';
import { email, optionalLongText, optionalText, phone, pincode, timeOfDay } from './fields';
import { lineText } from './text';

const code = lineText('Code').trim().min(1).max(20);
const lgd = z.number({ error: 'Choose from the list' }).int().positive().nullish();
const count = (label: string) => z.number({ error: `${label} must be a number` }).int(`${label} must be whole`).min(0, `${label} cannot be negative`).max(100_000).nullish();

const registration = z.object({
  ownershipCode: code.nullish(),
  ownershipSubTypeCode: code.nullish(),
  systemsOfMedicine: z.array(code).max(10).optional(),
  facilityTypeCode: code.nullish(),
  facilitySubTypeCode: code.nullish(),
  operationalStatus: code.nullish(),
  specialities: z.array(code).max(60).optional(),
  typesOfService: z.array(z.enum(['OPD', 'IPD'], { error: 'Must be OPD or IPD' })).max(2).optional(),
  addressLine1: optionalText('Address line 1', 200),
  addressLine2: optionalText('Address line 2', 200),
  stateLgd: lgd,
  districtLgd: lgd,
  subDistrictLgd: lgd,
  region: z.enum(['R', 'U'], { error: 'Region must be R (rural) or U (urban)' }).nullish(),
  pincode,
  latitude: z.number({ error: 'Latitude must be a number' }).min(-90, 'Latitude is between -90 and 90').max(90, 'Latitude is between -90 and 90').nullish(),
  longitude: z.number({ error: 'Longitude must be a number' }).min(-180, 'Longitude is between -180 and 180').max(180, 'Longitude is between -180 and 180').nullish(),
  mobile: z.preprocess((v) => (v === '' ? null : v), lineText('Mobile').regex(/^[6-9]\d{9}$/, 'Mobile must be 10 digits starting with 6-9').nullish()),
  landlineStd: z.preprocess((v) => (v === '' ? null : v), lineText('STD code').regex(/^0\d{1,4}$/, 'STD code is 0 followed by 1-4 digits').nullish()),
  landline: z.preprocess((v) => (v === '' ? null : v), lineText('Landline').regex(/^\d{5,8}$/, 'Landline is 5-8 digits').nullish()),
  email,
  website: z.preprocess(
    (v) => (v === '' ? null : v),
    lineText('Website')
      .regex(/^(https?:\/\/)?[a-z0-9-]+(\.[a-z0-9-]+)+(\/\S*)?$/i, 'Website must look like example.in or https://example.in')
      .nullish(),
  ),
  timings: z
    .array(
      z.object({
        day: z.enum(['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN']),
        open: z.boolean(),
        ranges: z.array(z.object({ from: timeOfDay('Opening time'), to: timeOfDay('Closing time') })).max(4),
      }),
    )
    .max(7)
    .optional(),
  beds: count('Beds'),
  ventilators: count('Ventilators'),
  abdmSoftware: optionalText('ABDM-compliant software', 100),
});

const letterhead = z.object({
  logo: lineText('Logo').max(400_000, 'The logo is too large: at most 256 KB').nullish(),
  timingsText: optionalText('Timings', 200),
  tagline: optionalText('Tagline', 120),
  temperatureUnit: z.enum(['C', 'F'], { error: 'Temperature unit must be C or F' }).nullish(),
  gstin: z.preprocess((v) => (v === '' ? null : v), lineText('GSTIN').regex(/^\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/, 'GSTIN must be 15 characters like 27AAAPL1234C1Z5').nullish()),
});

export const facilityMethods = {
  'facility.get': method({
    input: z.object({}).optional(),
    access: 'session',
    mutates: false,
    run: (ctx) => getFacility(ctx),
  }),
  /** Saves a draft at any time: only the values given are checked, not completeness. */
  'facility.save': method({
    input: z.object({
      name: lineText('Facility name').trim().min(1, 'Facility name is required').max(150).regex(FACILITY_NAME, 'Use letters, digits, _ . ( ) , / and single spaces only').optional(),
      address: optionalLongText('Address', 500).transform((v) => v ?? undefined),
      phone: phone.optional(),
      registration: registration.optional(),
      letterhead: letterhead.optional(),
    }),
    access: 'facility.manage',
    mutates: true,
    run: (ctx, input) => saveFacility(ctx, input),
  }),
  'facility.validate': method({
    input: z.object({}).optional(),
    access: 'facility.manage',
    mutates: false,
    run: (ctx) => validateFacility(ctx),
  }),
  'facility.complete': method({
    input: z.object({}).optional(),
    access: 'facility.manage',
    mutates: true,
    run: (ctx) => completeFacility(ctx),
  }),
  'facility.hfrPayload': method({
    input: z.object({}).optional(),
    access: 'facility.manage',
    mutates: false,
    run: (ctx) => hfrPayload(ctx),
  }),
};
