import { describe, expect, it } from 'vitest';
import { formatTemperature, parseTemperature } from '../../shared/vitals';
import {
  auditRows,
  checkIn,
  DAY,
  failure,
  MINUTE,
  openDoctorDesk,
  receptionQueue,
  TODAY,
  type DoctorDesk,
} from './doctor-fixtures';

const START = Date.UTC(2026, 10, 21, 4, 30); // 10:00 IST

/** Reception checks the patient in with Dr Rao and Dr Rao calls them in; returns the visit id. */
function seeRao(d: DoctorDesk, patientId: string): string {
  const v = checkIn(d, patientId, d.drRao);
  const called = d.c.ok('queue.callNext', {}, d.rao);
  expect(called.visitId).toBe(v.visitId);
  return v.visitId;
}

const save = (d: DoctorDesk, visitId: string, note: Record<string, unknown>, extra: Record<string, unknown> = {}, token = d.rao) =>
  d.c.call('consultations.save', { visitId, note, ...extra }, token);

const get = (d: DoctorDesk, visitId: string, token = d.rao) => d.c.ok('consultations.get', { visitId }, token);

const followUpsOn = (d: DoctorDesk, from: string, to = from) =>
  d.c.ok('patients.followUps', { from, to }, d.reception).map((f) => `${f.patientName} ${f.followUpDate}`);

const FEVER = 'Fever with chills for 3 days';
const URTI = { code: 'J06.9', title: 'Acute upper respiratory infection, unspecified' };

describe('the doctor’s queue', () => {
  it('shows the doctor only their own patients, today', () => {
    const d = openDoctorDesk();
    checkIn(d, d.anil, d.drRao);
    checkIn(d, d.bhavna, d.drIyer);
    checkIn(d, d.chetan, d.drRao, { priority: 'urgent' });
    expect(d.c.ok('queue.mine', {}, d.rao).map((v) => `${v.tokenLabel} ${v.patientName} ${v.priority}`)).toEqual([
      '2 Chetan Desai urgent',
      '1 Anil Joshi regular',
    ]);
    expect(d.c.ok('queue.mine', {}, d.iyer).map((v) => v.patientName)).toEqual(['Bhavna Shah']);
    // The reception desk has no "own queue".
    expect(failure(d.c.call('queue.mine', {}, d.reception)).code).toBe('forbidden');
    // Tomorrow starts empty.
    d.c.clock.now += DAY;
    expect(d.c.ok('queue.mine', {}, d.rao)).toEqual([]);
  });

  it('calls the next patient by priority, then by arrival, and shows reception who is in', () => {
    const d = openDoctorDesk();
    const at = (minutes: number) => {
      d.c.clock.now = START + minutes * MINUTE;
    };
    at(0);
    const anil = checkIn(d, d.anil, d.drRao);
    at(1);
    const bhavna = checkIn(d, d.bhavna, d.drRao, { priority: 'urgent' });
    at(2);
    const chetan = checkIn(d, d.chetan, d.drRao, { priority: 'emergency' });
    at(3);
    const deepa = checkIn(d, d.deepa, d.drRao, { priority: 'urgent' });
    // An emergency in another doctor's queue is not Dr Rao's to call.
    checkIn(d, d.anil, d.drIyer, { priority: 'emergency' });

    at(10);
    expect(d.c.ok('queue.callNext', {}, d.rao)).toEqual({ visitId: chetan.visitId, tokenLabel: '3', patientId: d.chetan });
    expect(receptionQueue(d, d.drRao)[0]).toMatchObject({ visitId: chetan.visitId, status: 'with-doctor', calledAt: START + 10 * MINUTE, waitingMinutes: 8 });

    // Nobody else is called while Chetan is still in the room.
    const busy = failure(d.c.call('queue.callNext', {}, d.rao));
    expect(busy.code).toBe('conflict');
    expect(busy.message).toMatch(/Token 3 is still with you/);
    expect(receptionQueue(d, d.drRao).filter((v) => v.status === 'with-doctor').map((v) => v.patientName)).toEqual(['Chetan Desai']);

    const order: string[] = [];
    for (const expected of [chetan, bhavna, deepa, anil]) {
      const current = receptionQueue(d, d.drRao).find((v) => v.status === 'with-doctor');
      expect(current?.visitId).toBe(expected.visitId);
      order.push(current!.patientName);
      d.c.ok('queue.setStatus', { visitId: current!.visitId, status: 'done' }, d.rao);
      if (expected !== anil) d.c.ok('queue.callNext', {}, d.rao);
    }
    expect(order).toEqual(['Chetan Desai', 'Bhavna Shah', 'Deepa Nair', 'Anil Joshi']);

    const empty = failure(d.c.call('queue.callNext', {}, d.rao));
    expect(empty).toMatchObject({ code: 'not_found', message: 'Nobody is waiting for you right now.' });
    // Dr Iyer's emergency is still waiting for him.
    expect(receptionQueue(d, d.drIyer).map((v) => `${v.patientName} ${v.status}`)).toEqual(['Anil Joshi waiting']);
  });
});

describe('whose queue a doctor may change', () => {
  it('lets a doctor manage only their own queue, and reception and administrators every queue', () => {
    const d = openDoctorDesk();
    const raoPatient = checkIn(d, d.anil, d.drRao);
    const iyerPatient = checkIn(d, d.bhavna, d.drIyer);
    // Dr Iyer cannot send Dr Rao's waiting patient away, nor set their follow-up.
    const left = failure(d.c.call('queue.setStatus', { visitId: raoPatient.visitId, status: 'left' }, d.iyer));
    expect(left.code).toBe('forbidden');
    expect(left.fields).toEqual({ visitId: "Another doctor's patient" });
    expect(failure(d.c.call('queue.setFollowUp', { visitId: raoPatient.visitId, followUpDate: '2026-11-28' }, d.iyer)).code).toBe('forbidden');
    expect(receptionQueue(d, d.drRao).find((e) => e.visitId === raoPatient.visitId)?.status).toBe('waiting');
    // Their own patient, yes; reception and the administrator, anyone's.
    expect(d.c.ok('queue.setStatus', { visitId: iyerPatient.visitId, status: 'left' }, d.iyer).status).toBe('left');
    expect(d.c.ok('queue.setStatus', { visitId: raoPatient.visitId, status: 'left' }, d.reception).status).toBe('left');
    expect(d.c.ok('queue.setStatus', { visitId: raoPatient.visitId, status: 'waiting' }, d.admin).status).toBe('waiting');
  });
});

