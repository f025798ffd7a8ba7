import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { RowCache } from '../../server/row-cache';
import { formatHlc } from '../../shared/hlc';
import { startSyncServer, type TestSyncServer } from '../helpers/sync';
import { register, setupClinic, type Desk } from './harness';

/**
 * A server instance keeps the rows it last read or wrote with their seq (server/row-cache.ts) and
 * reads only the seq of a row it holds. Every path that writes a row gives it a new seq (the
 * cursor desks pull by), so a held row whose seq has moved is read again whole: here the moved
 * row is written straight into the database, as another server instance (or the server's own
 * ABDM writes) would, with a stamp later than anything the desk does, so the desk's edit must lose.
 */
const rowOf = async (server: TestSyncServer, clinicId: string, patientId: string) => {
  const r: unknown = await server.database.db.execute(sql`SELECT data->>'occupation' AS occupation, seq FROM rows WHERE clinic_id = ${clinicId} AND table_name = 'patients' AND row_id = ${patientId}`);
  return (r as { rows: { occupation: string | null; seq: number | string }[] }).rows[0]!;
};

/**
 * Another writer sets the patient's occupation with a stamp an hour ahead: with a new seq and row
 * stamp, with a new seq alone (as when a late offline edit wins a field: the row keeps its stamp),
 * with neither, or with the row's stamp alone.
 */
type Elsewhere = 'new seq' | 'seq alone' | 'nothing' | 'row stamp';
const writeElsewhere = (server: TestSyncServer, clinicId: string, patientId: string, how: Elsewhere) => {
  const stamp = formatHlc({ wallMs: Date.now() + 3_600_000, counter: 0, deviceId: 'another-instance' });
  return server.database.db.execute(sql`
    UPDATE rows SET data = jsonb_set(data, '{occupation}', '"Weaver"'), field_hlc = jsonb_set(field_hlc, '{occupation}', to_jsonb(${stamp}::text))
      ${how === 'new seq' ? sql`, seq = nextval('change_seq'), hlc = ${stamp}` : how === 'seq alone' ? sql`, seq = nextval('change_seq')` : how === 'row stamp' ? sql`, hlc = ${stamp}` : sql``}
    WHERE clinic_id = ${clinicId} AND table_name = 'patients' AND row_id = ${patientId}`);
};

async function scenario(how: Elsewhere) {
  const server = await startSyncServer();
  try {
    const { clinicId, devices } = await setupClinic(server, { devices: 1 });
    const [A] = devices as [Desk];
    const patientId = register(A, 'Heldrow', 1);
    A.c.ok('patients.update', { id: patientId, patch: { occupation: 'Farmer' } }, A.admin);
    await A.c.app.sync.syncNow();
    expect((await rowOf(server, clinicId, patientId)).occupation).toBe('Farmer');
    await writeElsewhere(server, clinicId, patientId, how);
    // The desk, not knowing, changes the occupation with its own (earlier) stamp.
    A.c.ok('patients.update', { id: patientId, patch: { occupation: 'Tailor' } }, A.admin);
    await A.c.app.sync.syncNow();
    expect(A.c.app.sync.getStatus().pending).toBe(0);
    return (await rowOf(server, clinicId, patientId)).occupation;
  } finally {
    await server.stop();
  }
}

describe('the rows a server instance holds', () => {
  it('are read again once another writer has moved their seq: the later stamp written elsewhere wins over the desk’s edit', async () => {
    expect(await scenario('new seq')).toBe('Weaver');
  }, 60_000);

  it('are read again when only the seq has moved (the row’s own stamp kept, as when a late edit wins one field)', async () => {
    expect(await scenario('seq alone')).toBe('Weaver');
  }, 60_000);

  it('are read again when the seq is the one held but the row’s stamp is not (a sequence given twice: a database restored behind the instances’ backs)', async () => {
    expect(await scenario('row stamp')).toBe('Weaver');
  }, 60_000);

  it('are used as held while the seq is the one held (what no writer does: a row written without a new seq never reaches the desks either)', async () => {
    // Had the row been read again, the stamp an hour ahead would have won here too.
    expect(await scenario('nothing')).toBe('Tailor');
  }, 60_000);

  it('are held as PostgreSQL gives them back: an object’s members in jsonb’s order', async () => {
    const server = await startSyncServer();
    try {
      const values = [{ substance: 'Penicillin', reaction: 'Rash', é: 1, bb: 2, ab: [{ z: 1, y: 2 }] }, [{ 'ज्वर': true, fever: false, f: null }], { Z: 1, a: 2, 'a-b': 0.1 }];
      const cache = new RowCache(1024 * 1024);
      for (const value of values) {
        cache.put('c', 'k', 1, { data: { value }, fieldHlc: { value: 'stamp' }, hlc: 'stamp' });
        const r: unknown = await server.database.db.execute(sql`SELECT (${JSON.stringify(value)}::jsonb)::text AS text`);
        expect(JSON.stringify(cache.held('c', ['k']).get('k')!.state.data.value)).toBe(JSON.stringify(JSON.parse((r as { rows: { text: string }[] }).rows[0]!.text)));
      }
    } finally {
      await server.stop();
    }
  }, 60_000);
});
