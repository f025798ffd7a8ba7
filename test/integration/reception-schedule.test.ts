import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { appointments } from '../../db/schema';
import {
  DAY,
  doctorProfile,
  failure,
  MINUTE,
  MONDAY,
  NEXT_SATURDAY,
  openDesk,
  RAO_SCHEDULE,
  register,
  SUNDAY,
  TODAY,
  type Desk,
} from './reception-fixtures';

const WEDNESDAY = '2026-11-25';

function patients(d: Desk, n: number): string[] {
  const names = ['Anil Joshi', 'Bhavna Shah', 'Chetan Desai', 'Deepa Nair', 'Farhan Ali'];
  return names.slice(0, n).map((full, i) => {
    const [givenName, familyName] = full.split(' ');
    return register(d, { givenName, familyName, gender: i % 2 ? 'female' : 'male', ageYears: 30 + i, mobile: `98220000${10 + i}` }).patient.id;
  });
}

const book = (d: Desk, patientId: string, start: string, extra: Record<string, unknown> = {}) =>
  d.c.call('appointments.book', { patientId, doctorId: d.drRao, date: TODAY, start, ...extra }, d.reception);

const slotsOf = (d: Desk, date: string, doctorId = d.drRao) => d.c.ok('appointments.slots', { doctorId, date }, d.reception);

const slotAt = (d: Desk, date: string, start: string, doctorId = d.drRao) => {
  const slot = slotsOf(d, date, doctorId).slots.find((s) => s.start === start);
  if (!slot) throw new Error(`no ${start} slot on ${date}`);
  return slot;
};

const row = (d: Desk, id: string) => d.c.app.database.db.select().from(appointments).where(eq(appointments.id, id)).get()!;

