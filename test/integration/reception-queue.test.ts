import { describe, expect, it } from 'vitest';
import { DAY, failure, MINUTE, NEXT_SATURDAY, openDesk, register, SUNDAY, TODAY, type Desk } from './reception-fixtures';

const NAMES = ['Anil Joshi', 'Bhavna Shah', 'Chetan Desai', 'Deepa Nair', 'Farhan Ali', 'Gauri Kulkarni'];

function patients(d: Desk, n: number): string[] {
  return NAMES.slice(0, n).map((full, i) => {
    const [givenName, familyName] = full.split(' ');
    return register(d, { givenName, familyName, gender: i % 2 ? 'female' : 'male', ageYears: 30 + i, mobile: `98220000${10 + i}` }).patient.id;
  });
}

const checkIn = (d: Desk, patientId: string, doctorId: string, extra: Record<string, unknown> = {}) =>
  d.c.ok('queue.checkIn', { patientId, doctorId, ...extra }, d.reception);

const queue = (d: Desk, input: Record<string, unknown> = {}) => d.c.ok('queue.list', input, d.reception);

describe('tokens', () => {
  it('counts tokens per doctor per day, starting at 1 for each doctor and again the next day', () => {
    const d = openDesk();
    const [anil, bhavna, chetan] = patients(d, 3);
    const t1 = checkIn(d, anil!, d.drRao);
    expect(t1).toMatchObject({ tokenNo: 1, tokenLabel: '1', doctorName: 'Dr Meera Rao', patientName: 'Anil Joshi', date: TODAY, priority: 'regular' });
    expect(checkIn(d, bhavna!, d.drRao).tokenLabel).toBe('2');
    expect(checkIn(d, chetan!, d.drIyer).tokenLabel).toBe('1');
    expect(checkIn(d, anil!, d.drIyer).tokenLabel).toBe('2');
    expect(queue(d, { doctorId: d.drRao }).map((v) => `${v.tokenLabel} ${v.patientName}`)).toEqual(['1 Anil Joshi', '2 Bhavna Shah']);

    d.c.clock.now += DAY;
    const sunday = checkIn(d, bhavna!, d.drRao);
    expect(sunday).toMatchObject({ tokenLabel: '1', date: SUNDAY });
    expect(checkIn(d, chetan!, d.drRao).tokenLabel).toBe('2');
    expect(checkIn(d, anil!, d.drIyer).tokenLabel).toBe('1');
    // Today's queue shows today's tokens only; yesterday's can still be looked up.
    expect(queue(d).map((v) => `${v.doctorName} ${v.tokenLabel}`)).toEqual(['Dr Meera Rao 1', 'Dr Meera Rao 2', 'Dr Arjun Iyer 1']);
    expect(queue(d, { date: TODAY })).toHaveLength(4);
  });

  it('starts a new day at midnight in India, not at midnight UTC', () => {
    const d = openDesk();
    const [anil, bhavna] = patients(d, 2);
    d.c.clock.now = Date.UTC(2026, 10, 21, 18, 20); // 23:50 IST Saturday
    expect(checkIn(d, anil!, d.drRao)).toMatchObject({ tokenLabel: '1', date: TODAY });
    d.c.clock.now = Date.UTC(2026, 10, 21, 18, 40); // 00:10 IST Sunday, still Saturday in UTC
    expect(checkIn(d, bhavna!, d.drRao)).toMatchObject({ tokenLabel: '1', date: SUNDAY });
    expect(queue(d).map((v) => v.patientName)).toEqual(['Bhavna Shah']);
    // Saturday is over: its slots are past and its no-shows can be closed.
    expect(d.c.ok('appointments.slots', { doctorId: d.drRao, date: TODAY }, d.reception).slots.every((s) => s.past)).toBe(true);
    expect(d.c.ok('appointments.markNoShows', { date: TODAY }, d.reception)).toEqual({ marked: 0 });
  });

  it('puts this workstation’s token prefix on its tokens', () => {
    const d = openDesk();
    const [anil, bhavna, chetan] = patients(d, 3);
    expect(failure(d.c.call('settings.setWorkstation', { tokenPrefix: 'B' }, d.reception)).code).toBe('forbidden');
    expect(d.c.ok('settings.setWorkstation', { tokenPrefix: 'b' }, d.admin)).toEqual({ seriesPrefix: 'A', tokenPrefix: 'B' });
    expect(checkIn(d, anil!, d.drRao)).toMatchObject({ tokenNo: 1, tokenLabel: 'B-1' });
    expect(checkIn(d, bhavna!, d.drRao)).toMatchObject({ tokenNo: 2, tokenLabel: 'B-2' });
    expect(checkIn(d, chetan!, d.drIyer).tokenLabel).toBe('B-1');
    expect(failure(d.c.call('settings.setWorkstation', { tokenPrefix: 'B-2' }, d.admin)).fields).toHaveProperty('tokenPrefix');
    expect(queue(d, { doctorId: d.drRao }).map((v) => v.tokenLabel)).toEqual(['B-1', 'B-2']);
  });

  it('does not check in a patient who is already in that doctor’s queue', () => {
    const d = openDesk();
    const [anil] = patients(d, 1);
    const first = checkIn(d, anil!, d.drRao);
    const twice = failure(d.c.call('queue.checkIn', { patientId: anil, doctorId: d.drRao }, d.reception));
    expect(twice).toMatchObject({ code: 'conflict', fields: { patientId: 'Already in this queue' } });
    expect(twice.message).toBe("Anil Joshi is already in Dr Meera Rao's queue with token 1.");
    // Still refused while with the doctor.
    d.c.ok('queue.setStatus', { visitId: first.visitId, status: 'with-doctor' }, d.doctor);
    expect(failure(d.c.call('queue.checkIn', { patientId: anil, doctorId: d.drRao }, d.reception)).code).toBe('conflict');
    expect(queue(d)).toHaveLength(1);
    // Another doctor is fine; so is coming back after the consultation is done.
    expect(checkIn(d, anil!, d.drIyer).tokenLabel).toBe('1');
    d.c.ok('queue.setStatus', { visitId: first.visitId, status: 'done' }, d.doctor);
    expect(checkIn(d, anil!, d.drRao).tokenLabel).toBe('2');
  });

  it('needs a doctor and a known patient', () => {
    const d = openDesk();
    const [anil] = patients(d, 1);
    expect(failure(d.c.call('queue.checkIn', { patientId: anil }, d.reception))).toMatchObject({ code: 'invalid_input', fields: { doctorId: 'Choose the doctor' } });
    expect(failure(d.c.call('queue.checkIn', { patientId: anil, doctorId: d.receptionistId }, d.reception)).code).toBe('not_found');
    expect(failure(d.c.call('queue.checkIn', { patientId: d.drRao, doctorId: d.drRao }, d.reception)).code).toBe('not_found');
    expect(queue(d)).toEqual([]);
  });

  it('checks in an appointment: the appointment follows the visit through the day', () => {
    const d = openDesk();
    const [anil, bhavna] = patients(d, 2);
    const appt = d.c.ok('appointments.book', { patientId: anil, doctorId: d.drRao, date: TODAY, start: '10:30', priority: 'urgent' }, d.reception);
    const status = () => d.c.ok('appointments.list', { date: TODAY }, d.reception).find((a) => a.id === appt.id)!.status;

    // Someone else's appointment, or one with a different doctor, is refused.
    expect(failure(d.c.call('queue.checkIn', { patientId: bhavna, appointmentId: appt.id }, d.reception)).code).toBe('not_found');
    expect(failure(d.c.call('queue.checkIn', { patientId: anil, appointmentId: appt.id, doctorId: d.drIyer }, d.reception)).fields).toEqual({ doctorId: 'Differs from the appointment' });
    expect(status()).toBe('scheduled');

    const visit = d.c.ok('queue.checkIn', { patientId: anil, appointmentId: appt.id }, d.reception);
    expect(visit).toMatchObject({ tokenLabel: '1', doctorName: 'Dr Meera Rao', priority: 'urgent' });
    expect(status()).toBe('checked-in');
    expect(queue(d)[0]).toMatchObject({ appointmentId: appt.id, priority: 'urgent', status: 'waiting' });
    // The booked place still counts, and the appointment cannot be checked in again.
    expect(d.c.ok('appointments.slots', { doctorId: d.drRao, date: TODAY }, d.reception).slots.find((s) => s.start === '10:30')).toMatchObject({ booked: 1 });
    expect(failure(d.c.call('queue.checkIn', { patientId: anil, appointmentId: appt.id }, d.reception)).message).toMatch(/already checked-in/);

    d.c.ok('queue.setStatus', { visitId: visit.visitId, status: 'with-doctor' }, d.doctor);
    expect(status()).toBe('in-consultation');
    d.c.ok('queue.setStatus', { visitId: visit.visitId, status: 'done' }, d.doctor);
    expect(status()).toBe('completed');
  });

  it('leaves the appointment untouched when its check-in is refused', () => {
    const d = openDesk();
    const [anil] = patients(d, 1);
    // In the queue as a walk-in before the booking was made (a walk-in after it takes the booking: reception-schedule).
    checkIn(d, anil!, d.drRao);
    const appt = d.c.ok('appointments.book', { patientId: anil, doctorId: d.drRao, date: TODAY, start: '11:00' }, d.reception);
    expect(failure(d.c.call('queue.checkIn', { patientId: anil, appointmentId: appt.id }, d.reception)).code).toBe('conflict');
    expect(d.c.ok('appointments.list', { date: TODAY }, d.reception)[0]!.status).toBe('scheduled');
    expect(queue(d)).toHaveLength(1);
  });

  it('refuses to check in an appointment that is not for today', () => {
    const d = openDesk();
    const [anil] = patients(d, 1);
    const later = d.c.ok('appointments.book', { patientId: anil, doctorId: d.drRao, date: NEXT_SATURDAY, start: '09:00' }, d.reception);
    const error = failure(d.c.call('queue.checkIn', { patientId: anil, appointmentId: later.id }, d.reception));
    expect(error).toMatchObject({ code: 'conflict', message: `That appointment is for ${NEXT_SATURDAY}, not today.` });
    expect(d.c.ok('appointments.list', { date: NEXT_SATURDAY }, d.reception)[0]!.status).toBe('scheduled');
    expect(queue(d)).toEqual([]);
  });
});

