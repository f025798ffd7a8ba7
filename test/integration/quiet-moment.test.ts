import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../electron/app';
import { isQuietMoment } from '../../electron/services/quiet';
import { checkIn, MINUTE, openDoctorDesk, type DoctorDesk } from './doctor-fixtures';

/** When may the updater offer a restart? The real app and router, on a real SQLite file. */
const quiet = (d: DoctorDesk, deviceId = d.c.app.deviceId) =>
  isQuietMoment(d.c.app.database.sqlite, deviceId, d.c.clock.now, DEFAULT_SETTINGS.timeZone);

describe('quiet moment (for offering an update restart)', () => {
  it('is not while a patient is with the doctor on this workstation, nor while a note is being written', () => {
    const d = openDoctorDesk();
    expect(quiet(d)).toBe(true);

    const { visitId } = checkIn(d, d.anil, d.drRao);
    expect(quiet(d), 'a patient waiting is not a consultation').toBe(true);

    d.c.ok('queue.callNext', {}, d.rao);
    expect(quiet(d), 'the patient is with the doctor').toBe(false);
    // Another workstation's consultation does not keep this one from updating.
    expect(quiet(d, 'another-device')).toBe(true);

    d.c.ok('consultations.save', { visitId, note: { chiefComplaints: ['Fever with chills for 3 days'] } }, d.rao);
    d.c.clock.now += 30 * MINUTE; // a long consultation, nothing typed for a while
    expect(quiet(d)).toBe(false);

    d.c.ok('consultations.complete', { visitId }, d.rao);
    expect(quiet(d), 'completed').toBe(true);
  });

  it('a draft note touched in the last ten minutes counts as being written, even with nobody called in', () => {
    const d = openDoctorDesk();
    const { visitId } = checkIn(d, d.bhavna, d.drRao);
    d.c.ok('queue.callNext', {}, d.rao);
    d.c.ok('consultations.save', { visitId, note: { chiefComplaints: ['Headache'] } }, d.rao);
    d.c.ok('queue.setStatus', { visitId, status: 'waiting' }, d.rao); // sent back to the queue, note still a draft
    expect(quiet(d)).toBe(false);
    d.c.clock.now += 9 * MINUTE;
    expect(quiet(d)).toBe(false);
    d.c.clock.now += 2 * MINUTE;
    expect(quiet(d)).toBe(true);
  });
});
