import { ApiFailure, type ServiceContext } from '../core/context';
import { hasPermission } from '../../shared/permissions';
import type { ConsultationNote, PrescriptionItem } from '../../shared/clinical';

/*
 * Rows this desk set aside after losing a race the server decided (electron/sync/set-aside.ts), as
 * the Sync screen shows them: what was lost, to which desk, and its text to view or copy. Clinical
 * text only for those who may read clinical records.
 */

export interface SetAsideView {
  id: string;
  table: string;
  rowId: string;
  /** When it was written here, and when it was set aside. */
  writtenAt: number | null;
  setAsideAt: number;
  deviceName: string | null;
  message: string;
  /** Whether this session may read its text (sync.setAsideText, an audited read). */
  readable: boolean;
}

const LABELS: Record<string, string> = { consultations: 'consultation', prescriptions: 'prescription', doctor_profiles: 'doctor profile' };

const str = (v: unknown) => (typeof v === 'string' ? v : '');

function when(ms: number | null, timeZone: string): string {
  if (ms === null) return 'an unknown time';
  return new Intl.DateTimeFormat('en-IN', { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit' }).format(ms);
}

function noteText(note: Partial<ConsultationNote>): string[] {
  const lines: string[] = [];
  const add = (label: string, value: string | undefined | null) => value && value.trim() !== '' && lines.push(`${label}: ${value}`);
  add('Chief complaints', (note.chiefComplaints ?? []).join('; '));
  add('History of present illness', note.historyOfPresentIllness);
  add('Past history', note.pastHistory);
  add('Examination', note.examination);
  const vitals = Object.entries(note.vitals ?? {}).filter(([, v]) => v !== null && v !== undefined);
  add('Vitals', vitals.map(([k, v]) => `${k} ${String(v)}`).join(', '));
  add('Diagnoses', (note.diagnoses ?? []).map((d) => `${d.title}${d.code ? ` (${d.code})` : ''}${d.note ? `: ${d.note}` : ''}`).join('; '));
  add('Investigations', note.investigations);
  add('Treatment plan', note.treatmentPlan);
  add('Advice', note.advice);
  add('Referral', note.referral);
  add('Follow-up', note.followUpDate);
  return lines;
}

function itemText(i: PrescriptionItem): string {
  const what = [i.genericName.toUpperCase(), i.brand ? `(${i.brand})` : '', i.strength ?? '', i.form].filter(Boolean).join(' ');
  return `${what}: ${i.dose} ${i.frequency}${i.durationDays ? ` for ${i.durationDays} days` : ''}${i.instructions ? `, ${i.instructions}` : ''}`;
}

function rowText(ctx: ServiceContext, table: string, rowId: string, data: Record<string, unknown>): string {
  if (table === 'consultations') {
    const amendments = ctx.sqlite.prepare('SELECT reason, changes FROM consultation_amendments WHERE consultation_id = ? ORDER BY created_at').all(rowId) as { reason: string; changes: string }[];
    return [
      ...noteText(data.note as Partial<ConsultationNote>),
      ...amendments.map((a) => `Amendment (${a.reason}): ${a.changes}`),
    ].join('\n');
  }
  if (table === 'prescriptions') {
    const items = (data.items as PrescriptionItem[] | null) ?? [];
    const more = ['advice', 'diet', 'investigations', 'follow_up_date'].map((c) => (str(data[c]) ? `${c.replace(/_/g, ' ')}: ${str(data[c])}` : '')).filter(Boolean);
    return [`Rx ${str(data.rx_number)}`, ...items.map(itemText), ...more].join('\n');
  }
  return JSON.stringify(data, null, 2);
}

/** Who the row is about: the patient, or for a doctor's profile the doctor. */
function subject(ctx: ServiceContext, data: Record<string, unknown>): string {
  if (typeof data.patient_id === 'string') {
    const p = ctx.sqlite.prepare('SELECT given_name, family_name, mrn FROM patients WHERE id = ?').get(data.patient_id) as { given_name: string; family_name: string | null; mrn: string } | undefined;
    if (p) return `${[p.given_name, p.family_name].filter(Boolean).join(' ')} (${p.mrn})`;
  }
  if (typeof data.user_id === 'string') {
    const name = ctx.sqlite.prepare('SELECT full_name FROM users WHERE id = ?').pluck().get(data.user_id) as string | undefined;
    if (name) return name;
  }
  return 'a patient';
}

export function listSetAside(ctx: ServiceContext): SetAsideView[] {
  const rows = ctx.sqlite
    .prepare('SELECT id, table_name, row_id, data, device_name, set_aside_at FROM set_aside_rows ORDER BY set_aside_at DESC LIMIT 50')
    .all() as { id: string; table_name: string; row_id: string; data: string; device_name: string | null; set_aside_at: number }[];
  const clinical = ctx.session !== null && hasPermission(ctx.session.roles, 'clinical.read');
  // Who it is about only for those who may look patients up (not, say, the accounts role).
  const names = ctx.session !== null && hasPermission(ctx.session.roles, 'patients.read');
  return rows.map((r) => {
    const data = JSON.parse(r.data) as Record<string, unknown>;
    const writtenAt = typeof data.created_at === 'number' ? data.created_at : null;
    const label = LABELS[r.table_name] ?? r.table_name.replace(/_/g, ' ');
    const from = r.device_name ? `the one from ${r.device_name}` : 'the one from another desk';
    return {
      id: r.id,
      table: r.table_name,
      rowId: r.row_id,
      writtenAt,
      setAsideAt: r.set_aside_at,
      deviceName: r.device_name,
      message: `A ${label} for ${names ? subject(ctx, data) : 'a patient'} written on this desk at ${when(writtenAt, ctx.settings.timeZone)} lost to ${from}; its text is kept: view / copy`,
      readable: clinical,
    };
  });
}

/**
 * The text of one row set aside, to read or copy. Its own method (audited like every read of a
 * clinical record), not part of sync.status, which every screen polls.
 */
export function setAsideText(ctx: ServiceContext, id: string): { id: string; text: string } {
  const r = ctx.sqlite.prepare('SELECT id, table_name, row_id, data FROM set_aside_rows WHERE id = ?').get(id) as
    | { id: string; table_name: string; row_id: string; data: string }
    | undefined;
  if (!r) throw new ApiFailure('not_found', 'Nothing set aside with this id.', { id: 'Not found' });
  const data = JSON.parse(r.data) as Record<string, unknown>;
  ctx.describe({ entityType: r.table_name, entityId: r.row_id, detail: `text of a ${LABELS[r.table_name] ?? r.table_name} set aside on this desk read` });
  return { id: r.id, text: rowText(ctx, r.table_name, r.row_id, data) };
}
