import { describe, expect, it } from 'vitest';
import { columnsOf, SYNCED_TABLES } from '../../db/sync-tables';
import { ADMIN, FACILITY } from '../helpers/app';
import { enrol, makeDevice, startSyncServer, waitFor } from '../helpers/sync';

/**
 * A desk still on a version without the preferred language pulls a patient whose language another
 * desk set: it keeps only the columns it knows and moves past the row. Once it is upgraded, the
 * language must arrive without anyone editing the patient again (the checksum round compares
 * ids and stamps only, so it never notices).
 */
describe('columns a newer version adds to a synced table', () => {
  for (const oldDesk of ['recorded the columns it knew', 'predates the recorded column lists'] as const) {
    it(`reach a desk that pulled the row before upgrading (the old version ${oldDesk})`, { timeout: 120_000 }, async () => {
      const server = await startSyncServer();
      const clinicId = await server.createClinic();
      const a = makeDevice();
      a.ok('setup.initialize', { facility: FACILITY, admin: ADMIN });
      const adminA = a.login('admin', ADMIN.password);
      await enrol(a, server.url, await server.enrolmentCode(clinicId, 'Front desk'), adminA);
      await a.app.sync.syncNow();
      const reg = a.ok('patients.register', { patient: { givenName: 'Savitri', familyName: 'Yadav', gender: 'female', ageYears: 62, mobile: '9845012345', preferredLanguage: 'hi' } }, adminA);
      if (reg.status !== 'registered') throw new Error('not registered');
      const id = reg.patient.id;
      await a.app.sync.syncNow();

      const b = makeDevice();
      await enrol(b, server.url, await server.enrolmentCode(clinicId, 'Second desk'));
      await waitFor(async () => {
        await b.app.sync.syncNow();
        return b.app.database.sqlite.prepare('SELECT 1 FROM patients WHERE id = ?').get(id) !== undefined;
      }, 'Savitri to reach B');

      // What the old version left on B: the row without the columns it did not know, the cursor past it.
      const sqlite = b.app.database.sqlite;
      sqlite.prepare('UPDATE patients SET preferred_language = NULL, no_known_allergies = 0 WHERE id = ?').run(id);
      sqlite.prepare("DELETE FROM local_meta WHERE key = 'sync.columns'").run();
      if (oldDesk === 'recorded the columns it knew') {
        const known = Object.fromEntries(Object.keys(SYNCED_TABLES).map((t) => [t, columnsOf(t).map((c) => c.name)]));
        known.patients = known.patients!.filter((c) => c !== 'preferred_language' && c !== 'no_known_allergies');
        sqlite.prepare("INSERT INTO local_meta (key, value) VALUES ('sync.columns', ?)").run(JSON.stringify(known));
      }
      b.app.close();

      // Upgraded: B starts again and syncs (the checksum round runs every cycle in tests).
      const b2 = makeDevice({ dataDir: b.dataDir });
      await waitFor(() => b2.app.sync.getStatus().state === 'online', 'B to come back online');
      await b2.app.sync.syncNow();
      await b2.app.sync.syncNow();
      const admin = b2.login('admin', ADMIN.password);
      expect(b2.ok('patients.get', { id }, admin).patient.preferredLanguage).toBe('hi');
      // Read again once only: the list now holds every column.
      const after = JSON.parse(b2.app.database.sqlite.prepare("SELECT value FROM local_meta WHERE key = 'sync.columns'").pluck().get() as string) as Record<string, string[]>;
      expect(after.patients).toContain('preferred_language');
    });
  }
});