describe('writing the consultation', () => {
  it('autosaves a draft, keeping what earlier saves recorded', () => {
    const d = openDoctorDesk();
    const visitId = seeRao(d, d.anil);
    expect(get(d, visitId).consultation).toBeNull();

    const first = save(d, visitId, { chiefComplaints: [FEVER] });
    expect(first).toMatchObject({ ok: true, value: { status: 'draft', bmi: null, followUpDate: null, warnings: [] } });
    const id = first.ok ? first.value.consultationId : '';

    d.c.clock.now += MINUTE;
    expect(d.c.ok('consultations.save', { visitId, note: { vitals: { bpSystolic: 124, bpDiastolic: 82, pulse: 88, temperatureC: 37.2 } } }, d.rao).consultationId).toBe(id);
    d.c.clock.now += MINUTE;
    d.c.ok('consultations.save', { visitId, note: { diagnoses: [URTI], advice: 'Warm fluids, rest' } }, d.rao);

    const got = get(d, visitId);
    expect(got.consultation).toMatchObject({ id, status: 'draft', completedAt: null, updatedAt: d.c.clock.now });
    expect(got.note).toMatchObject({
      chiefComplaints: [FEVER],
      vitals: { bpSystolic: 124, bpDiastolic: 82, pulse: 88, temperatureC: 37.2 },
      diagnoses: [URTI],
      advice: 'Warm fluids, rest',
      examination: '',
      followUpDate: null,
    });
    expect(got.patient).toMatchObject({ name: 'Anil Joshi', age: 56, gender: 'male' });
    expect(got.visit).toMatchObject({ id: visitId, date: TODAY, status: 'with-doctor', doctorId: d.drRao });
  });

  it('refuses an impossible vital alone, naming the field, and saves the rest of the note', () => {
    const d = openDoctorDesk();
    const visitId = seeRao(d, d.anil);
    d.c.ok('consultations.save', { visitId, note: { chiefComplaints: [FEVER], vitals: { pulse: 90 } } }, d.rao);

    // A mistyped pulse: the complaints, diagnoses and other vitals of the same autosave are kept.
    const r = d.c.ok('consultations.save', { visitId, note: { chiefComplaints: [FEVER, 'Cough'], diagnoses: [URTI], vitals: { pulse: 900, spo2: 98 } } }, d.rao);
    expect(r.rejected).toEqual({ 'note.vitals.pulse': 'Pulse of 900 /min is not possible (expected 20-300)' });
    expect(get(d, visitId).note).toMatchObject({ chiefComplaints: [FEVER, 'Cough'], diagnoses: [URTI], vitals: { pulse: 90, spo2: 98 } });

    // Both blood pressures typed in one save and clashing: both are named (which is wrong, only the doctor knows).
    const cases: [string, Record<string, number>, string[]][] = [
      ['systolic of 400', { bpSystolic: 400, bpDiastolic: 90 }, ['note.vitals.bpSystolic']],
      ['temperature of 101.2 sent as °C', { temperatureC: 101.2 }, ['note.vitals.temperatureC']],
      ['SpO2 over 100%', { spo2: 104 }, ['note.vitals.spo2']],
      ['weight of 0', { weightKg: 0 }, ['note.vitals.weightKg']],
      ['diastolic above systolic', { bpSystolic: 80, bpDiastolic: 120 }, ['note.vitals.bpSystolic', 'note.vitals.bpDiastolic']],
      ['diastolic equal to systolic', { bpSystolic: 100, bpDiastolic: 100 }, ['note.vitals.bpSystolic', 'note.vitals.bpDiastolic']],
    ];
    for (const [label, vitals, fields] of cases) {
      const saved = d.c.ok('consultations.save', { visitId, note: { chiefComplaints: [label], vitals } }, d.rao);
      expect(Object.keys(saved.rejected), label).toEqual(fields);
      expect(get(d, visitId).note.chiefComplaints, label).toEqual([label]);
    }
    expect(d.c.ok('consultations.save', { visitId, note: { vitals: { bpSystolic: 80, bpDiastolic: 120 } } }, d.rao).rejected).toEqual({
      'note.vitals.bpSystolic': 'BP systolic (80) must be higher than diastolic (120)',
      'note.vitals.bpDiastolic': 'BP diastolic (120) must be lower than systolic (80)',
    });
    expect(d.c.ok('consultations.save', { visitId, note: { vitals: { bpSystolic: 400 } } }, d.rao).rejected).toEqual({
      'note.vitals.bpSystolic': 'BP systolic of 400 mmHg is not possible (expected 40-300)',
    });
    // Not a number at all is still refused by the contract, naming the field.
    expect(failure(save(d, visitId, { vitals: { pulse: 'fast' } })).fields).toEqual({ 'note.vitals.pulse': 'Pulse must be a number' });
    // The impossible values were never stored: the last possible ones stand.
    expect(get(d, visitId).note.vitals).toEqual({ pulse: 90, spo2: 98, bpSystolic: null, bpDiastolic: 90, weightKg: null, temperatureC: null });
    expect(d.c.ok('consultations.save', { visitId, note: { vitals: { pulse: 88 } } }, d.rao).rejected).toEqual({});
  });

  it('blames the blood pressure the doctor just changed, not the saved one it clashes with, and never drops a reading unsaid', () => {
    const d = openDoctorDesk();
    const visitId = seeRao(d, d.anil);
    d.c.ok('consultations.save', { visitId, note: { chiefComplaints: [FEVER], vitals: { bpSystolic: 120, bpDiastolic: 80, pulse: 88 } } }, d.rao);

    // 120/80 saved; the systolic mistyped as 70 (the form sends all the vitals, the diastolic untouched).
    const r = d.c.ok('consultations.save', { visitId, note: { chiefComplaints: [FEVER, 'Headache'], vitals: { bpSystolic: 70, bpDiastolic: 80, pulse: 92 } } }, d.rao);
    expect(r.rejected).toEqual({ 'note.vitals.bpSystolic': 'BP systolic (70) must be higher than diastolic (80)' });
    expect(get(d, visitId).note).toMatchObject({ chiefComplaints: [FEVER, 'Headache'], vitals: { bpSystolic: 120, bpDiastolic: 80, pulse: 92 } });
    // Sent alone, the same.
    expect(d.c.ok('consultations.save', { visitId, note: { vitals: { bpSystolic: 70 } } }, d.rao).rejected).toEqual({
      'note.vitals.bpSystolic': 'BP systolic (70) must be higher than diastolic (80)',
    });
    // The diastolic changed alone: it is the one named.
    expect(d.c.ok('consultations.save', { visitId, note: { vitals: { bpSystolic: 120, bpDiastolic: 130 } } }, d.rao).rejected).toEqual({
      'note.vitals.bpDiastolic': 'BP diastolic (130) must be lower than systolic (120)',
    });
    expect(get(d, visitId).note.vitals).toMatchObject({ bpSystolic: 120, bpDiastolic: 80 });

    // Every typed reading not saved is named: both swapped, or one impossible and the other clashing with the saved one.
    const cases: [string, Record<string, number | null>, Record<string, string>][] = [
      ['swapped', { bpSystolic: 80, bpDiastolic: 120 }, {
        'note.vitals.bpSystolic': 'BP systolic (80) must be higher than diastolic (120)',
        'note.vitals.bpDiastolic': 'BP diastolic (120) must be lower than systolic (80)',
      }],
      ['impossible systolic, clashing diastolic', { bpSystolic: 1300, bpDiastolic: 130 }, {
        'note.vitals.bpSystolic': 'BP systolic of 1300 mmHg is not possible (expected 40-300)',
        'note.vitals.bpDiastolic': 'BP diastolic (130) must be lower than systolic (120)',
      }],
      ['a new pair that fits', { bpSystolic: 140, bpDiastolic: 90 }, {}],
      ['systolic cleared', { bpSystolic: null }, {}],
    ];
    for (const [label, vitals, rejected] of cases) {
      const before = get(d, visitId).note.vitals;
      expect(d.c.ok('consultations.save', { visitId, note: { vitals } }, d.rao).rejected, label).toEqual(rejected);
      const after = get(d, visitId).note.vitals;
      for (const [key, typed] of Object.entries(vitals)) {
        const k = key as 'bpSystolic' | 'bpDiastolic';
        expect(after[k] ?? null, `${label}: ${key}`).toBe(`note.vitals.${key}` in rejected ? (before[k] ?? null) : typed);
      }
    }
    expect(get(d, visitId).note.vitals).toMatchObject({ bpSystolic: null, bpDiastolic: 90, pulse: 92 });

    // Amending the locked note: refused whole, naming the systolic the amendment changed.
    d.c.ok('consultations.save', { visitId, note: { vitals: { bpSystolic: 120, bpDiastolic: 80 } } }, d.rao);
    d.c.ok('consultations.complete', { visitId }, d.rao);
    expect(failure(d.c.call('consultations.amend', { visitId, note: { vitals: { ...get(d, visitId).note.vitals, bpSystolic: 70 } }, reason: 'Recheck' }, d.rao)).fields).toEqual({
      'note.vitals.bpSystolic': 'BP systolic (70) must be higher than diastolic (80)',
    });
    expect(get(d, visitId).amendments).toEqual([]);
  });

  it("takes 101.2 °F, stores it in °C and shows it in the clinic's unit", () => {
    const d = openDoctorDesk();
    const visitId = seeRao(d, d.anil);
    const typed = parseTemperature('101.2 °F');
    const temperatureC = typed.ok ? typed.celsius : null;
    const r = d.c.ok('consultations.save', { visitId, note: { vitals: { temperatureC } } }, d.rao);
    expect(r.rejected).toEqual({});
    expect(r.warnings).toEqual([{ field: 'temperatureC', message: 'Temperature 101.2 °F is high' }]);
    const got = get(d, visitId);
    expect(got.note.vitals.temperatureC).toBeCloseTo(38.4444, 4);
    expect(got.temperatureUnit).toBe('F');
    expect(formatTemperature(got.note.vitals.temperatureC!, got.temperatureUnit)).toBe('101.2 °F');
    // An impossible reading is named in °F too.
    expect(d.c.ok('consultations.save', { visitId, note: { vitals: { temperatureC: (120 - 32) / 1.8 } } }, d.rao).rejected).toEqual({
      'note.vitals.temperatureC': 'Temperature of 120.0 °F is not possible (expected 77-113)',
    });
    // A clinic that reads °C sees the same reading as 38.4 °C.
    d.c.ok('facility.save', { letterhead: { temperatureUnit: 'C' } }, d.admin);
    const inC = get(d, visitId);
    expect(inC.temperatureUnit).toBe('C');
    expect(inC.warnings[0]?.message).toBe('Temperature 38.4 °C is high');
    expect(failure(d.c.call('facility.save', { letterhead: { temperatureUnit: 'K' } }, d.admin)).fields).toEqual({ 'letterhead.temperatureUnit': 'Temperature unit must be C or F' });
  });

  it('warns about abnormal vitals but saves them, with the BMI', () => {
    const d = openDoctorDesk();
    const visitId = seeRao(d, d.deepa);
    const r = d.c.ok(
      'consultations.save',
      { visitId, note: { vitals: { bpSystolic: 172, bpDiastolic: 104, spo2: 91, temperatureC: 38.6, pulse: 76, weightKg: 95, heightCm: 165 } } },
      d.rao,
    );
    expect(r.bmi).toBe(34.9);
    expect(r.warnings.map((w) => w.field)).toEqual(['bpSystolic', 'bpDiastolic', 'temperatureC', 'spo2', 'bmi']);
    expect(r.warnings.find((w) => w.field === 'spo2')?.message).toBe('SpO2 91 % is low');
    expect(r.warnings.find((w) => w.field === 'bmi')?.message).toBe('BMI 34.9 is in the obese range');

    const got = get(d, visitId);
    expect(got.note.vitals).toMatchObject({ bpSystolic: 172, spo2: 91, weightKg: 95 });
    expect(got.consultation?.bmi).toBe(34.9);
    expect(got.warnings.map((w) => w.field)).toEqual(['bpSystolic', 'bpDiastolic', 'temperatureC', 'spo2', 'bmi']);

    // Vitals merge field by field: the fever stays until it is corrected too.
    const normal = d.c.ok('consultations.save', { visitId, note: { vitals: { bpSystolic: 118, bpDiastolic: 76, spo2: 98, temperatureC: 37, weightKg: 60, heightCm: 160 } } }, d.rao);
    expect(normal).toMatchObject({ bmi: 23.4, warnings: [] });
  });

  it('"review in N days" sets the follow-up date that reception sees', () => {
    const d = openDoctorDesk();
    const visitId = seeRao(d, d.anil);
    const r = d.c.ok('consultations.save', { visitId, note: { chiefComplaints: [FEVER] }, reviewInDays: 7 }, d.rao);
    expect(r.followUpDate).toBe('2026-11-28');
    expect(get(d, visitId).note.followUpDate).toBe('2026-11-28');
    expect(followUpsOn(d, '2026-11-28')).toEqual(['Anil Joshi 2026-11-28']);
    expect(followUpsOn(d, '2026-11-22', '2026-11-27')).toEqual([]);
    expect(receptionQueue(d)[0]?.followUpDate).toBe('2026-11-28');

    // Changed to 3 days, then to an exact date, then cleared.
    d.c.ok('consultations.save', { visitId, note: {}, reviewInDays: 3 }, d.rao);
    expect(followUpsOn(d, '2026-11-22', '2026-12-31')).toEqual(['Anil Joshi 2026-11-24']);
    d.c.ok('consultations.save', { visitId, note: { followUpDate: '2026-12-12' } }, d.rao);
    expect(followUpsOn(d, '2026-11-22', '2026-12-31')).toEqual(['Anil Joshi 2026-12-12']);
    // A follow-up not after the visit is that field's error alone: the date saved before stands.
    expect(d.c.ok('consultations.save', { visitId, note: { followUpDate: TODAY, advice: 'Rest' } }, d.rao).rejected).toEqual({ 'note.followUpDate': 'The follow-up must be after the visit day' });
    expect(get(d, visitId).note).toMatchObject({ followUpDate: '2026-12-12', advice: 'Rest' });
    expect(failure(save(d, visitId, {}, { reviewInDays: 0 })).fields).toHaveProperty('reviewInDays');
    expect(followUpsOn(d, '2026-11-22', '2026-12-31')).toEqual(['Anil Joshi 2026-12-12']);
    d.c.ok('consultations.save', { visitId, note: { followUpDate: null } }, d.rao);
    expect(followUpsOn(d, '2026-11-22', '2026-12-31')).toEqual([]);
  });

  it('keeps a follow-up set from the queue when the doctor autosaves other parts of the note', () => {
    const d = openDoctorDesk();
    const visitId = seeRao(d, d.anil);
    d.c.ok('queue.setFollowUp', { visitId, followUpDate: '2026-11-28' }, d.reception);
    d.c.ok('consultations.save', { visitId, note: { chiefComplaints: [FEVER] } }, d.rao);
    expect(followUpsOn(d, '2026-11-28')).toEqual(['Anil Joshi 2026-11-28']);
    expect(get(d, visitId).note.followUpDate).toBe('2026-11-28');
    d.c.ok('consultations.save', { visitId, note: { advice: 'Paracetamol 650 mg SOS' } }, d.rao);
    expect(followUpsOn(d, '2026-11-28')).toEqual(['Anil Joshi 2026-11-28']);
  });
});

