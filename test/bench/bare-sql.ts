import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type Database from '../../db/sqlite';
import { ageOn, estimatedDob } from '../../shared/clinic-time';
import { changeSigningBytes } from '../../shared/change-signing';
import { normalisePhone } from '../../shared/phone';
import { displayName, indexPatient } from '../../electron/services/patient-search';
import { nameWords, phoneticKey, sameName, similarNames } from '../../electron/services/phonetic';
import type { NewPatient } from './seed';

/**
 * The floor the router is measured against (issue #20): the same work as patients.search,
 * patients.register and queue.checkIn, done with statements prepared once, raw rows and no
 * layers, on the router's own connection. It writes the same rows: the patient or the visit (and
 * the patient's last visit), each with its signed change_log entry and its audit row (itself with
 * a signed change_log entry), and the search index. Not a second implementation of the app: the
 * bench only runs it interleaved with the router and compares the times.
 */
export class BareSql {
  protected readonly statements = new Map<string, Database.Statement>();
  protected readonly columnsOf = new Map<string, string[]>();
  private readonly key: KeyObject;
  private readonly keyId = 'bench-bare-key';
  private counter = 0;

  constructor(
    protected readonly sqlite: Database.Database,
    protected readonly deviceId: string,
    protected readonly user: { id: string; username: string },
    protected readonly today: string,
  ) {
    this.key = generateKeyPairSync('ed25519').privateKey;
  }

  protected stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.sqlite.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  protected hlc(now: number): string {
    return `${String(now).padStart(15, '0')}-${String(this.counter++).padStart(6, '0')}-${this.deviceId}`;
  }

