import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type Database from '../../db/sqlite';
import { patients, users, visits, type Allergy, type EmergencyContact, type Insurance } from '../../db/schema';
import type { BloodGroup, Gender } from '../../db/schema';
import type { Row } from '../../db/write';
import { ApiFailure, type AuthedContext } from '../core/context';
import { ageOn, estimatedDob } from '../../shared/clinic-time';
import { displayName, indexPatient, searchPatients, type MatchKind } from './patient-search';
import { isIndianMobile } from '../../shared/phone';
import type { LanguageCode } from '../../shared/languages';
import { sameName, similarNames } from './phonetic';
import { getWorkstation, nextInSeries } from './workstation';
import { survivorOf } from '../../db/patient-merge-follow';
import { mergeOf } from './patient-merge';
import { cachedStatement } from '../../db/cached-statement';

type Ctx = AuthedContext;
export type PatientRow = Row<typeof patients>;

/** What reception enters; either a date of birth or an age in years. */
export interface PatientInput {
  givenName: string;
  familyName?: string | null | undefined;
  gender: Gender;
  dob?: string | null | undefined;
  ageYears?: number | null | undefined;
  mobile?: string | null | undefined;
  alternatePhone?: string | null | undefined;
  email?: string | null | undefined;
  addressLine1?: string | null | undefined;
  addressLine2?: string | null | undefined;
  city?: string | null | undefined;
  district?: string | null | undefined;
  state?: string | null | undefined;
  pincode?: string | null | undefined;
  bloodGroup?: BloodGroup | null | undefined;
  allergies?: Allergy[] | undefined;
  noKnownAllergies?: boolean | undefined;
  chronicConditions?: string[] | undefined;
  currentMedications?: string[] | undefined;
  emergencyContact?: EmergencyContact | null | undefined;
  insurance?: Insurance | null | undefined;
  maritalStatus?: PatientRow['maritalStatus'] | undefined;
  occupation?: string | null | undefined;
  preferredLanguage?: LanguageCode | null | undefined;
  consent?: boolean | undefined;
  consentDate?: string | null | undefined;
  abhaNumber?: string | null | undefined;
  abhaAddress?: string | null | undefined;
}

export interface Warning {
  field: string;
  message: string;
}

export interface DuplicateCandidate {
  id: string;
  mrn: string;
  name: string;
  gender: Gender;
  age: number;
  dob: string;
  mobile: string | null;
  abhaNumber: string | null;
  reasons: string[];
}

/** Soft checks: the receptionist is told, but the record is saved. */
export function patientWarnings(p: { mobile?: string | null | undefined }): Warning[] {
  const warnings: Warning[] = [];
  if (p.mobile && !isIndianMobile(p.mobile)) {
    warnings.push({ field: 'mobile', message: 'Indian mobile numbers have 10 digits and start with 6, 7, 8 or 9. Please check it.' });
  }
  return warnings;
}

/**
 * Input fields to columns. `path` is where the fields sit in the call's input ('patient' or
 * 'patch'), so errors name the field the way validation errors do. Fields absent from a partial
 * update stay absent (undefined), so they are left as they are.
 */
function toColumns(ctx: Ctx, input: PatientInput, path: 'patient' | 'patch') {
  const today = ctx.today();
  const { ageYears, dob, consent, consentDate, ...rest } = input;
  const base = {
    ...rest,
    givenName: input.givenName.trim(),
    familyName: input.familyName === undefined ? undefined : input.familyName?.trim() || null,
    abhaAddress: input.abhaAddress === undefined ? undefined : (input.abhaAddress?.toLowerCase() ?? null),
    // An allergy recorded ends "no known allergies".
    ...(input.allergies && input.allergies.length > 0 ? { noKnownAllergies: false } : {}),
  };
  if (dob != null && dob > today) {
    const field = `${path}.dob`;
    throw new ApiFailure('invalid_input', `${field}: Date of birth cannot be in the future`, { [field]: 'Date of birth cannot be in the future' });
  }
  const birth =
    dob != null
      ? { dob, dobEstimated: false }
      : ageYears != null
        ? { dob: estimatedDob(ageYears, today), dobEstimated: true }
        : {};
  const consentCols = consent === undefined ? {} : { consent, consentDate: consent ? (consentDate ?? today) : null };
  return { ...base, ...birth, ...consentCols };
}