describe('the queue', () => {
  it('moves a patient from waiting to the doctor to done, and refuses moves that make no sense', () => {
    const d = openDesk();
    const [anil, bhavna] = patients(d, 2);
    const visit = checkIn(d, anil!, d.drRao);
    const other = checkIn(d, bhavna!, d.drRao);
    const move = (visitId: string, status: string) => d.c.call('queue.setStatus', { visitId, status }, d.doctor);

    const skip = failure(move(visit.visitId, 'done'));
    expect(skip).toMatchObject({ code: 'conflict', message: 'Token 1 is waiting; it cannot become done.', fields: { status: 'Not allowed from waiting' } });

    d.c.clock.now += 12 * MINUTE;
    expect(d.c.ok('queue.setStatus', { visitId: visit.visitId, status: 'with-doctor' }, d.doctor)).toEqual({ visitId: visit.visitId, status: 'with-doctor', tokenLabel: '1' });
    expect(queue(d)[0]).toMatchObject({ visitId: visit.visitId, status: 'with-doctor', calledAt: d.c.clock.now, waitingMinutes: 12 });
    d.c.clock.now += 8 * MINUTE;
    d.c.ok('queue.setStatus', { visitId: visit.visitId, status: 'done' }, d.doctor);
    expect(queue(d).find((v) => v.visitId === visit.visitId)).toMatchObject({ status: 'done', finishedAt: d.c.clock.now, waitingMinutes: 12 });

    for (const status of ['waiting', 'with-doctor', 'left']) expect(failure(move(visit.visitId, status)).code, status).toBe('conflict');
    expect(failure(move(visit.visitId, 'gone')).fields).toHaveProperty('status');

    // A patient who left can be put back in the queue, with the call time cleared.
    d.c.ok('queue.setStatus', { visitId: other.visitId, status: 'left' }, d.reception);
    d.c.ok('queue.setStatus', { visitId: other.visitId, status: 'waiting' }, d.reception);
    expect(queue(d).find((v) => v.visitId === other.visitId)).toMatchObject({ status: 'waiting', calledAt: null, finishedAt: null });
    expect(failure(d.c.call('queue.setStatus', { visitId: other.visitId, status: 'with-doctor' }, d.cashier)).code).toBe('forbidden');
  });

  it('keeps the rules of check-in and "call next" when a token is moved by hand: one patient with the doctor, one live token per patient', () => {
    const d = openDesk();
    const [anil, bhavna] = patients(d, 2);
    const first = checkIn(d, anil!, d.drRao);
    const second = checkIn(d, bhavna!, d.drRao);
    d.c.ok('queue.setStatus', { visitId: first.visitId, status: 'with-doctor' }, d.doctor);
    // "Send in" while token 1 is still with the doctor.
    const busy = failure(d.c.call('queue.setStatus', { visitId: second.visitId, status: 'with-doctor' }, d.reception));
    expect(busy).toMatchObject({
      code: 'conflict',
      message: 'Token 1 is still with the doctor. Complete that visit (or send them back) before sending in token 2.',
      fields: { status: 'Token 1 is with the doctor' },
    });
    expect(queue(d).find((v) => v.visitId === second.visitId)!.status).toBe('waiting');
    // Another doctor's patient with them is no obstacle; once token 1 is done, token 2 goes in.
    d.c.ok('queue.setStatus', { visitId: checkIn(d, anil!, d.drIyer).visitId, status: 'with-doctor' }, d.reception);
    d.c.ok('queue.setStatus', { visitId: first.visitId, status: 'done' }, d.doctor);
    d.c.ok('queue.setStatus', { visitId: second.visitId, status: 'with-doctor' }, d.reception);

    // Bhavna left, came back and was checked in again: her old token stays left.
    d.c.ok('queue.setStatus', { visitId: second.visitId, status: 'left' }, d.reception);
    const again = checkIn(d, bhavna!, d.drRao);
    const back = failure(d.c.call('queue.setStatus', { visitId: second.visitId, status: 'waiting' }, d.reception));
    expect(back).toMatchObject({
      code: 'conflict',
      message: `This patient was checked in again with token ${again.tokenLabel}; token 2 stays left.`,
      fields: { status: `Checked in again as ${again.tokenLabel}` },
    });
    expect(queue(d, { doctorId: d.drRao }).filter((v) => v.patientId === bhavna && v.status === 'waiting')).toHaveLength(1);
  });

  it('lists whoever is with the doctor first, then the waiting by priority and arrival, then the rest', () => {
    const d = openDesk();
    const [anil, bhavna, chetan, deepa, farhan, gauri] = patients(d, 6);
    const at = (minutes: number) => {
      d.c.clock.now = Date.UTC(2026, 10, 21, 4, 30) + minutes * MINUTE;
    };
    at(0);
    const a = checkIn(d, anil!, d.drRao);
    at(1);
    checkIn(d, bhavna!, d.drRao, { priority: 'urgent' });
    at(2);
    checkIn(d, chetan!, d.drRao, { priority: 'emergency' });
    at(3);
    checkIn(d, deepa!, d.drRao);
    at(4);
    const f = checkIn(d, farhan!, d.drRao, { priority: 'emergency' });
    at(5);
    checkIn(d, gauri!, d.drRao, { priority: 'urgent' });
    at(6);
    d.c.ok('queue.setStatus', { visitId: a.visitId, status: 'with-doctor' }, d.doctor);
    d.c.ok('queue.setStatus', { visitId: a.visitId, status: 'done' }, d.doctor);
    d.c.ok('queue.setStatus', { visitId: f.visitId, status: 'with-doctor' }, d.doctor);
    at(10);
    const list = queue(d, { doctorId: d.drRao });
    expect(list.map((v) => `${v.tokenLabel} ${v.patientName} ${v.status} ${v.priority}`)).toEqual([
      '5 Farhan Ali with-doctor emergency',
      '3 Chetan Desai waiting emergency',
      '2 Bhavna Shah waiting urgent',
      '6 Gauri Kulkarni waiting urgent',
      '4 Deepa Nair waiting regular',
      '1 Anil Joshi done regular',
    ]);
    expect(list.find((v) => v.patientName === 'Deepa Nair')).toMatchObject({ waitingMinutes: 7, age: 33, mrn: 'A-000004' });
    // Another doctor's queue is separate.
    expect(queue(d, { doctorId: d.drIyer })).toEqual([]);
  });
});