describe('doctors and their weekly timetable', () => {
  it('lists the doctors with their profile and timetable', () => {
    const d = openDesk();
    const list = d.c.ok('doctors.list', {}, d.reception);
    expect(list.map((doc) => doc.fullName)).toEqual(['Dr Arjun Iyer', 'Dr Meera Rao']);
    const rao = d.c.ok('doctors.get', { doctorId: d.drRao }, d.reception);
    expect(rao.profile).toMatchObject({ specialization: 'General Medicine', consultationFeePaise: 50_000, languages: ['Marathi', 'Hindi', 'English'] });
    expect(rao.schedule.map(({ id: _id, ...s }) => s)).toEqual([RAO_SCHEDULE[1], RAO_SCHEDULE[0]]);
  });

  it('refuses a staff member who is not a doctor', () => {
    const d = openDesk();
    const error = failure(d.c.call('doctors.upsert', doctorProfile(d.receptionistId, RAO_SCHEDULE), d.admin));
    expect(error).toMatchObject({ code: 'invalid_input', fields: { userId: 'This staff member is not a doctor' } });
    expect(error.message).toContain('Rita Dsouza does not have the doctor role');
    expect(failure(d.c.call('doctors.get', { doctorId: d.receptionistId }, d.reception)).code).toBe('not_found');
    expect(d.c.ok('doctors.list', {}, d.reception)).toHaveLength(2);
    const ghost = failure(d.c.call('doctors.upsert', doctorProfile('0190a5e2-0000-7000-8000-000000000000', RAO_SCHEDULE), d.admin));
    expect(ghost.code).toBe('not_found');
  });

  it('names the bad sitting when sittings overlap, end before they start or are shorter than a slot', () => {
    const d = openDesk();
    const sat = (start: string, end: string, slotMinutes = 15) => ({ weekday: 6, start, end, slotMinutes, maxPerSlot: 1 });
    const cases: [string, object[], string][] = [
      ['overlapping sittings', [sat('09:00', '12:00'), sat('11:30', '13:00')], 'schedule.1.start'],
      ['one sitting inside another', [sat('17:00', '21:00'), { weekday: 1, start: '17:00', end: '19:00', slotMinutes: 15, maxPerSlot: 1 }, sat('18:00', '19:00')], 'schedule.2.start'],
      ['end before start', [sat('12:00', '09:00')], 'schedule.0.end'],
      ['end equal to start', [sat('09:00', '13:00'), sat('15:00', '15:00')], 'schedule.1.end'],
      ['shorter than one slot', [sat('09:00', '09:10', 15)], 'schedule.0.slotMinutes'],
      ['not a time', [sat('9 am', '12:00')], 'schedule.0.start'],
      ['no such weekday', [{ ...sat('09:00', '12:00'), weekday: 7 }], 'schedule.0.weekday'],
      ['slots under 5 minutes', [sat('09:00', '12:00', 3)], 'schedule.0.slotMinutes'],
    ];
    for (const [label, schedule, field] of cases) {
      const error = failure(d.c.call('doctors.upsert', doctorProfile(d.drRao, schedule), d.admin));
      expect(error.code, label).toBe('invalid_input');
      expect(Object.keys(error.fields ?? {}), label).toEqual([field]);
    }
    // Back-to-back sittings and the same hours on different days are fine.
    const ok = d.c.ok('doctors.upsert', doctorProfile(d.drRao, [sat('09:00', '12:00'), sat('12:00', '13:00'), { ...sat('09:00', '12:00'), weekday: 1 }]), d.admin);
    expect(ok.schedule).toHaveLength(3);
  });

  it('keeps the old timetable when a new one is refused', () => {
    const d = openDesk();
    failure(d.c.call('doctors.upsert', { ...doctorProfile(d.drRao, [{ weekday: 6, start: '13:00', end: '09:00', slotMinutes: 15, maxPerSlot: 1 }]), consultationFeePaise: 1 }, d.admin));
    const rao = d.c.ok('doctors.get', { doctorId: d.drRao }, d.reception);
    expect(rao.schedule).toHaveLength(2);
    expect(rao.profile?.consultationFeePaise).toBe(50_000);
    expect(slotsOf(d, TODAY).slots).toHaveLength(16);
  });

  it('replaces the whole timetable, keeping unchanged sittings, and the slots follow', () => {
    const d = openDesk();
    const before = d.c.ok('doctors.get', { doctorId: d.drRao }, d.reception);
    const saturday = before.schedule.find((s) => s.weekday === 6)!;
    const after = d.c.ok(
      'doctors.upsert',
      { ...doctorProfile(d.drRao, [RAO_SCHEDULE[0], { weekday: 3, start: '10:00', end: '11:00', slotMinutes: 30, maxPerSlot: 3, mode: 'video' }]), consultationFeePaise: 60_000 },
      d.admin,
    );
    expect(after.profile?.consultationFeePaise).toBe(60_000);
    expect(after.schedule.map((s) => `${s.weekday} ${s.start}-${s.end}`)).toEqual(['3 10:00-11:00', '6 09:00-13:00']);
    expect(after.schedule.find((s) => s.weekday === 6)!.id).toBe(saturday.id);
    // Monday evenings are gone; Wednesday mornings are new.
    expect(slotsOf(d, MONDAY).slots).toEqual([]);
    expect(slotsOf(d, WEDNESDAY).slots).toEqual([
      { start: '10:00', end: '10:30', mode: 'video', capacity: 3, booked: 0, free: 3, past: false },
      { start: '10:30', end: '11:00', mode: 'video', capacity: 3, booked: 0, free: 3, past: false },
    ]);
    expect(d.c.ok('doctors.list', {}, d.reception)).toHaveLength(2);
  });

  it('lets only an administrator change a doctor or their leave', () => {
    const d = openDesk();
    expect(failure(d.c.call('doctors.upsert', doctorProfile(d.drRao, []), d.reception)).code).toBe('forbidden');
    expect(failure(d.c.call('doctors.upsert', doctorProfile(d.drRao, []), d.doctor)).code).toBe('forbidden');
    expect(failure(d.c.call('doctors.addLeave', { doctorId: d.drRao, fromDate: MONDAY, toDate: MONDAY }, d.reception)).code).toBe('forbidden');
    expect(d.c.ok('doctors.get', { doctorId: d.drRao }, d.reception).schedule).toHaveLength(2);
  });
});