/** The duplicate checks' narrow look-ups, by the column compared: compiled once per connection. */
const DUPLICATE_SQL = {
  abhaNumber: 'SELECT id, given_name, family_name, merged_into FROM patients WHERE abha_number = ? AND deleted_at IS NULL',
  mobile: 'SELECT id, given_name, family_name, merged_into FROM patients WHERE mobile = ? AND deleted_at IS NULL',
  dob: 'SELECT id, given_name, family_name, merged_into FROM patients WHERE dob = ? AND deleted_at IS NULL',
} as const;
type SlimPatient = { id: string; givenName: string; familyName: string | null; mergedInto: string | null };
const duplicateStatements = new WeakMap<Database.Database, Record<keyof typeof DUPLICATE_SQL, Database.Statement>>();

/**
 * Live patients whose `column` equals `value`, with only what the comparison needs. Statements of
 * its own (not drizzle's): building these three selects cost a registration more than running them (issue #20).
 */
function slimPatientsBy(sqlite: Database.Database, column: keyof typeof DUPLICATE_SQL, value: string): SlimPatient[] {
  let s = duplicateStatements.get(sqlite);
  if (!s) {
    s = { abhaNumber: sqlite.prepare(DUPLICATE_SQL.abhaNumber), mobile: sqlite.prepare(DUPLICATE_SQL.mobile), dob: sqlite.prepare(DUPLICATE_SQL.dob) };
    duplicateStatements.set(sqlite, s);
  }
  const rows = s[column].all(value) as { id: string; given_name: string; family_name: string | null; merged_into: string | null }[];
  return rows.map((r) => ({ id: r.id, givenName: r.given_name, familyName: r.family_name, mergedInto: r.merged_into }));
}

export function findDuplicates(
  ctx: Pick<Ctx, 'db' | 'sqlite' | 'today'>,
  p: { givenName: string; familyName?: string | null | undefined; dob?: string | null; mobile?: string | null | undefined; abhaNumber?: string | null | undefined },
  exceptId?: string,
): DuplicateCandidate[] {
  const name = displayName({ givenName: p.givenName, familyName: p.familyName ?? null });
  // Only the columns needed to compare; full rows are loaded for the few that match.
  const matched = new Map<string, string[]>();
  const mark = (row: { id: string; mergedInto: string | null }, reason: string) => {
    if (row.id === exceptId || row.mergedInto) return;
    matched.set(row.id, [...(matched.get(row.id) ?? []), reason]);
  };
  if (p.abhaNumber) {
    for (const row of slimPatientsBy(ctx.sqlite, 'abhaNumber', p.abhaNumber)) mark(row, 'Same ABHA number');
  }
  if (p.mobile) {
    for (const row of slimPatientsBy(ctx.sqlite, 'mobile', p.mobile)) {
      if (similarNames(name, displayName(row))) mark(row, 'Same mobile and a similar name');
    }
  }
  if (p.dob) {
    for (const row of slimPatientsBy(ctx.sqlite, 'dob', p.dob)) {
      if (sameName(name, displayName(row))) mark(row, 'Same name and date of birth');
    }
  }
  if (matched.size === 0) return [];
  const today = ctx.today();
  return ctx.db.select().from(patients).where(inArray(patients.id, [...matched.keys()])).all().map((row) => ({
    id: row.id,
    mrn: row.mrn,
    name: displayName(row),
    gender: row.gender,
    age: ageOn(row.dob, today),
    dob: row.dob,
    mobile: row.mobile,
    abhaNumber: row.abhaNumber,
    reasons: matched.get(row.id)!,
  }));
}

