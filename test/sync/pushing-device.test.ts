import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { formatHlc } from '../../shared/hlc';
import type { Change } from '../../shared/sync-protocol';
import { startSyncServer } from '../helpers/sync';
import { changeSigner } from '../../electron/services/signing-keys';
import { connectAs, converge, credentialsOf, keyOf, register, serverRows, setupClinic, signed, STAFF, type Desk } from './harness';

/*
 * Columns that name a workstation (every row's device_id, the desk that issued a number, a day-end's
 * workstation, the series letter in a number) are checked against the desk that pushes the change:
 * an enrolled desk cannot claim another desk wrote a row, nor hand out numbers in its series.
 */
describe('columns naming a desk must name the desk that pushes', () => {
  it('a desk claiming another desk wrote a row, or numbering in its series, is refused with a reason shown on its Sync screen; the other desk never sees it', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, staff } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    expect(B.c.ok('sync.status', {}, B.admin).seriesPrefix).toBe('B');
    // Through the app, an enrolled desk cannot take up another series either.
    const retitled = B.c.call('settings.setWorkstation', { seriesPrefix: 'A' }, B.admin);
    expect(retitled.ok || retitled.error.fields).toEqual({ seriesPrefix: 'Given by the sync server (B)' });
    expect(B.c.ok('settings.workstation', {}, B.admin).seriesPrefix).toBe('B');
    const kiranA = A.c.login(STAFF.kiran.username, STAFF.kiran.password);
    const patientId = register(A, 'Seriespatient', 1);
    const consult = { kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 50_000 };
    const draft = A.c.ok('billing.createInvoice', { patientId, lines: [consult] }, kiranA);
    await converge(server, clinicId, [A.c, B.c]);
    const draftRow = B.c.app.database.sqlite.prepare('SELECT totals FROM invoices WHERE id = ?').get(draft.id) as { totals: string | null };
    expect(draftRow).toBeDefined();

    const aId = A.c.app.deviceId;
    const bId = B.c.app.deviceId;
    const kiran = changeSigner(staff.kiran, keyOf(B.c, staff.kiran, STAFF.kiran.password));
    const rita = changeSigner(staff.rita, keyOf(B.c, staff.rita, STAFF.rita.password));
    let counter = 0;
    const change = (table: string, rowId: string, op: Change['op'], columns: Record<string, unknown>, signer = kiran): Change => {
      const hlc = formatHlc({ wallMs: Date.now(), counter: counter++, deviceId: bId });
      return signed({ id: uuidv7(), seq: counter, table, rowId, op, columns: { ...columns, hlc }, hlc, userId: signer.userId }, signer);
    };
    const today = new Date().toISOString().slice(0, 10);
    const payment = (id: string, device: string, receipt: string) => ({
      id, created_at: 1, updated_at: 1, device_id: device, deleted_at: null, invoice_id: null, patient_id: patientId, mode: 'cash',
      amount_paise: 10_000, reference: null, received_by: staff.kiran, received_on: today, receipt_number: receipt,
    });
    const forgedPayment = uuidv7();
    const ownPayment = uuidv7();
    const forgedIssue = uuidv7();
    const totals = { totalPaise: 50_000 };
    const attempts: [string, Change, 'applied' | 'rejected', RegExp | null][] = [
      ['an advance said to be taken at desk A', change('payments', forgedPayment, 'insert', payment(forgedPayment, aId, 'R/2627/A/000099')), 'rejected', /^payments\.device_id names another workstation/],
      ['an advance taken at desk B itself', change('payments', ownPayment, 'insert', payment(ownPayment, bId, 'R/2627/B/000099')), 'applied', null],
      [
        "a number in desk A's series, issued at B",
        change('invoice_issues', forgedIssue, 'insert', {
          id: forgedIssue, created_at: 1, updated_at: 1, device_id: bId, deleted_at: null, invoice_id: draft.id, invoice_number: '2627/A/000777',
          financial_year: '2026-27', series: 'A', issued_device_id: bId, issued_on: today, issued_at: Date.now(), issued_by: staff.kiran, total_paise: 50_000, totals,
        }),
        'rejected',
        /^invoice_issues\.series "A" is not in this workstation's number series \(B\)/,
      ],
      [
        "the draft issued at B with a number of desk A's series",
        change('invoices', draft.id, 'update', {
          status: 'issued', invoice_number: '2627/A/000777', financial_year: '2026-27', totals, issued_at: Date.now(), issued_by: staff.kiran, issued_device_id: bId, issued_on: today, device_id: bId,
        }),
        'rejected',
        /^invoices\.invoice_number "2627\/A\/000777" is not in this workstation's number series \(B\)/,
      ],
      ['the draft said to be issued by desk A', change('invoices', draft.id, 'update', { issued_device_id: aId, device_id: bId }), 'rejected', /^invoices\.issued_device_id names another workstation/],
      ['an edit of the patient said to be made at desk A', change('patients', patientId, 'update', { family_name: 'Forged', device_id: aId }, rita), 'rejected', /names another workstation/],
    ];
    const client = await connectAs(server.url, credentialsOf(B.c));
    const ack = await client.push(attempts.map(([, c]) => c));
    client.close();
    if (!ack.ok) throw new Error(ack.message);
    attempts.forEach(([what, , status, reason], i) => {
      const result = ack.results[i]!;
      expect({ what, status: result.status }).toEqual({ what, status });
      if (reason) expect(result.reason, what).toMatch(reason);
    });

    // The same forgery from B's own outbox (a tampered build): refused, and listed with its reason.
    const sqliteB = B.c.app.database.sqlite;
    const outboxForgery = uuidv7();
    const c = change('payments', outboxForgery, 'insert', payment(outboxForgery, aId, 'R/2627/A/000100'));
    sqliteB
      .prepare('INSERT INTO change_log (id, table_name, row_id, op, columns, hlc, user_id, sig, key_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(c.id, c.table, c.rowId, c.op, JSON.stringify(c.columns), c.hlc, c.userId, c.sig ?? null, c.keyId ?? null);
    await converge(server, clinicId, [A.c, B.c]);
    const listed = B.c.ok('sync.outbox', { kind: 'rejected' }, B.admin);
    expect(listed.map((r) => [r.id, r.reason])).toEqual([[c.id, 'payments.device_id names another workstation: a desk records only what it did itself']]);

    // Desk A (and the server) hold none of it: the draft is still a draft, no number of A's series was taken.
    const onA = A.c.app.database.sqlite;
    expect(onA.prepare('SELECT count(*) FROM payments WHERE id IN (?, ?)').pluck().get(forgedPayment, outboxForgery)).toBe(0);
    expect(onA.prepare('SELECT device_id FROM payments WHERE id = ?').pluck().get(ownPayment)).toBe(bId);
    expect(onA.prepare('SELECT status, invoice_number, issued_device_id FROM invoices WHERE id = ?').get(draft.id)).toEqual({ status: 'draft', invoice_number: null, issued_device_id: null });
    expect(onA.prepare('SELECT count(*) FROM invoice_issues').pluck().get()).toBe(0);
    expect(A.c.ok('patients.get', { id: patientId }, A.admin).patient.familyName).not.toBe('Forged');
    expect((await serverRows(server.database.db, clinicId, 'invoice_issues')).length).toBe(0);
  }, 90_000);
});
