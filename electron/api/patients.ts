import { z } from 'zod';
import { ALLERGY_TYPES, BLOOD_GROUPS, GENDERS, MARITAL_STATUSES, SEVERITIES } from '../../db/schema';
import { LANGUAGES, LANGUAGE_CODES } from '../../shared/languages';
import { followUpsDue } from '../services/queue';
import { getPatient, registerPatient, searchPatientList, updatePatient } from '../services/patients';
import { MERGE_FIELD_NAMES, mergePatients, mergePreview, unmergePatient } from '../services/patient-merge';
import { method } from './contract';
import {
  abhaAddress,
  abhaNumber,
  email,
  id,
  isoDate,
  optionalText,
  phoneNumber,
  pincode,
  requiredPhoneNumber,
  requiredText,
} from './fields';
import { lineText } from './text';

const listOfText = (label: string) => z.array(requiredText(label, 200)).max(50).optional();

const patientFields = {
  givenName: requiredText('Given name', 80),
  familyName: optionalText('Family name', 80),
  gender: z.enum(GENDERS, { error: 'Gender must be male, female or other' }),
  dob: isoDate('Date of birth').nullish(),
  ageYears: z.number({ error: 'Age must be a number of years' }).int('Age must be whole years').min(0, 'Age cannot be negative').max(130, 'Age must be at most 130').nullish(),
  mobile: phoneNumber('Mobile'),
  alternatePhone: phoneNumber('Alternate phone'),
  email,
  addressLine1: optionalText('Address line 1'),
  addressLine2: optionalText('Address line 2'),
  city: optionalText('City / village', 100),
  district: optionalText('District', 100),
  state: optionalText('State', 100),
  pincode,
  bloodGroup: z.enum(BLOOD_GROUPS, { error: `Blood group must be one of ${BLOOD_GROUPS.join(' ')}` }).nullish(),
  allergies: z
    .array(
      z.object({
        type: z.enum(ALLERGY_TYPES, { error: 'Allergy type must be food, medication or environmental' }),
        substance: requiredText('Allergy substance', 100),
        severity: z.enum(SEVERITIES, { error: 'Severity must be mild, moderate or severe' }),
      }),
    )
    .max(50)
    .optional(),
  noKnownAllergies: z.boolean({ error: 'No known allergies must be yes or no' }).optional(),
  chronicConditions: listOfText('Chronic condition'),
  currentMedications: listOfText('Current medication'),
  emergencyContact: z
    .object({ name: requiredText('Emergency contact name', 100), phone: requiredPhoneNumber('Emergency contact phone'), relation: requiredText('Relation', 50) })
    .nullish(),
  insurance: z
    .object({ provider: requiredText('Insurance provider', 100), policyNumber: requiredText('Policy number', 50), expiry: isoDate('Policy expiry').nullable() })
    .nullish(),
  maritalStatus: z.enum(MARITAL_STATUSES, { error: `Marital status must be one of ${MARITAL_STATUSES.join(', ')}` }).nullish(),
  occupation: optionalText('Occupation', 100),
  preferredLanguage: z
    .enum(LANGUAGE_CODES, { error: `Preferred language must be one of ${LANGUAGES.map((l) => `${l.code} (${l.name})`).join(', ')}` })
    .nullish(),
  consent: z.boolean({ error: 'Consent must be yes or no' }).optional(),
  consentDate: isoDate('Consent date').nullish(),
  abhaNumber,
  abhaAddress,
};

const mergeSide = z.enum(['survivor', 'merged'], { error: 'Choose the record to keep (survivor) or the record being merged (merged)' });

const newPatient = z
  .object(patientFields)
  .refine((p) => p.dob != null || p.ageYears != null, { error: 'Enter a date of birth or an age', path: ['dob'] });

export const patientMethods = {
  'patients.register': method({
    input: z.object({
      patient: newPatient,
      /** Ids of possible duplicates the receptionist has seen and chosen to register past. */
      acknowledgeDuplicates: z.array(lineText('Possible duplicate')).max(50).default([]),
    }),
    access: 'patients.write',
    mutates: true,
    run: (ctx, input) => registerPatient(ctx, input.patient, input.acknowledgeDuplicates),
  }),
  'patients.update': method({
    input: z.object({ id: id('Patient'), patch: z.object(patientFields).partial() }),
    access: 'patients.write',
    mutates: true,
    run: (ctx, input) => updatePatient(ctx, input.id, input.patch),
  }),
  'patients.get': method({
    input: z.object({ id: id('Patient') }),
    access: 'patients.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => getPatient(ctx, input.id),
  }),
  'patients.search': method({
    input: z.object({
      query: lineText('Search text', 'Type something to search for').max(100, 'Search text is too long'),
      limit: z.number().int().min(1).max(50).default(20),
    }),
    access: 'patients.read',
    mutates: false,
    run: (ctx, input) => searchPatientList(ctx, input.query, input.limit),
  }),
  'patients.mergePreview': method({
    input: z.object({ survivorId: id('Record to keep'), mergedId: id('Record to merge') }),
    access: 'patients.merge',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => mergePreview(ctx, input.survivorId, input.mergedId),
  }),
  'patients.merge': method({
    input: z.object({
      survivorId: id('Record to keep'),
      mergedId: id('Record to merge'),
      /** Per differing field, which record's value the kept record takes (default: its own). */
      fields: z.partialRecord(z.enum(MERGE_FIELD_NAMES, { error: `Field must be one of ${MERGE_FIELD_NAMES.join(', ')}` }), mergeSide).default({}),
    }),
    access: 'patients.merge',
    mutates: true,
    run: (ctx, input) => mergePatients(ctx, input.survivorId, input.mergedId, input.fields),
  }),
  'patients.unmerge': method({
    input: z.object({ mergedId: id('Merged record') }),
    access: 'patients.unmerge',
    mutates: true,
    run: (ctx, input) => unmergePatient(ctx, input.mergedId),
  }),
  'patients.followUps': method({
    input: z.object({ from: isoDate('From'), to: isoDate('To') }),
    access: 'patients.read',
    mutates: false,
    run: (ctx, input) => followUpsDue(ctx, input.from, input.to),
  }),
};