describe('appointment slots', () => {
  it('offers slots on the doctor’s days only, with the sitting’s length and capacity', () => {
    const d = openDesk();
    const saturday = slotsOf(d, TODAY);
    expect(saturday.onLeave).toBeNull();
    expect(saturday.slots).toHaveLength(16);
    expect(saturday.slots[0]).toMatchObject({ start: '09:00', end: '09:15', capacity: 2, booked: 0, free: 2, mode: 'in-person' });
    expect(saturday.slots.at(-1)).toMatchObject({ start: '12:45', end: '13:00' });
    expect(slotsOf(d, SUNDAY).slots).toEqual([]);
    expect(slotsOf(d, MONDAY).slots.map((s) => `${s.start}-${s.end}/${s.capacity}`)).toEqual([
      '17:00-17:20/1',
      '17:20-17:40/1',
      '17:40-18:00/1',
      '18:00-18:20/1',
      '18:20-18:40/1',
      '18:40-19:00/1',
    ]);
    const iyer = slotsOf(d, TODAY, d.drIyer).slots;
    expect(iyer).toHaveLength(12);
    expect(iyer.every((s) => s.mode === 'video' && s.capacity === 1)).toBe(true);
    expect(failure(d.c.call('appointments.slots', { doctorId: d.drRao, date: '2026-11-31' }, d.reception)).fields).toHaveProperty('date');
  });

  it('marks today’s slots that are over as past and refuses to book them', () => {
    const d = openDesk();
    const [anil, bhavna] = patients(d, 2);
    // 10:00 IST: the 09:45-10:00 slot has just ended.
    const past = slotsOf(d, TODAY).slots.filter((s) => s.past).map((s) => s.start);
    expect(past).toEqual(['09:00', '09:15', '09:30', '09:45']);
    expect(slotsOf(d, NEXT_SATURDAY).slots.some((s) => s.past)).toBe(false);
    const over = failure(book(d, anil!, '09:30'));
    expect(over).toMatchObject({ code: 'conflict', fields: { start: 'This slot is over' } });
    expect(over.message).toMatch(/09:30 .*already over/);
    expect(book(d, anil!, '10:00').ok).toBe(true);

    d.c.clock.now += 20 * MINUTE; // 10:20
    expect(slotAt(d, TODAY, '10:00').past).toBe(true);
    expect(slotAt(d, TODAY, '10:15').past).toBe(false);
    expect(failure(book(d, bhavna!, '10:00')).code).toBe('conflict');
    expect(book(d, bhavna!, '10:15').ok).toBe(true);
    // The next day, all of today is past.
    d.c.clock.now += DAY;
    expect(slotsOf(d, TODAY).slots.every((s) => s.past)).toBe(true);
  });

  it('shows no slots while the doctor is on leave and refuses bookings with a clear message', () => {
    const d = openDesk();
    const [anil] = patients(d, 1);
    const leave = d.c.ok('doctors.addLeave', { doctorId: d.drRao, fromDate: MONDAY, toDate: WEDNESDAY, reason: 'Medical conference' }, d.admin);
    const monday = slotsOf(d, MONDAY);
    expect(monday).toEqual({ doctorId: d.drRao, date: MONDAY, onLeave: { fromDate: MONDAY, toDate: WEDNESDAY, reason: 'Medical conference' }, slots: [] });
    const refused = failure(d.c.call('appointments.book', { patientId: anil, doctorId: d.drRao, date: MONDAY, start: '17:00' }, d.reception));
    expect(refused).toMatchObject({ code: 'conflict', fields: { date: 'The doctor is on leave' } });
    expect(refused.message).toContain('Dr Meera Rao is on leave');
    expect(refused.message).toContain('Medical conference');
    // Days outside the leave are untouched; the other doctor is untouched.
    expect(slotsOf(d, TODAY).onLeave).toBeNull();
    expect(slotsOf(d, '2026-11-30').slots).toHaveLength(6);
    expect(d.c.ok('doctors.get', { doctorId: d.drRao }, d.reception).leaves).toEqual([{ id: leave.id, fromDate: MONDAY, toDate: WEDNESDAY, reason: 'Medical conference' }]);

    d.c.ok('doctors.removeLeave', { leaveId: leave.id }, d.admin);
    expect(slotsOf(d, MONDAY).slots).toHaveLength(6);
    expect(d.c.call('appointments.book', { patientId: anil, doctorId: d.drRao, date: MONDAY, start: '17:00' }, d.reception).ok).toBe(true);

    const backwards = failure(d.c.call('doctors.addLeave', { doctorId: d.drRao, fromDate: WEDNESDAY, toDate: MONDAY }, d.admin));
    expect(backwards).toMatchObject({ code: 'invalid_input', fields: { toDate: expect.any(String) } });
  });

  it('counts bookings per slot, refuses a full slot and frees the place when one is cancelled', () => {
    const d = openDesk();
    const [anil, bhavna, chetan] = patients(d, 3);
    const first = d.c.ok('appointments.book', { patientId: anil, doctorId: d.drRao, date: TODAY, start: '10:00' }, d.reception);
    expect(first).toMatchObject({ bookingRef: 'A-B000001', start: '10:00', end: '10:15', status: 'scheduled', priority: 'regular', mode: 'in-person', bookedBy: d.receptionistId });
    expect(slotAt(d, TODAY, '10:00')).toMatchObject({ booked: 1, free: 1 });
    expect(book(d, bhavna!, '10:00').ok).toBe(true);
    expect(slotAt(d, TODAY, '10:00')).toMatchObject({ capacity: 2, booked: 2, free: 0 });
    expect(slotAt(d, TODAY, '10:15')).toMatchObject({ booked: 0, free: 2 });

    const full = failure(book(d, chetan!, '10:00'));
    expect(full.code).toBe('conflict');
    expect(full.message).toContain('full');
    expect(full.message).toContain('2 of 2 booked');
    expect(full.fields).toEqual({ start: 'This slot is full' });

    d.c.ok('appointments.cancel', { appointmentId: first.id, reason: 'Going out of town' }, d.reception);
    expect(slotAt(d, TODAY, '10:00')).toMatchObject({ booked: 1, free: 1 });
    const third = book(d, chetan!, '10:00');
    expect(third.ok).toBe(true);
    if (third.ok) expect(third.value.bookingRef).toBe('A-B000003');
    // Another doctor's slot at the same time is counted separately.
    expect(slotAt(d, TODAY, '10:00', d.drIyer)).toMatchObject({ booked: 0, free: 1 });
    const list = d.c.ok('appointments.list', { date: TODAY, doctorId: d.drRao }, d.reception);
    expect(list.map((a) => `${a.patientName} ${a.start} ${a.status}`)).toEqual([
      'Anil Joshi 10:00 cancelled',
      'Bhavna Shah 10:00 scheduled',
      'Chetan Desai 10:00 scheduled',
    ]);
  });

  it('refuses a time that is not one of the doctor’s slots', () => {
    const d = openDesk();
    const [anil] = patients(d, 1);
    for (const [date, start] of [[TODAY, '10:05'], [TODAY, '13:00'], [TODAY, '08:45'], [SUNDAY, '10:00'], [MONDAY, '17:15']] as const) {
      const error = failure(book(d, anil!, start, { date }));
      expect(error.code, `${date} ${start}`).toBe('invalid_input');
      expect(error.fields, `${date} ${start}`).toEqual({ start: 'Not one of the doctor’s slots on this day' });
      expect(error.message).toContain(`no ${start} slot`);
    }
    expect(failure(book(d, anil!, '25:00')).fields).toHaveProperty('start');
    expect(d.c.ok('appointments.list', { date: TODAY }, d.reception)).toEqual([]);
  });

  it('refuses a second appointment for the same patient with the same doctor on the same day', () => {
    const d = openDesk();
    const [anil] = patients(d, 1);
    expect(book(d, anil!, '10:00').ok).toBe(true);
    const again = failure(book(d, anil!, '11:00'));
    expect(again.code).toBe('conflict');
    expect(again.message).toContain('Anil Joshi already has an appointment at 10:00');
    // With the other doctor, or another day, is fine.
    expect(d.c.call('appointments.book', { patientId: anil, doctorId: d.drIyer, date: TODAY, start: '11:00' }, d.reception).ok).toBe(true);
    expect(book(d, anil!, '17:00', { date: MONDAY }).ok).toBe(true);
  });
});