describe('completing and amending', () => {
  it('locks the note, finishes the visit and its appointment', () => {
    const d = openDoctorDesk();
    const appt = d.c.ok('appointments.book', { patientId: d.anil, doctorId: d.drRao, date: TODAY, start: '10:30' }, d.reception);
    const apptStatus = () => d.c.ok('appointments.list', { date: TODAY }, d.reception).find((a) => a.id === appt.id)?.status;
    const visit = d.c.ok('queue.checkIn', { patientId: d.anil, appointmentId: appt.id }, d.reception);
    d.c.ok('queue.callNext', {}, d.rao);
    expect(apptStatus()).toBe('in-consultation');

    d.c.ok('consultations.save', { visitId: visit.visitId, note: { chiefComplaints: [FEVER], diagnoses: [URTI] } }, d.rao);
    d.c.clock.now += 9 * MINUTE;
    const done = d.c.ok('consultations.complete', { visitId: visit.visitId }, d.rao);
    expect(done).toMatchObject({ status: 'completed', completedAt: d.c.clock.now });
    expect(receptionQueue(d)[0]).toMatchObject({ visitId: visit.visitId, status: 'done', finishedAt: d.c.clock.now });
    expect(apptStatus()).toBe('completed');
    expect(get(d, visit.visitId).consultation).toMatchObject({ status: 'completed', completedAt: d.c.clock.now });

    const locked = failure(save(d, visit.visitId, { advice: 'Changed my mind' }));
    expect(locked).toMatchObject({ code: 'conflict', fields: { visitId: 'Completed: amend instead' } });
    expect(failure(d.c.call('consultations.complete', { visitId: visit.visitId }, d.rao)).code).toBe('conflict');
    expect(get(d, visit.visitId).note.advice).toBe('');
    // The doctor can call the next patient now.
    checkIn(d, d.bhavna, d.drRao);
    expect(d.c.ok('queue.callNext', {}, d.rao).patientId).toBe(d.bhavna);
  });

  it('locks the note with the follow-up set from the queue after the last autosave', () => {
    const d = openDoctorDesk();
    const visitId = seeRao(d, d.anil);
    d.c.ok('consultations.save', { visitId, note: { chiefComplaints: [FEVER], diagnoses: [URTI] } }, d.rao);
    d.c.ok('queue.setFollowUp', { visitId, followUpDate: '2026-11-28' }, d.reception);
    expect(d.c.ok('consultations.complete', { visitId }, d.rao).followUpDate).toBe('2026-11-28');
    const locked = get(d, visitId);
    expect(locked.original.followUpDate).toBe('2026-11-28');
    expect(locked.note.followUpDate).toBe('2026-11-28');
    expect(followUpsOn(d, '2026-11-28')).toEqual(['Anil Joshi 2026-11-28']);

    // Cleared from the queue after the doctor's date was saved: the locked note has none either.
    const other = seeRao(d, d.bhavna);
    d.c.ok('consultations.save', { visitId: other, note: { chiefComplaints: [FEVER] }, reviewInDays: 7 }, d.rao);
    d.c.ok('queue.setFollowUp', { visitId: other, followUpDate: null }, d.reception);
    d.c.ok('consultations.complete', { visitId: other }, d.rao);
    expect(get(d, other).original.followUpDate).toBeNull();
  });

  it('refuses to complete a visit with nothing recorded', () => {
    const d = openDoctorDesk();
    const visitId = seeRao(d, d.anil);
    expect(failure(d.c.call('consultations.complete', { visitId }, d.rao))).toMatchObject({ code: 'conflict', message: 'Nothing has been recorded for this visit yet.' });
    d.c.ok('consultations.save', { visitId, note: { vitals: { pulse: 80 } } }, d.rao);
    expect(failure(d.c.call('consultations.complete', { visitId }, d.rao))).toMatchObject({
      code: 'invalid_input',
      fields: { 'note.diagnoses': 'Record at least a complaint or a diagnosis' },
    });
    expect(receptionQueue(d)[0]?.status).toBe('with-doctor');
    expect(get(d, visitId).consultation?.status).toBe('draft');
  });

  it('records an amendment beside the original: who, when, why, before and after', () => {
    const d = openDoctorDesk();
    const visitId = seeRao(d, d.anil);
    d.c.ok('consultations.save', { visitId, note: { chiefComplaints: [FEVER], diagnoses: [URTI], advice: 'Rest' }, reviewInDays: 7 }, d.rao);
    expect(failure(d.c.call('consultations.amend', { visitId, note: { advice: 'x' }, reason: 'Typo' }, d.rao)).code).toBe('conflict');
    d.c.ok('consultations.complete', { visitId }, d.rao);

    d.c.clock.now += 2 * 60 * MINUTE;
    const amendedAt = d.c.clock.now;
    const typhoid = { code: 'A01.0', title: 'Typhoid fever' };
    const r = d.c.ok('consultations.amend', { visitId, note: { diagnoses: [typhoid], followUpDate: '2026-11-24', advice: 'Rest' }, reason: 'Widal test came back positive' }, d.rao);
    expect(r.changes).toEqual({
      diagnoses: { before: [URTI], after: [typhoid] },
      followUpDate: { before: '2026-11-28', after: '2026-11-24' },
    });
    expect(r.at).toBe(amendedAt);

    const got = get(d, visitId);
    expect(got.original).toMatchObject({ diagnoses: [URTI], followUpDate: '2026-11-28', advice: 'Rest', chiefComplaints: [FEVER] });
    expect(got.note).toMatchObject({ diagnoses: [typhoid], followUpDate: '2026-11-24', advice: 'Rest', chiefComplaints: [FEVER] });
    expect(got.amendments).toEqual([
      { id: r.amendmentId, at: amendedAt, reason: 'Widal test came back positive', authorName: 'Dr Meera Rao', changes: r.changes },
    ]);
    expect(got.consultation?.status).toBe('completed');

    // The follow-up moved for reception too.
    expect(followUpsOn(d, '2026-11-28')).toEqual([]);
    expect(followUpsOn(d, '2026-11-24')).toEqual(['Anil Joshi 2026-11-24']);

    // A second amendment stacks on the first.
    d.c.clock.now += MINUTE;
    d.c.ok('consultations.amend', { visitId, note: { advice: 'Rest, plenty of fluids' }, reason: 'Added advice' }, d.rao);
    const again = get(d, visitId);
    expect(again.amendments.map((a) => a.reason)).toEqual(['Widal test came back positive', 'Added advice']);
    expect(again.note).toMatchObject({ diagnoses: [typhoid], advice: 'Rest, plenty of fluids' });
    expect(again.original.advice).toBe('Rest');

    // Nothing changed, no reason, or an impossible value: refused and nothing recorded.
    expect(failure(d.c.call('consultations.amend', { visitId, note: { advice: 'Rest, plenty of fluids' }, reason: 'Same' }, d.rao))).toMatchObject({
      code: 'invalid_input',
      fields: { note: 'Nothing was changed' },
    });
    expect(failure(d.c.call('consultations.amend', { visitId, note: {}, reason: 'Nothing' }, d.rao)).code).toBe('invalid_input');
    expect(failure(d.c.call('consultations.amend', { visitId, note: { advice: 'Other' }, reason: '  ' }, d.rao)).fields).toHaveProperty('reason');
    expect(failure(d.c.call('consultations.amend', { visitId, note: { followUpDate: TODAY }, reason: 'Oops' }, d.rao)).fields).toHaveProperty(['note.followUpDate']);
    expect(get(d, visitId).amendments).toHaveLength(2);
    expect(followUpsOn(d, '2026-11-22', '2026-12-31')).toEqual(['Anil Joshi 2026-11-24']);
  });
});