  /** The row's columns inserted with one statement cached per column set. */
  protected insertRow(table: string, row: Record<string, unknown>): void {
    let cols = this.columnsOf.get(table);
    if (!cols) {
      cols = (this.sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
      this.columnsOf.set(table, cols);
    }
    // Columns the row leaves out take the table's default, as the Writer's insert does (a NOT NULL
    // column with a default, like patients.no_known_allergies, must not be sent as null).
    const given = cols.filter((c) => row[c] !== undefined);
    const values = given.map((c) => {
      const v = row[c];
      if (typeof v === 'boolean') return v ? 1 : 0;
      return v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
    });
    this.stmt(`INSERT INTO ${table} (${given.join(', ')}) VALUES (${given.map(() => '?').join(', ')})`).run(...values);
  }

  protected logChange(table: string, rowId: string, op: 'insert' | 'update', columns: Record<string, unknown>, hlc: string): void {
    const change = { id: uuidv7(), table, rowId, op, columns, hlc, userId: this.user.id };
    const sig = sign(null, changeSigningBytes(change), this.key).toString('base64');
    this.stmt('INSERT INTO change_log (id, table_name, row_id, op, columns, hlc, user_id, sig, key_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      change.id, table, rowId, op, JSON.stringify(columns), hlc, this.user.id, sig, this.keyId,
    );
  }

  protected audit(now: number, action: string, entityType: string, entityId: string, oldValues: Record<string, unknown> | null, newValues: Record<string, unknown>): void {
    const id = uuidv7();
    const hlc = this.hlc(now);
    const row = {
      id, created_at: now, updated_at: now, hlc, device_id: this.deviceId, deleted_at: null, at: now, user_id: this.user.id,
      username: this.user.username, action, outcome: 'ok', entity_type: entityType, entity_id: entityId,
      old_values: oldValues, new_values: newValues, detail: null,
    };
    this.insertRow('audit_log', row);
    this.logChange('audit_log', id, 'insert', row, hlc);
  }

  /** patients.search's queries and its ten returned fields. */
  search(query: string, limit: number): unknown[] {
    const q = query.trim();
    const seen = new Set<string>();
    const hits: { id: string; match: string }[] = [];
    const add = (ids: string[], match: string) => {
      for (const id of ids) if (hits.length < limit && !seen.has(id) && seen.add(id)) hits.push({ id, match });
    };
    const ids = (sql: string, ...params: unknown[]) => this.stmt(sql).pluck().all(...params) as string[];
    const digits = normalisePhone(q);
    if (q.includes('@')) add(ids('SELECT id FROM patients WHERE abha_address = ? AND deleted_at IS NULL', q.toLowerCase()), 'abha');
    else {
      if (/^\d+$/.test(digits)) {
        if (digits.length === 14) add(ids('SELECT id FROM patients WHERE abha_number = ? AND deleted_at IS NULL', digits), 'abha');
        const rev = [...digits].reverse().join('');
        if (digits.length >= 4) add(ids('SELECT patient_id FROM patient_search WHERE mobile_rev >= ? AND mobile_rev < ? ORDER BY rank DESC LIMIT ?', rev, rev + ':', limit), 'mobile');
      }
      if (/^[a-z0-9]+-\d+$/i.test(q)) add(ids('SELECT id FROM patients WHERE mrn = ? AND deleted_at IS NULL', q.toUpperCase()), 'mrn');
      else {
        const words = nameWords(q).filter((w) => /[a-z]/.test(w));
        const quote = (w: string) => `"${w.replace(/"/g, '')}"`;
        const fts = 'SELECT s.patient_id FROM patient_fts f JOIN patient_search s ON s.rank = f.rowid WHERE patient_fts MATCH ? ORDER BY f.rowid DESC LIMIT ?';
        if (words.length > 0) {
          add(ids(fts, words.map((w) => `name:${quote(w)}`).join(' AND '), limit), 'name');
          if (hits.length < limit) add(ids(fts, words.map((w) => `name:${quote(w)}*`).join(' AND '), limit), 'name-prefix');
          if (hits.length < limit) {
            const like = words.map((w) => (w.length >= 3 && phoneticKey(w).length >= 2 ? `(name:${quote(w)}* OR ph:${quote(phoneticKey(w))}*)` : `name:${quote(w)}*`));
            add(ids(fts, like.join(' AND '), limit), 'sounds-like');
          }
        }
      }
    }
    if (hits.length === 0) return [];
    const get = this.stmt('SELECT id, mrn, given_name, family_name, gender, dob, mobile, abha_number, city, last_visit_at, deleted_at FROM patients WHERE id = ?');
    return hits.flatMap((h) => {
      const r = get.get(h.id) as { id: string; mrn: string; given_name: string; family_name: string | null; gender: string; dob: string; mobile: string | null; abha_number: string | null; city: string | null; last_visit_at: number | null; deleted_at: number | null } | undefined;
      if (!r || r.deleted_at !== null) return [];
      return [{ id: r.id, mrn: r.mrn, name: displayName({ givenName: r.given_name, familyName: r.family_name }), gender: r.gender, age: ageOn(r.dob, this.today), mobile: r.mobile, abhaNumber: r.abha_number, city: r.city, lastVisitAt: r.last_visit_at, match: h.match }];
    });
  }

  /** patients.register: the duplicate checks, the MRN, the patient, its index entry, change_log and audit, in one transaction. */
  register(p: NewPatient, now: number): string {
    return this.sqlite.transaction(() => {
      const text = (v: unknown) => (typeof v === 'string' ? v : null);
      const name = displayName({ givenName: p.givenName, familyName: text(p.familyName) });
      const dob = p.dob ?? estimatedDob(p.ageYears ?? 30, this.today);
      const slim = (col: string) => `SELECT id, given_name, family_name, merged_into FROM patients WHERE ${col} = ? AND deleted_at IS NULL`;
      type Slim = { given_name: string; family_name: string | null };
      const nameOf = (r: Slim) => displayName({ givenName: r.given_name, familyName: r.family_name });
      if (p.abhaNumber) this.stmt(slim('abha_number')).all(p.abhaNumber);
      if (p.mobile) for (const r of this.stmt(slim('mobile')).all(p.mobile) as Slim[]) similarNames(name, nameOf(r));
      for (const r of this.stmt(slim('dob')).all(dob) as Slim[]) sameName(name, nameOf(r));
      const n = this.stmt("INSERT INTO number_series (name, last) VALUES ('mrn', 1) ON CONFLICT (name) DO UPDATE SET last = last + 1 RETURNING last").pluck().get() as number;
      const id = uuidv7();
      const hlc = this.hlc(now);
      const row = {
        id, created_at: now, updated_at: now, hlc, device_id: this.deviceId, deleted_at: null, mrn: `B-${String(n).padStart(6, '0')}`,
        given_name: p.givenName, family_name: text(p.familyName), gender: p.gender, dob, dob_estimated: p.dob == null, mobile: text(p.mobile),
        alternate_phone: null, email: null, address_line1: p.addressLine1 ?? null, address_line2: null, city: p.city ?? null, district: p.district ?? null,
        state: p.state ?? null, pincode: p.pincode ?? null, blood_group: null, allergies: [], chronic_conditions: [], current_medications: [],
        emergency_contact: null, insurance: null, marital_status: null, occupation: null, consent: p.consent === true, consent_date: p.consent ? this.today : null,
        abha_number: p.abhaNumber ?? null, abha_address: null, duplicate_override: null, merged_into: null, last_visit_at: null,
      };
      this.insertRow('patients', row);
      this.logChange('patients', id, 'insert', row, hlc);
      indexPatient(this.sqlite, { id, givenName: row.given_name, familyName: row.family_name, mobile: row.mobile });
      this.audit(now, 'patients.register', 'patients', id, null, row);
      return id;
    })();
  }

  /** queue.checkIn (walk-in): the checks, the next token, the visit, the patient's last visit, index, change_log and audit. */
  checkIn(patientId: string, doctorId: string, now: number): string {
    return this.sqlite.transaction(() => {
      const p = this.stmt('SELECT id, given_name, family_name, mobile, last_visit_at FROM patients WHERE id = ? AND deleted_at IS NULL').get(patientId) as
        | { id: string; given_name: string; family_name: string | null; mobile: string | null; last_visit_at: number | null }
        | undefined;
      if (!p) throw new Error('no such patient');
      const doctor = this.stmt('SELECT full_name FROM users WHERE id = ? AND deleted_at IS NULL').pluck().get(doctorId) as string;
      const already = this.stmt(
        "SELECT token_label FROM visits WHERE patient_id = ? AND doctor_id = ? AND date = ? AND status IN ('waiting', 'with-doctor') AND deleted_at IS NULL",
      ).get(patientId, doctorId, this.today);
      if (already) throw new Error('already in the queue');
      const last = this.stmt("SELECT max(token_no) FROM visits WHERE doctor_id = ? AND date = ? AND token_label NOT LIKE '%-%'").pluck().get(doctorId, this.today) as number | null;
      const tokenNo = (last ?? 0) + 1;
      const id = uuidv7();
      const hlc = this.hlc(now);
      const visit = {
        id, created_at: now, updated_at: now, hlc, device_id: this.deviceId, deleted_at: null, patient_id: patientId, doctor_id: doctorId, date: this.today,
        token_no: tokenNo, token_label: String(tokenNo), appointment_id: null, priority: 'regular', status: 'waiting', checked_in_at: now,
      };
      this.insertRow('visits', visit);
      this.logChange('visits', id, 'insert', visit, hlc);
      const phlc = this.hlc(now);
      this.stmt('UPDATE patients SET last_visit_at = ?, updated_at = ?, hlc = ?, device_id = ? WHERE id = ?').run(now, now, phlc, this.deviceId, patientId);
      const set = { last_visit_at: now, updated_at: now, hlc: phlc, device_id: this.deviceId };
      this.logChange('patients', patientId, 'update', set, phlc);
      indexPatient(this.sqlite, { id: p.id, givenName: p.given_name, familyName: p.family_name, mobile: p.mobile });
      this.audit(now, 'queue.checkIn', 'visits', id, null, visit);
      this.audit(now, 'queue.checkIn', 'patients', patientId, { last_visit_at: p.last_visit_at }, { last_visit_at: now });
      return `${doctor} ${tokenNo}`;
    })();
  }
}