describe('rescheduling, cancelling and no-shows', () => {
  it('reschedules into a new appointment that points back at the cancelled old one', () => {
    const d = openDesk();
    const [anil] = patients(d, 1);
    const old = d.c.ok('appointments.book', { patientId: anil, doctorId: d.drRao, date: TODAY, start: '11:00', priority: 'urgent', reason: 'Knee pain' }, d.reception);
    d.c.clock.now += 5 * MINUTE;
    const moved = d.c.ok('appointments.reschedule', { appointmentId: old.id, date: MONDAY, start: '17:20', reason: 'Patient asked' }, d.reception);
    expect(moved).toMatchObject({
      rescheduledFrom: old.id,
      patientId: anil,
      doctorId: d.drRao,
      date: MONDAY,
      start: '17:20',
      end: '17:40',
      status: 'scheduled',
      priority: 'urgent',
      reason: 'Knee pain',
    });
    expect(moved.id).not.toBe(old.id);
    expect(row(d, old.id)).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Rescheduled to 2026-11-23 17:20: Patient asked',
      cancelledBy: d.receptionistId,
      cancelledAt: d.c.clock.now,
    });
    // The old place is free again, the new one taken.
    expect(slotAt(d, TODAY, '11:00')).toMatchObject({ booked: 0, free: 2 });
    expect(slotAt(d, MONDAY, '17:20')).toMatchObject({ booked: 1, free: 0 });
    // A second move follows the chain from the newest appointment; the cancelled one cannot move.
    expect(failure(d.c.call('appointments.reschedule', { appointmentId: old.id, date: MONDAY, start: '17:40' }, d.reception)).message).toMatch(/already cancelled/);
    const again = d.c.ok('appointments.reschedule', { appointmentId: moved.id, date: MONDAY, start: '17:40' }, d.reception);
    expect(again.rescheduledFrom).toBe(moved.id);
    expect(row(d, moved.id).cancelReason).toBe('Rescheduled to 2026-11-23 17:40');
  });

  it('keeps the original appointment when the new slot cannot be had', () => {
    const d = openDesk();
    const [anil, bhavna] = patients(d, 2);
    const taken = d.c.ok('appointments.book', { patientId: bhavna, doctorId: d.drRao, date: MONDAY, start: '17:00' }, d.reception);
    const mine = d.c.ok('appointments.book', { patientId: anil, doctorId: d.drRao, date: TODAY, start: '11:00' }, d.reception);
    const full = failure(d.c.call('appointments.reschedule', { appointmentId: mine.id, date: MONDAY, start: '17:00' }, d.reception));
    expect(full.code).toBe('conflict');
    expect(full.message).toContain('full');
    expect(failure(d.c.call('appointments.reschedule', { appointmentId: mine.id, date: SUNDAY, start: '10:00' }, d.reception)).code).toBe('invalid_input');
    expect(row(d, mine.id)).toMatchObject({ status: 'scheduled', cancelReason: null });
    expect(row(d, taken.id).status).toBe('scheduled');
    expect(d.c.ok('appointments.list', { date: MONDAY }, d.reception)).toHaveLength(1);
    expect(slotAt(d, TODAY, '11:00').booked).toBe(1);
  });

  it('cancels with a reason and records who cancelled and when', () => {
    const d = openDesk();
    const [anil] = patients(d, 1);
    const appt = d.c.ok('appointments.book', { patientId: anil, doctorId: d.drRao, date: TODAY, start: '12:00' }, d.reception);
    const noReason = failure(d.c.call('appointments.cancel', { appointmentId: appt.id, reason: '  ' }, d.reception));
    expect(noReason).toMatchObject({ code: 'invalid_input', fields: { reason: 'Reason for cancelling is required' } });
    d.c.clock.now += 7 * MINUTE;
    const cancelled = d.c.ok('appointments.cancel', { appointmentId: appt.id, reason: 'Fever has gone' }, d.reception);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'Fever has gone', cancelledBy: d.receptionistId, cancelledAt: d.c.clock.now });
    expect(d.c.ok('appointments.list', { date: TODAY }, d.reception)[0]).toMatchObject({ status: 'cancelled', cancelReason: 'Fever has gone' });
    const twice = failure(d.c.call('appointments.cancel', { appointmentId: appt.id, reason: 'again' }, d.reception));
    expect(twice).toMatchObject({ code: 'conflict', message: 'This appointment is already cancelled.' });
  });

  it('marks as no-show only the open appointments of a day that is over', () => {
    const d = openDesk();
    const [anil, bhavna, chetan, deepa] = patients(d, 4);
    const missed = d.c.ok('appointments.book', { patientId: anil, doctorId: d.drRao, date: TODAY, start: '11:00' }, d.reception);
    const came = d.c.ok('appointments.book', { patientId: bhavna, doctorId: d.drRao, date: TODAY, start: '11:00' }, d.reception);
    const called = d.c.ok('appointments.book', { patientId: chetan, doctorId: d.drRao, date: TODAY, start: '11:15' }, d.reception);
    const monday = d.c.ok('appointments.book', { patientId: deepa, doctorId: d.drRao, date: MONDAY, start: '17:00' }, d.reception);
    d.c.ok('queue.checkIn', { patientId: bhavna, appointmentId: came.id }, d.reception);
    d.c.ok('appointments.cancel', { appointmentId: called.id, reason: 'Called to cancel' }, d.reception);

    // Today is not over yet.
    expect(failure(d.c.call('appointments.markNoShows', { date: TODAY }, d.reception))).toMatchObject({ code: 'invalid_input', fields: { date: 'Choose a day before today' } });
    expect(row(d, missed.id).status).toBe('scheduled');

    d.c.clock.now += DAY; // Sunday
    expect(failure(d.c.call('appointments.markNoShows', { date: MONDAY }, d.reception)).code).toBe('invalid_input');
    expect(d.c.ok('appointments.markNoShows', { date: TODAY }, d.reception)).toEqual({ marked: 1 });
    expect(Object.fromEntries(d.c.ok('appointments.list', { date: TODAY }, d.reception).map((a) => [a.patientName, a.status]))).toEqual({
      'Anil Joshi': 'no-show',
      'Bhavna Shah': 'checked-in',
      'Chetan Desai': 'cancelled',
    });
    expect(row(d, monday.id).status).toBe('scheduled');
    expect(d.c.ok('appointments.markNoShows', { date: TODAY }, d.reception)).toEqual({ marked: 0 });
  });

  it('links a booked patient checked in from the patient card (no appointment named) to the booking, so it is no no-show', () => {
    const d = openDesk();
    const [anil, bhavna, chetan] = patients(d, 3);
    const missed = d.c.ok('appointments.book', { patientId: chetan, doctorId: d.drRao, date: TODAY, start: '12:00' }, d.reception);
    const booked = d.c.ok('appointments.book', { patientId: anil, doctorId: d.drRao, date: TODAY, start: '10:30', priority: 'urgent' }, d.reception);
    const withIyer = d.c.ok('appointments.book', { patientId: bhavna, doctorId: d.drIyer, date: TODAY, start: '11:00' }, d.reception);

    const visit = d.c.ok('queue.checkIn', { patientId: anil, doctorId: d.drRao }, d.reception);
    expect(visit.priority).toBe('urgent');
    expect(row(d, booked.id).status).toBe('checked-in');
    expect(d.c.ok('queue.list', { doctorId: d.drRao }, d.reception)[0]).toMatchObject({ visitId: visit.visitId, appointmentId: booked.id });
    // A booking with another doctor is not this visit's.
    d.c.ok('queue.checkIn', { patientId: bhavna, doctorId: d.drRao }, d.reception);
    expect(row(d, withIyer.id).status).toBe('scheduled');

    expect(d.c.ok('queue.callNext', {}, d.doctor).visitId).toBe(visit.visitId);
    expect(row(d, booked.id).status).toBe('in-consultation');
    d.c.ok('queue.setStatus', { visitId: visit.visitId, status: 'done' }, d.doctor);
    expect(row(d, booked.id).status).toBe('completed');

    d.c.clock.now += DAY;
    d.c.ok('appointments.markNoShows', { date: TODAY }, d.reception);
    expect(row(d, booked.id).status).not.toBe('no-show');
    expect(row(d, booked.id).status).toBe('completed');
    // The bookings nobody came for still close as no-shows.
    expect([row(d, missed.id).status, row(d, withIyer.id).status]).toEqual(['no-show', 'no-show']);
  });
});

