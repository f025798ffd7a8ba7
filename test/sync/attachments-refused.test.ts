import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AttachmentTransfer } from '../../electron/sync/attachment-transfer';
import { ATTACHMENT_STATUS_EVENT } from '../../shared/attachments';
import { fileInput, makePdf } from '../helpers/attachment-files';
import { startSyncServer, waitFor } from '../helpers/sync';
import { register, setupClinic, type Desk } from './harness';

/**
 * A desk whose attachment record the server refused (here: a record whose columns no longer match
 * its author's signature, as a forged record would) has nothing to upload until someone deals with
 * the refusal on the Sync screen. It must not ask the server about that file again and again: the
 * quick retry is for a record still on its way, not for one the server said no to.
 */

describe('attachments: a record the server refused', () => {
  it('is asked about once per round, not on the quick retry', async () => {
    const server = await startSyncServer();
    const { devices } = await setupClinic(server, { devices: 1 });
    const [A] = devices as [Desk];
    const patientId = register(A, 'Refused', 1);
    await A.c.app.sync.syncNow();

    const pdf = makePdf('REFUSED', 3000);
    const sha = createHash('sha256').update(pdf).digest('hex');
    const sqlite = A.c.app.database.sqlite;
    // Offline while the record is forged: a local write starts a push at once.
    await server.stop();
    const added = A.c.ok('attachments.add', { patientId, kind: 'lab_report', title: 'CBC', documentDate: '2026-11-20', ...fileInput(A.c, A.admin, pdf) }, A.admin);
    // Forged before it leaves the desk: the record now says someone else made it, and the author's
    // signature no longer covers its columns.
    const otherUser = sqlite.prepare("SELECT id FROM users WHERE username <> 'admin' LIMIT 1").pluck().get() as string;
    sqlite
      .prepare("UPDATE change_log SET columns = json_set(columns, '$.made_by', ?) WHERE table_name = 'attachments' AND row_id = ?")
      .run(otherUser, added.id);
    await server.start();
    const rejected = () => sqlite.prepare("SELECT rejected_at FROM change_log WHERE table_name = 'attachments' AND row_id = ?").pluck().get(added.id);
    await waitFor(() => rejected() !== null, 'the server to refuse the forged record', 60_000);

    // A transfer on the desk's own database and connection, counting what it asks the server, with a
    // quick retry of 1 ms: were the refused record taken for one still on its way, it would ask again
    // within the round trips below.
    let asked = 0;
    const transfer = new AttachmentTransfer({
      sqlite,
      ask: (event, payload) => {
        if (event === ATTACHMENT_STATUS_EVENT && (payload as { sha256: string }).sha256 === sha) asked++;
        return A.c.app.sync.ask(event, payload);
      },
      retryMs: 1,
      everyMs: 3_600_000,
    });
    transfer.start();
    await transfer.settle();
    expect(asked).toBe(1);
    for (let i = 0; i < 5; i++) await A.c.app.sync.ask(ATTACHMENT_STATUS_EVENT, { sha256: '0'.repeat(64) });
    expect(asked, 'asked again about a refused record on the quick retry').toBe(1);
    // The refusal is kept for the Sync screen.
    expect(transfer.counts.lastError).toMatch(/No attachment record/);
    transfer.stop();
  }, 120_000);
});