export type RegisterResult =
  | { status: 'duplicates'; candidates: DuplicateCandidate[] }
  | { status: 'registered'; patient: PatientView; warnings: Warning[] };

/**
 * Registration checks for likely duplicates BEFORE saving. If there are any the caller has not
 * seen, nothing is saved and they are returned; saving anyway means passing their ids back.
 */
export function registerPatient(ctx: Ctx, input: PatientInput, acknowledged: string[]): RegisterResult {
  const cols = toColumns(ctx, input, 'patient');
  const candidates = findDuplicates(ctx, cols);
  const unseen = candidates.filter((c) => !acknowledged.includes(c.id));
  if (unseen.length > 0) return { status: 'duplicates', candidates };
  if (!cols.dob) throw new ApiFailure('invalid_input', 'patient.dob: Enter a date of birth or an age', { 'patient.dob': 'Enter a date of birth or an age' });
  const prefix = getWorkstation(ctx.db).seriesPrefix;
  const mrn = `${prefix}-${String(nextInSeries(ctx.db, 'mrn')).padStart(6, '0')}`;
  const row = ctx.write.insert(patients, {
    ...cols,
    dob: cols.dob,
    mrn,
    duplicateOverride: candidates.length > 0 ? candidates.map((c) => c.id) : null,
  });
  indexPatient(ctx.sqlite, row);
  if (candidates.length > 0) ctx.describe({ detail: `registered despite possible duplicates: ${candidates.map((c) => c.mrn).join(', ')}` });
  return { status: 'registered', patient: toView(ctx, row), warnings: patientWarnings(row) };
}

export function updatePatient(ctx: Ctx, id: string, input: Partial<PatientInput>) {
  const before = requirePatient(ctx, id);
  const cols = toColumns(ctx, { givenName: before.givenName, gender: before.gender, ...input }, 'patch');
  // A changed ABHA is no longer the one ABDM verified (electron/services/abdm.ts).
  if ((cols.abhaNumber !== undefined && cols.abhaNumber !== before.abhaNumber) || (cols.abhaAddress !== undefined && cols.abhaAddress !== before.abhaAddress)) {
    Object.assign(cols, { abhaVerifiedAt: null, abhaVerifiedBy: null, abhaVerifyMethod: null });
  }
  const row = ctx.write.update(patients, id, cols);
  if (displayName(row) !== displayName(before) || row.mobile !== before.mobile) indexPatient(ctx.sqlite, row);
  return { patient: toView(ctx, row), warnings: patientWarnings(row) };
}

export function requirePatient(ctx: Pick<Ctx, 'db'>, id: string): PatientRow {
  const row = ctx.db.select().from(patients).where(eq(patients.id, id)).get();
  if (!row || row.deletedAt !== null) throw new ApiFailure('not_found', 'No such patient.', { patientId: 'No such patient' });
  return row;
}

export type PatientView = Omit<PatientRow, 'hlc' | 'deviceId' | 'deletedAt'> & { name: string; age: number };

export function toView(ctx: Pick<Ctx, 'today'>, row: PatientRow): PatientView {
  const { hlc: _h, deviceId: _d, deletedAt: _x, ...rest } = row;
  return { ...rest, name: displayName(row), age: ageOn(row.dob, ctx.today()) };
}

export function getPatient(ctx: Ctx, id: string) {
  const row = requirePatient(ctx, id);
  const recentVisits = ctx.db
    .select({ id: visits.id, date: visits.date, tokenLabel: visits.tokenLabel, status: visits.status, doctorName: users.fullName, followUpDate: visits.followUpDate })
    .from(visits)
    .innerJoin(users, eq(users.id, visits.doctorId))
    .where(and(eq(visits.patientId, id), isNull(visits.deletedAt)))
    .orderBy(desc(visits.date), desc(visits.checkedInAt))
    .limit(10)
    .all();
  ctx.describe({ entityType: 'patients', entityId: id });
  const mergedFrom = ctx.db.select({ id: patients.id, mrn: patients.mrn }).from(patients).where(eq(patients.mergedInto, id)).all();
  return { patient: toView(ctx, row), recentVisits, warnings: patientWarnings(row), merge: mergeOf(ctx, row), mergedFrom };
}

