import type Database from '../../db/sqlite';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/open';
import { lgdDistricts, lgdStates, lgdSubdistricts, pincodeOffices, valueSets } from '../../db/schema';
import { importCsv, importCsvNow, type CsvImportSpec } from './csv-import';
import type { JobControl } from './jobs';

export function valueSet(db: Db, setName: string, parentCode?: string | null) {
  const where = [eq(valueSets.setName, setName), eq(valueSets.active, true)];
  if (parentCode !== undefined && parentCode !== null) where.push(eq(valueSets.parentCode, parentCode));
  return db
    .select({ code: valueSets.code, label: valueSets.label, parentCode: valueSets.parentCode })
    .from(valueSets)
    .where(and(...where))
    .orderBy(asc(valueSets.sort), asc(valueSets.label))
    .all();
}

export function findValue(db: Db, setName: string, code: string) {
  return db.select().from(valueSets).where(and(eq(valueSets.setName, setName), eq(valueSets.code, code))).get();
}

export const states = (db: Db) => db.select().from(lgdStates).orderBy(asc(lgdStates.name)).all();
export const districts = (db: Db, stateCode: number) =>
  db.select({ code: lgdDistricts.code, name: lgdDistricts.name }).from(lgdDistricts).where(eq(lgdDistricts.stateCode, stateCode)).orderBy(asc(lgdDistricts.name)).all();
export const subdistricts = (db: Db, districtCode: number) =>
  db
    .select({ code: lgdSubdistricts.code, name: lgdSubdistricts.name })
    .from(lgdSubdistricts)
    .where(eq(lgdSubdistricts.districtCode, districtCode))
    .orderBy(asc(lgdSubdistricts.name))
    .all();

export const stateOf = (db: Db, code: number) => db.select().from(lgdStates).where(eq(lgdStates.code, code)).get();
export const districtOf = (db: Db, code: number) => db.select().from(lgdDistricts).where(eq(lgdDistricts.code, code)).get();
export const subdistrictOf = (db: Db, code: number) => db.select().from(lgdSubdistricts).where(eq(lgdSubdistricts.code, code)).get();

/** Post offices of a pincode (when the pincode directory has been imported), with coordinates first. */
export function pincodeLookup(db: Db, pincode: string) {
  const offices = db.select().from(pincodeOffices).where(eq(pincodeOffices.pincode, pincode)).all();
  const located = offices.find((o) => o.latitude !== null && o.longitude !== null && inIndia(o.latitude, o.longitude));
  // Some offices carry no district or state (blank in the source): name them from one that does.
  const named = offices.find((o) => o.district !== null && o.state !== null);
  return {
    pincode,
    offices: offices.map((o) => o.officeName),
    district: named?.district ?? null,
    state: named?.state ?? null,
    latitude: located?.latitude ?? null,
    longitude: located?.longitude ?? null,
  };
}

/** India's bounding box, generously: anything outside is a typo or swapped coordinates. */
export function inIndia(latitude: number, longitude: number): boolean {
  return latitude >= 6 && latitude <= 38 && longitude >= 68 && longitude <= 98;
}

const int = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : null);

/** The LGD directory's three files, in the order they are read (a district names its state). */
export const LGD_PARTS = ['states', 'districts', 'subdistricts'] as const;
export type LgdPart = (typeof LGD_PARTS)[number];
export type LgdFiles = Record<LgdPart, string>;