describe('who may see and write clinical records', () => {
  const CHEST_PAIN = 'Crushing chest pain radiating to the left arm';

  function completedVisit(d: DoctorDesk) {
    const visitId = seeRao(d, d.anil);
    d.c.ok('consultations.save', { visitId, note: { chiefComplaints: [CHEST_PAIN], vitals: { bpSystolic: 150, bpDiastolic: 95 } } }, d.rao);
    d.c.ok('consultations.complete', { visitId }, d.rao);
    const [order] = d.c.ok('labs.order', { visitId, testIds: [hb(d)] }, d.rao);
    return { visitId, orderId: order!.orderId };
  }

  const hb = (d: DoctorDesk) => d.c.ok('labs.tests', {}, d.rao).find((t) => t.code === 'HB')!.id;

  it('refuses reception every clinical method, without a word of the record', () => {
    const d = openDoctorDesk();
    const { visitId, orderId } = completedVisit(d);
    const template = d.c.ok('templates.save', { name: 'Chest pain', note: { chiefComplaints: [CHEST_PAIN] } }, d.rao);
    const calls: [string, unknown][] = [
      ['consultations.get', { visitId }],
      ['consultations.save', { visitId, note: { advice: 'x' } }],
      ['consultations.complete', { visitId }],
      ['consultations.amend', { visitId, note: { advice: 'x' }, reason: 'x' }],
      ['patients.timeline', { patientId: d.anil }],
      ['labs.tests', {}],
      ['labs.order', { visitId, testIds: [hb(d)] }],
      ['labs.collect', { orderId }],
      ['labs.recordResult', { orderId, value: '14' }],
      ['labs.verify', { orderId }],
      ['labs.pending', {}],
      ['labs.report', { visitId }],
      ['templates.save', { name: 'Mine', note: { advice: 'x' } }],
      ['templates.list', {}],
      ['templates.delete', { id: template.id }],
    ];
    for (const [method, input] of calls) {
      const r = d.c.app.router.call(method, input, d.reception);
      expect(r, method).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      const json = JSON.stringify(r);
      expect(json, method).not.toContain('chest pain');
      expect(json, method).not.toContain('Crushing');
      expect(json, method).not.toContain('150');
    }
    // Nothing reception tried changed the record.
    const got = get(d, visitId);
    expect(got.note.advice).toBe('');
    expect(got.amendments).toEqual([]);
    expect(got.labs.map((l) => l.status)).toEqual(['ordered']);
    expect(d.c.ok('templates.list', {}, d.rao).map((t) => t.name)).toEqual(['Chest pain']);
    expect(auditRows(d, 'consultations.get').filter((a) => a.userId !== d.drRao).map((a) => a.outcome)).toEqual(['forbidden']);
  });

  it('keeps a patient’s record closed to a doctor who has not seen them', () => {
    const d = openDoctorDesk();
    const { visitId } = completedVisit(d);
    const refused: [string, unknown][] = [
      ['consultations.get', { visitId }],
      ['patients.timeline', { patientId: d.anil }],
    ];
    for (const [method, input] of refused) {
      const r = d.c.app.router.call(method, input, d.iyer);
      expect(r, method).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(JSON.stringify(r), method).not.toContain('chest pain');
    }
    // Once the patient is checked in with Dr Iyer, he can read their history.
    d.c.clock.now += MINUTE;
    checkIn(d, d.anil, d.drIyer);
    expect(d.c.ok('patients.timeline', { patientId: d.anil }, d.iyer).visits.map((v) => v.chiefComplaints)).toEqual([[], [CHEST_PAIN]]);
    expect(d.c.ok('consultations.get', { visitId }, d.iyer).note.chiefComplaints).toEqual([CHEST_PAIN]);
  });

  it('lets only the visit’s own doctor write it', () => {
    const d = openDoctorDesk();
    const visitId = seeRao(d, d.anil);
    d.c.ok('consultations.save', { visitId, note: { chiefComplaints: [CHEST_PAIN] } }, d.rao);
    checkIn(d, d.anil, d.drIyer); // Dr Iyer may read Anil's record now, but not write Dr Rao's visit.
    expect(failure(save(d, visitId, { advice: 'Iyer was here' }, {}, d.iyer)).code).toBe('forbidden');
    expect(failure(d.c.call('consultations.complete', { visitId }, d.iyer)).code).toBe('forbidden');
    expect(failure(d.c.call('labs.order', { visitId, testIds: [hb(d)] }, d.iyer)).code).toBe('forbidden');
    d.c.ok('consultations.complete', { visitId }, d.rao);
    expect(failure(d.c.call('consultations.amend', { visitId, note: { advice: 'Iyer was here' }, reason: 'x' }, d.iyer)).code).toBe('forbidden');
    // The administrator may read but not write.
    expect(d.c.ok('consultations.get', { visitId }, d.admin).note.chiefComplaints).toEqual([CHEST_PAIN]);
    expect(failure(d.c.call('consultations.amend', { visitId, note: { advice: 'Admin was here' }, reason: 'x' }, d.admin)).code).toBe('forbidden');
    const got = get(d, visitId);
    expect(got.note.advice).toBe('');
    expect(got.amendments).toEqual([]);
    expect(got.labs).toEqual([]);
  });

  it('leaves an audit row for every read of a consultation or a timeline', () => {
    const d = openDoctorDesk();
    const { visitId } = completedVisit(d);
    const consultationId = get(d, visitId).consultation!.id;
    get(d, visitId);
    d.c.ok('consultations.get', { visitId }, d.admin);
    d.c.ok('patients.timeline', { patientId: d.anil }, d.rao);

    const reads = auditRows(d, 'consultations.get', consultationId);
    expect(reads.map((a) => `${a.username} ${a.outcome} ${a.entityType}`)).toEqual([
      'meera ok consultations',
      'meera ok consultations',
      'admin ok consultations',
    ]);
    expect(reads[0]?.detail).toBe('patient A-000001');
    expect(auditRows(d, 'patients.timeline', d.anil).map((a) => `${a.userId} ${a.outcome} ${a.entityType}`)).toEqual([`${d.drRao} ok patients`]);
    // A refused read is on the record too.
    d.c.call('patients.timeline', { patientId: d.bhavna }, d.rao);
    expect(auditRows(d, 'patients.timeline').map((a) => a.outcome)).toEqual(['ok', 'forbidden']);
  });
});