export interface SearchResult {
  id: string;
  mrn: string;
  name: string;
  gender: Gender;
  age: number;
  mobile: string | null;
  abhaNumber: string | null;
  city: string | null;
  lastVisitAt: number | null;
  match: MatchKind;
  /** The search found a record merged into this one: its MRN (the number the patient may carry). */
  mergedFrom?: string;
}

const LIST_SQL = `SELECT id, mrn, given_name, family_name, gender, dob, mobile, abha_number, city, last_visit_at, deleted_at, merged_into
  FROM patients WHERE id IN (SELECT value FROM json_each(?))`;

interface ListRow {
  id: string;
  mrn: string;
  givenName: string;
  familyName: string | null;
  gender: Gender;
  dob: string;
  mobile: string | null;
  abhaNumber: string | null;
  city: string | null;
  lastVisitAt: number | null;
  deletedAt: number | null;
  mergedInto: string | null;
}

/** The search list's columns for these patients (any order), with one cached statement. */
function listRowsByIds(sqlite: Database.Database, ids: readonly string[]): ListRow[] {
  const stmt = cachedStatement(sqlite, LIST_SQL);
  type Raw = { id: string; mrn: string; given_name: string; family_name: string | null; gender: Gender; dob: string; mobile: string | null; abha_number: string | null; city: string | null; last_visit_at: number | null; deleted_at: number | null; merged_into: string | null };
  return (stmt.all(JSON.stringify(ids)) as Raw[]).map((r) => ({
    id: r.id, mrn: r.mrn, givenName: r.given_name, familyName: r.family_name, gender: r.gender, dob: r.dob, mobile: r.mobile,
    abhaNumber: r.abha_number, city: r.city, lastVisitAt: r.last_visit_at, deletedAt: r.deleted_at, mergedInto: r.merged_into,
  }));
}

export function searchPatientList(ctx: Ctx, query: string, limit: number): SearchResult[] {
  const hits = searchPatients(ctx.sqlite, query, limit);
  if (hits.length === 0) return [];
  // Only what the list shows (the full row has ~35 columns, six of them JSON), by one statement
  // compiled once per connection: building the query with drizzle cost as much as the search itself.
  const found = listRowsByIds(ctx.sqlite, hits.map((h) => h.patientId));
  // A merged record's MRN still finds the patient: the record it was merged into stands in for it.
  const survivors = new Map(found.filter((r) => r.mergedInto).map((r) => [r.id, survivorOf(ctx.db, r.id)]));
  const extra = [...new Set(survivors.values())].filter((id) => !found.some((r) => r.id === id));
  const all = extra.length > 0 ? [...found, ...listRowsByIds(ctx.sqlite, extra)] : found;
  const byId = new Map(all.map((r) => [r.id, r]));
  const mrnOf = new Map(found.map((r) => [r.id, r.mrn]));
  const today = ctx.today();
  const shown = new Set<string>();
  return hits.flatMap((h) => {
    const standIn = survivors.get(h.patientId);
    const r = byId.get(standIn ?? h.patientId);
    if (!r || r.deletedAt !== null || shown.has(r.id)) return [];
    shown.add(r.id);
    return [
      {
        id: r.id,
        mrn: r.mrn,
        name: displayName(r),
        gender: r.gender,
        age: ageOn(r.dob, today),
        mobile: r.mobile,
        abhaNumber: r.abhaNumber,
        city: r.city,
        lastVisitAt: r.lastVisitAt,
        match: h.match,
        ...(standIn ? { mergedFrom: mrnOf.get(h.patientId)! } : {}),
      },
    ];
  });
}