export const LGD_SPECS: Record<LgdPart, CsvImportSpec> = {
  states: {
    columns: ['state_code', 'state_name'],
    sql: 'INSERT INTO lgd_states (code, name) VALUES (@code, @name) ON CONFLICT(code) DO UPDATE SET name = excluded.name WHERE name IS NOT excluded.name',
    row: (r) => (int(r.state_code) && r.state_name ? { code: int(r.state_code), name: r.state_name } : r.state_code || '(no code)'),
    label: 'states',
  },
  districts: {
    columns: ['district_code', 'district_name', 'state_code'],
    sql: 'INSERT INTO lgd_districts (code, name, state_code) VALUES (@code, @name, @state) ON CONFLICT(code) DO UPDATE SET name = excluded.name, state_code = excluded.state_code WHERE name IS NOT excluded.name OR state_code IS NOT excluded.state_code',
    row: (r) => (int(r.district_code) && r.district_name && int(r.state_code) ? { code: int(r.district_code), name: r.district_name, state: int(r.state_code) } : r.district_code || '(no code)'),
    label: 'districts',
  },
  subdistricts: {
    columns: ['subdistrict_code', 'subdistrict_name', 'district_code', 'state_code'],
    sql: `INSERT INTO lgd_subdistricts (code, name, district_code, state_code) VALUES (@code, @name, @district, @state)
          ON CONFLICT(code) DO UPDATE SET name = excluded.name, district_code = excluded.district_code, state_code = excluded.state_code
          WHERE name IS NOT excluded.name OR district_code IS NOT excluded.district_code OR state_code IS NOT excluded.state_code`,
    row: (r) =>
      int(r.subdistrict_code) && r.subdistrict_name && int(r.district_code) && int(r.state_code)
        ? { code: int(r.subdistrict_code), name: r.subdistrict_name, district: int(r.district_code), state: int(r.state_code) }
        : r.subdistrict_code || '(no code)',
    label: 'sub-districts',
  },
};

/** LGD states, districts and sub-districts from the three directory CSVs, one after the other. */
export async function importLgd(sqlite: Database.Database, files: LgdFiles, job: JobControl) {
  const states = await importCsv(sqlite, files.states, job, LGD_SPECS.states);
  const districts = await importCsv(sqlite, files.districts, job, LGD_SPECS.districts);
  const subdistricts = await importCsv(sqlite, files.subdistricts, job, LGD_SPECS.subdistricts);
  return { states, districts, subdistricts };
}

/** The same, at once (see importCsvNow): the directory is small enough to load while the app opens. */
export function importLgdNow(sqlite: Database.Database, files: LgdFiles) {
  return {
    states: importCsvNow(sqlite, files.states, LGD_SPECS.states),
    districts: importCsvNow(sqlite, files.districts, LGD_SPECS.districts),
    subdistricts: importCsvNow(sqlite, files.subdistricts, LGD_SPECS.subdistricts),
  };
}

/** The India Post pincode directory (pincode, office, district, state, coordinates). */
export async function importPincodes(sqlite: Database.Database, file: string, job: JobControl) {
  const num = (v: string | undefined) => (v && !Number.isNaN(Number(v)) ? Number(v) : null);
  return importCsv(sqlite, file, job, {
    columns: ['pincode', 'office_name', 'district', 'state', 'latitude', 'longitude'],
    sql: 'INSERT INTO pincode_offices (pincode, office_name, district, state, latitude, longitude) VALUES (@pincode, @office, @district, @state, @lat, @lon)',
    row: (r) =>
      /^[1-9]\d{5}$/.test(r.pincode ?? '') && r.office_name
        ? { pincode: r.pincode, office: r.office_name, district: r.district || null, state: r.state || null, lat: num(r.latitude), lon: num(r.longitude) }
        : r.pincode || '(no pincode)',
    label: 'post offices',
    replace: 'DELETE FROM pincode_offices',
  });
}

/** Registry value sets from a CSV of set_name,code,label[,parent_code,sort]: replaces each set it mentions. */
export async function importValueSets(sqlite: Database.Database, file: string, job: JobControl) {
  return importCsv(sqlite, file, job, {
    columns: ['set_name', 'code', 'label'],
    sql: `INSERT INTO value_sets (set_name, code, label, parent_code, sort, active) VALUES (@set, @code, @label, @parent, @sort, 1)
          ON CONFLICT(set_name, code) DO UPDATE SET label = excluded.label, parent_code = excluded.parent_code, sort = excluded.sort, active = 1`,
    row: (r) => (r.set_name && r.code && r.label ? { set: r.set_name, code: r.code, label: r.label, parent: r.parent_code || null, sort: int(r.sort) ?? 0 } : r.code || '(no code)'),
    label: 'values',
  });
}