describe('follow-ups', () => {
  it('lists patients asked to come back, until they see that doctor again', () => {
    const d = openDesk();
    const [anil, bhavna] = patients(d, 2);
    const visit = checkIn(d, anil!, d.drRao);
    const bhavnaVisit = checkIn(d, bhavna!, d.drRao);
    expect(failure(d.c.call('queue.setFollowUp', { visitId: visit.visitId, followUpDate: TODAY }, d.doctor))).toMatchObject({
      code: 'invalid_input',
      fields: { followUpDate: 'Must be after the visit day' },
    });
    expect(d.c.ok('queue.setFollowUp', { visitId: visit.visitId, followUpDate: NEXT_SATURDAY }, d.doctor)).toEqual({ visitId: visit.visitId, followUpDate: NEXT_SATURDAY });
    d.c.ok('queue.setFollowUp', { visitId: bhavnaVisit.visitId, followUpDate: '2026-12-05' }, d.doctor);

    const due = (from: string, to: string) => d.c.ok('patients.followUps', { from, to }, d.reception);
    expect(due('2026-11-27', '2026-11-30')).toEqual([
      {
        visitId: visit.visitId,
        patientId: anil,
        patientName: 'Anil Joshi',
        mrn: 'A-000001',
        mobile: '9822000010',
        doctorId: d.drRao,
        doctorName: 'Dr Meera Rao',
        lastVisit: TODAY,
        followUpDate: NEXT_SATURDAY,
      },
    ]);
    expect(due(NEXT_SATURDAY, NEXT_SATURDAY).map((f) => f.patientName)).toEqual(['Anil Joshi']);
    expect(due('2026-11-22', '2026-11-27')).toEqual([]);
    expect(due('2026-11-22', '2026-12-31').map((f) => f.patientName)).toEqual(['Anil Joshi', 'Bhavna Shah']);

    // Anil comes back a week later, to the other doctor first: still due with Dr Rao.
    d.c.clock.now += 7 * DAY;
    checkIn(d, anil!, d.drIyer);
    expect(due('2026-11-22', '2026-12-31').map((f) => f.patientName)).toEqual(['Anil Joshi', 'Bhavna Shah']);
    // Then to Dr Rao: no longer due.
    checkIn(d, anil!, d.drRao);
    expect(due('2026-11-22', '2026-12-31').map((f) => f.patientName)).toEqual(['Bhavna Shah']);

    // Clearing a follow-up takes the patient off the list.
    d.c.ok('queue.setFollowUp', { visitId: bhavnaVisit.visitId, followUpDate: null }, d.doctor);
    expect(due('2026-11-22', '2026-12-31')).toEqual([]);
  });

  it('shows the follow-up on the patient’s record', () => {
    const d = openDesk();
    const [anil] = patients(d, 1);
    const visit = checkIn(d, anil!, d.drRao);
    d.c.ok('queue.setFollowUp', { visitId: visit.visitId, followUpDate: NEXT_SATURDAY }, d.doctor);
    expect(d.c.ok('patients.get', { id: anil }, d.reception).recentVisits).toEqual([
      { id: visit.visitId, date: TODAY, tokenLabel: '1', status: 'waiting', doctorName: 'Dr Meera Rao', followUpDate: NEXT_SATURDAY },
    ]);
  });
});

describe('who may run the queue', () => {
  it('does not let a cashier check patients in, but lets them see the queue', () => {
    const d = openDesk();
    const [anil] = patients(d, 1);
    expect(failure(d.c.call('queue.checkIn', { patientId: anil, doctorId: d.drRao }, d.cashier)).code).toBe('forbidden');
    expect(d.c.ok('queue.list', {}, d.cashier)).toEqual([]);
    checkIn(d, anil!, d.drRao);
    expect(d.c.ok('queue.list', {}, d.cashier).map((v) => v.patientName)).toEqual(['Anil Joshi']);
    expect(failure(d.c.call('queue.setFollowUp', { visitId: queue(d)[0]!.visitId, followUpDate: NEXT_SATURDAY }, d.cashier)).code).toBe('forbidden');
  });
});
