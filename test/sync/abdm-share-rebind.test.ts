import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindVerifications, verifiedFor } from '../../server/abdm/verified-abha';
import { openServerDb, type OpenedServerDb } from '../../server/db/open';
import { abdmCareContextLinks, rows } from '../../server/db/schema';

/**
 * A Scan & Share profile reception first matched to the wrong patient, then corrected: the server's
 * verified ABHA follows the share (PGlite, the server's own sweep), the wrong patient's pending link
 * for that ABHA fails.
 */
const CLINIC = 'clinic-rebind';
let database: OpenedServerDb;
beforeAll(async () => {
  database = await openServerDb({});
}, 120_000);
afterAll(async () => {
  await database.close();
});

describe('a Scan & Share profile moved to another patient at the desk', () => {
  it('moves the verified ABHA to the corrected patient and fails the wrong patient\'s pending link', async () => {
    const db = database.db;
    const share = crypto.randomUUID();
    const data = (patientId: string) => ({ id: share, token: '7', status: 'registered', patient_id: patientId, abha_address: 'sita.devi@sbx', abha_number: '91-1234-5678-9012', shared_at: Date.now() });
    await db.insert(rows).values({ clinicId: CLINIC, tableName: 'abdm_profile_shares', rowId: share, data: data('patient-ravi'), fieldHlc: {}, hlc: '0', seq: 1 });
    await bindVerifications(db, CLINIC);
    expect((await verifiedFor(db, CLINIC, ['patient-ravi'])).get('patient-ravi')).toHaveLength(1);
    // The sweep made Ravi a pending link for Sita's ABHA before reception saw the mistake.
    await db.insert(abdmCareContextLinks).values({ clinicId: CLINIC, reference: 'visit-ravi', patientId: 'patient-ravi', abhaAddress: 'sita.devi@sbx', via: 'hip', state: 'pending' });
    await db.update(rows).set({ data: data('patient-sita'), seq: 2 }).where(eq(rows.rowId, share));
    await bindVerifications(db, CLINIC);
    const verified = await verifiedFor(db, CLINIC, ['patient-ravi', 'patient-sita']);
    expect(verified.get('patient-ravi')).toBeUndefined();
    expect(verified.get('patient-sita')).toMatchObject([{ abhaAddress: 'sita.devi@sbx', abhaNumber: '91123456789012', method: 'scan-share', shareId: share }]);
    const [link] = await db.select().from(abdmCareContextLinks).where(eq(abdmCareContextLinks.reference, 'visit-ravi'));
    expect(link).toMatchObject({ state: 'failed', lastError: expect.stringContaining('moved to another patient') });
  });
});