describe('lab orders and results', () => {
  it('orders tests once, flags abnormal results from the reference range, and shows them', () => {
    const d = openDoctorDesk();
    const tests = d.c.ok('labs.tests', {}, d.rao);
    expect(tests.length).toBeGreaterThan(30);
    const byCode = (code: string) => tests.find((t) => t.code === code)!;
    expect(byCode('HB')).toMatchObject({ name: 'Haemoglobin', unit: 'g/dL', referenceRange: '12.0-17.0' });
    expect(byCode('TC')).toMatchObject({ name: 'Total cholesterol', referenceRange: '< 200' });
    expect(tests.map((t) => t.name)).toEqual([...tests.map((t) => t.name)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

    const visitId = seeRao(d, d.anil);
    const first = d.c.ok('labs.order', { visitId, testIds: [byCode('HB').id, byCode('TC').id] }, d.rao);
    expect(first.map((o) => o.testName).sort()).toEqual(['Haemoglobin', 'Total cholesterol']);
    const again = d.c.ok('labs.order', { visitId, testIds: [byCode('HB').id, byCode('RBS').id] }, d.rao);
    expect(again.map((o) => o.testName)).toEqual(['Blood sugar, random']);
    expect(failure(d.c.call('labs.order', { visitId, testIds: ['00000000-0000-7000-8000-0000000009ff'] }, d.rao)).fields).toEqual({ testIds: 'Unknown lab test' });
    expect(failure(d.c.call('labs.order', { visitId, testIds: [] }, d.rao)).fields).toHaveProperty('testIds');

    const labs = () => get(d, visitId).labs;
    expect(labs().map((l) => `${l.testCode} ${l.status}`).sort()).toEqual(['HB ordered', 'RBS ordered', 'TC ordered']);
    expect(d.c.ok('labs.pending', {}, d.rao)).toHaveLength(3);

    const order = (code: string) => labs().find((l) => l.testCode === code)!.orderId;
    for (const code of ['HB', 'TC', 'RBS']) d.c.ok('labs.collect', { orderId: order(code) }, d.rao);
    expect(d.c.ok('labs.recordResult', { orderId: order('HB'), value: '12.1', referenceRange: '13.0-17.0' }, d.rao).abnormal).toBe(true);
    expect(d.c.ok('labs.recordResult', { orderId: order('TC'), value: '240' }, d.rao).abnormal).toBe(true);
    expect(d.c.ok('labs.recordResult', { orderId: order('RBS'), value: '150' }, d.rao).abnormal).toBe(false);

    const resulted = Object.fromEntries(labs().map((l) => [l.testCode, { status: l.status, ...l.result }]));
    expect(resulted.HB).toMatchObject({ status: 'resulted', value: '12.1', unit: 'g/dL', referenceRange: '13.0-17.0', abnormal: true, resultedAt: d.c.clock.now });
    expect(resulted.TC).toMatchObject({ value: '240', unit: 'mg/dL', referenceRange: '< 200', abnormal: true });
    expect(resulted.RBS).toMatchObject({ value: '150', referenceRange: '< 200', abnormal: false });
    expect(d.c.ok('labs.pending', {}, d.rao).map((o) => o.status)).toEqual(['resulted', 'resulted', 'resulted']);

    const timelineLabs = d.c.ok('patients.timeline', { patientId: d.anil }, d.rao).visits[0]!.labs;
    expect(timelineLabs.map((l) => `${l.testName}: ${l.value} ${l.unit} ${l.abnormal ? 'abnormal' : 'normal'}`).sort()).toEqual([
      'Blood sugar, random: 150 mg/dL normal',
      'Haemoglobin: 12.1 g/dL abnormal',
      'Total cholesterol: 240 mg/dL abnormal',
    ]);
  });

  it('keeps a doctor’s explicit normal/abnormal call and a non-numeric result', () => {
    const d = openDoctorDesk();
    const tests = d.c.ok('labs.tests', {}, d.rao);
    const visitId = seeRao(d, d.anil);
    const ids = ['HB', 'WIDAL'].map((code) => tests.find((t) => t.code === code)!.id);
    d.c.ok('labs.order', { visitId, testIds: ids }, d.rao);
    const order = (code: string) => get(d, visitId).labs.find((l) => l.testCode === code)!.orderId;
    for (const code of ['HB', 'WIDAL']) d.c.ok('labs.collect', { orderId: order(code) }, d.rao);
    expect(d.c.ok('labs.recordResult', { orderId: order('WIDAL'), value: 'Positive (1:160)', abnormal: true }, d.rao).abnormal).toBe(true);
    expect(d.c.ok('labs.recordResult', { orderId: order('HB'), value: '14.2' }, d.rao).abnormal).toBe(false);
    expect(get(d, visitId).labs.find((l) => l.testCode === 'WIDAL')?.result).toMatchObject({ value: 'Positive (1:160)', abnormal: true });
  });
});

describe('templates', () => {
  it('saves a doctor’s own templates by name, without vitals or follow-up, and deletes them', () => {
    const d = openDoctorDesk();
    const first = d.c.ok(
      'templates.save',
      {
        name: 'Viral fever',
        note: { chiefComplaints: ['Fever', 'Body ache'], diagnoses: [{ code: 'B34.9', title: 'Viral infection, unspecified' }], advice: 'Paracetamol 650 mg TDS', vitals: { temperatureC: 38.5 }, followUpDate: '2026-11-24' },
      },
      d.rao,
    );
    const list = () => d.c.ok('templates.list', {}, d.rao);
    expect(list()).toEqual([
      { id: first.id, name: 'Viral fever', note: { chiefComplaints: ['Fever', 'Body ache'], diagnoses: [{ code: 'B34.9', title: 'Viral infection, unspecified' }], advice: 'Paracetamol 650 mg TDS' } },
    ]);

    // Saving under the same name replaces it.
    const replaced = d.c.ok('templates.save', { name: 'Viral fever', note: { advice: 'Paracetamol 500 mg TDS, fluids' } }, d.rao);
    expect(replaced.id).toBe(first.id);
    d.c.ok('templates.save', { name: 'Acidity', note: { advice: 'Pantoprazole 40 mg before breakfast' } }, d.rao);
    expect(list().map((t) => `${t.name}: ${t.note.advice}`)).toEqual(['Acidity: Pantoprazole 40 mg before breakfast', 'Viral fever: Paracetamol 500 mg TDS, fluids']);
    expect(list().find((t) => t.name === 'Viral fever')?.note).toEqual({ advice: 'Paracetamol 500 mg TDS, fluids' });

    // Another doctor has their own list and cannot touch these.
    expect(d.c.ok('templates.list', {}, d.iyer)).toEqual([]);
    d.c.ok('templates.save', { name: 'Viral fever', note: { advice: 'Iyer’s way' } }, d.iyer);
    expect(failure(d.c.call('templates.delete', { id: first.id }, d.iyer)).code).toBe('not_found');
    expect(list().map((t) => t.name)).toEqual(['Acidity', 'Viral fever']);
    expect(d.c.ok('templates.list', {}, d.iyer).map((t) => t.note.advice)).toEqual(['Iyer’s way']);

    expect(d.c.ok('templates.delete', { id: first.id }, d.rao)).toEqual({ removed: true });
    expect(list().map((t) => t.name)).toEqual(['Acidity']);
    expect(failure(d.c.call('templates.delete', { id: first.id }, d.rao)).code).toBe('not_found');
    expect(failure(d.c.call('templates.save', { name: ' ', note: {} }, d.rao)).fields).toHaveProperty('name');
  });
});

describe('the patient’s timeline', () => {
  it('lists visits newest first with vitals and diagnoses, and trends oldest first', () => {
    const d = openDoctorDesk();
    const HTN = { code: 'I10', title: 'Essential (primary) hypertension' };
    const DM = { code: 'E11.9', title: 'Type 2 diabetes mellitus without complications' };
    const visit = (vitals: Record<string, number | string>, note: Record<string, unknown>, complete = true) => {
      const visitId = seeRao(d, d.anil);
      d.c.ok('consultations.save', { visitId, note: { vitals, ...note } }, d.rao);
      if (complete) d.c.ok('consultations.complete', { visitId }, d.rao);
      return visitId;
    };

    const v1 = visit({ weightKg: 82, heightCm: 170, bpSystolic: 152, bpDiastolic: 96, bloodSugar: 212, bloodSugarType: 'random' }, { chiefComplaints: ['Headache'], diagnoses: [HTN] });
    d.c.clock.now += 14 * DAY;
    visit({ weightKg: 80, bpSystolic: 138, bpDiastolic: 88, bloodSugar: 160, bloodSugarType: 'fasting' }, { diagnoses: [HTN, DM] });
    d.c.clock.now += 3 * DAY;
    checkIn(d, d.anil, d.drIyer); // seen by Dr Iyer, nothing written
    d.c.clock.now += 13 * DAY;
    visit({ weightKg: 78, bpSystolic: 128, bpDiastolic: 82, bloodSugar: 131 }, { diagnoses: [HTN, DM], advice: 'Walk 30 minutes daily' }, false);
    d.c.ok('consultations.amend', { visitId: v1, note: { diagnoses: [HTN, { code: 'R51', title: 'Headache' }] }, reason: 'Added headache' }, d.rao);

    const t = d.c.ok('patients.timeline', { patientId: d.anil }, d.rao);
    expect(t.visits.map((v) => `${v.date} ${v.doctorName} ${v.status ?? 'no note'}${v.amended ? ' amended' : ''}`)).toEqual([
      '2026-12-21 Dr Meera Rao draft',
      '2026-12-08 Dr Arjun Iyer no note',
      '2026-12-05 Dr Meera Rao completed',
      '2026-11-21 Dr Meera Rao completed amended',
    ]);
    expect(t.visits.map((v) => v.diagnoses.map((x) => x.code).join('+'))).toEqual(['I10+E11.9', '', 'I10+E11.9', 'I10+R51']);
    expect(t.visits[0]).toMatchObject({ vitals: { weightKg: 78, bpSystolic: 128 }, advice: 'Walk 30 minutes daily' });
    expect(t.visits[3]).toMatchObject({ vitals: { weightKg: 82, bloodSugarType: 'random' }, bmi: 28.4, chiefComplaints: ['Headache'] });
    expect(t.visits[1]).toMatchObject({ vitals: {}, bmi: null, labs: [] });
    expect(t.trend).toEqual([
      { date: '2026-11-21', weightKg: 82, bpSystolic: 152, bpDiastolic: 96, bloodSugar: 212 },
      { date: '2026-12-05', weightKg: 80, bpSystolic: 138, bpDiastolic: 88, bloodSugar: 160 },
      { date: '2026-12-21', weightKg: 78, bpSystolic: 128, bpDiastolic: 82, bloodSugar: 131 },
    ]);
    expect(failure(d.c.call('patients.timeline', { patientId: d.drRao }, d.rao)).code).toBe('not_found');
  });
});
