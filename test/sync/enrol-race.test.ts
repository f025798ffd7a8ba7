import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { devices } from '../../server/db/schema';
import { findPostgres, withPostgres } from '../helpers/postgres';
import { startSyncServer } from '../helpers/sync';

// Enrolments of one clinic at the same moment, through two server instances on one PostgreSQL:
// each desk gets a series letter of its own (two desks sharing one would number the same MRNs and
// bills), and one code enrols one desk only. On PGlite everything is serial anyway.

const postgres = findPostgres();
// On CI (scripts/check-test-deps.sh installs PostgreSQL) a missing server is a failure, not a quiet skip.
const required = Boolean(process.env.CI);
if (!postgres.ok && !required) console.warn(`skipped (needs PostgreSQL): ${postgres.reason}`);

type Enrolled = { ok: boolean; seriesPrefix?: string; message?: string };
const enrolAt = async (url: string, body: Record<string, unknown>): Promise<Enrolled> =>
  (await (await fetch(`${url}/enrol`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json()) as Enrolled;

describe('desks enrolling at the same moment', () => {
  it.skipIf(!postgres.ok && !required)('each gets a series letter of its own, also when several ask to keep the same one, and a code enrols one desk', async () => {
    await withPostgres(postgres, async (pg) => {
      const one = await startSyncServer({ databaseUrl: pg.url });
      const two = await startSyncServer({ databaseUrl: pg.url });
      const clinicId = await one.createClinic();
      for (let round = 0; round < 3; round++) {
        const codes = await Promise.all(Array.from({ length: 6 }, (_, i) => one.enrolmentCode(clinicId, `Desk ${round}-${i}`)));
        // Six desks, half of them (used on their own before) asking to keep "A".
        const answers = await Promise.all(codes.map((code, i) => enrolAt(i % 2 ? one.url : two.url, { code, deviceId: uuidv7(), ...(i % 2 ? { seriesPrefix: 'A' } : {}) })));
        expect(answers.every((a) => a.ok)).toBe(true);
      }
      const letters = (await one.database.db.select({ p: devices.seriesPrefix }).from(devices).where(eq(devices.clinicId, clinicId))).map((r) => r.p);
      expect(letters).toHaveLength(18);
      expect(new Set(letters).size).toBe(18);
      // One code posted by three desks at once: one of them is enrolled.
      const code = await one.enrolmentCode(clinicId, 'Shared code');
      const same = await Promise.all([one.url, two.url, one.url].map((url) => enrolAt(url, { code, deviceId: uuidv7() })));
      expect(same.filter((a) => a.ok)).toHaveLength(1);
      expect(same.filter((a) => !a.ok).map((a) => a.message)).toEqual(Array(2).fill('This enrolment code is not valid (wrong, used or expired). Ask for a new one.'));
      // One desk posting two codes at once (a double click after a slow answer): enrolled once, told so.
      const twice = uuidv7();
      const codes = await Promise.all([one.enrolmentCode(clinicId, 'Twice 1'), one.enrolmentCode(clinicId, 'Twice 2')]);
      const both = await Promise.all(codes.map((c, i) => enrolAt(i ? two.url : one.url, { code: c, deviceId: twice })));
      expect(both.filter((a) => a.ok)).toHaveLength(1);
      expect(both.find((a) => !a.ok)?.message).toBe('This workstation is already enrolled.');
    });
  }, 120_000);
});