describe('who may book', () => {
  it('does not let a cashier book, reschedule or cancel, but lets them see slots and the day’s list', () => {
    const d = openDesk();
    const [anil] = patients(d, 1);
    const refused = failure(d.c.call('appointments.book', { patientId: anil, doctorId: d.drRao, date: TODAY, start: '10:30' }, d.cashier));
    expect(refused.code).toBe('forbidden');
    const appt = d.c.ok('appointments.book', { patientId: anil, doctorId: d.drRao, date: MONDAY, start: '17:00' }, d.reception);
    expect(failure(d.c.call('appointments.cancel', { appointmentId: appt.id, reason: 'x' }, d.cashier)).code).toBe('forbidden');
    expect(failure(d.c.call('appointments.reschedule', { appointmentId: appt.id, date: MONDAY, start: '17:20' }, d.cashier)).code).toBe('forbidden');
    expect(slotAt(d, TODAY, '10:30').booked).toBe(0);
    expect(d.c.ok('appointments.slots', { doctorId: d.drRao, date: MONDAY }, d.cashier).slots[0]).toMatchObject({ booked: 1 });
    expect(d.c.ok('appointments.list', { date: MONDAY }, d.cashier)).toHaveLength(1);
    expect(row(d, appt.id).status).toBe('scheduled');
  });
});
