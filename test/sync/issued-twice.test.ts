import { describe, expect, it } from 'vitest';
import { startSyncServer } from '../helpers/sync';
import { converge, localIds, register, serverRows, setupClinic } from './harness';

/**
 * Numbers are events: a number handed out stays handed out. The same draft issued at two desks
 * while offline gets a number on each; after sync every desk keeps both (one voided, with the
 * reason), the GST series of each desk has no gap, and the double payment shows as a credit.
 */
describe('the same draft issued at two desks while offline', () => {
  it('keeps both numbers everywhere (one voided as issued twice), lists both in the day-ends, and shows the ₹500 paid twice as a credit', async () => {
    const server = await startSyncServer();
    const { clinicId, devices } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [(typeof devices)[0], (typeof devices)[0]];
    const patientId = register(A, 'Twicebilled', 1);
    const draft = A.c.ok(
      'billing.createInvoice',
      { patientId, lines: [{ kind: 'procedure', description: 'Wound dressing', quantity: 1, ratePaise: 50_000 }] },
      A.admin,
    );
    await converge(server, clinicId, [A.c, B.c]);

    await A.c.app.sync.stop();
    await B.c.app.sync.stop();
    // Each desk issues the draft and takes the full ₹500: neither can know of the other.
    const numberA = A.c.ok('billing.issueInvoice', { invoiceId: draft.id }, A.admin).invoiceNumber!;
    const numberB = B.c.ok('billing.issueInvoice', { invoiceId: draft.id }, B.admin).invoiceNumber!;
    expect(numberA).toMatch(/^\d{4}\/A\/000001$/);
    expect(numberB).toMatch(/^\d{4}\/B\/000001$/);
    for (const d of [A, B]) d.c.ok('billing.recordPayment', { invoiceId: draft.id, parts: [{ mode: 'cash', amountPaise: 50_000 }] }, d.admin);
    A.c.app.sync.start();
    B.c.app.sync.start();
    await converge(server, clinicId, [A.c, B.c]);

    // Every desk agrees which number the bill keeps, and still shows the other, voided, with why.
    const views = [A, B].map((d) => d.c.ok('billing.invoice', { invoiceId: draft.id }, d.admin));
    const kept = views[0]!.invoiceNumber!;
    const voided = kept === numberA ? numberB : numberA;
    expect([numberA, numberB]).toContain(kept);
    for (const v of views) {
      expect(v.invoiceNumber).toBe(kept);
      expect(v.issues.numbers.map((n) => [n.invoiceNumber, n.state, n.voidReason]).sort()).toEqual(
        [
          [kept, 'kept', null],
          [voided, 'voided', 'issued twice while offline'],
        ].sort(),
      );
      expect(v.issues.issuedTwice).toEqual({ kept, voided: [voided] });
      expect(v.issues.notice).toBe(`This bill was issued twice while offline: ${voided} voided, ${kept} kept.`);
      // Both payments are kept; the ₹500 paid beyond the total is a credit, not a negative due.
      expect(v).toMatchObject({ totals: { totalPaise: 50_000 }, paidPaise: 100_000, balancePaise: 0, creditPaise: 50_000, statusLabel: 'paid' });
      expect(v.creditNotice).toBe('Credit ₹500.00: refund it or keep it as advance');
    }
    // Nothing is left "refused" on either desk (the header would stay red for an outcome the bill
    // explains); the desk whose number was voided has it among the changes flagged for checking.
    for (const [d, own] of [
      [A, numberA],
      [B, numberB],
    ] as const) {
      expect(d.c.ok('sync.status', {}, d.admin).rejected).toBe(0);
      const flagged = d.c.ok('sync.outbox', { kind: 'flagged', limit: 100 }, d.admin);
      expect(JSON.stringify(flagged).includes(`Issued twice while offline: ${own} is void and the bill keeps ${kept}`)).toBe(own === voided);
    }

    // Both issue events are on both desks and on the server, once each.
    const issueIds = localIds(A.c, 'invoice_issues');
    expect(issueIds).toHaveLength(2);
    expect(new Set(localIds(B.c, 'invoice_issues'))).toEqual(new Set(issueIds));
    expect(new Set((await serverRows(server.database.db, clinicId, 'invoice_issues')).map((r) => r.rowId))).toEqual(new Set(issueIds));

    // The patient's billing summary shows the credit on both desks.
    for (const d of [A, B]) {
      expect(d.c.ok('billing.advance', { patientId }, d.admin).credits).toEqual([
        { invoiceId: draft.id, invoiceNumber: kept, creditPaise: 50_000, notice: 'Credit ₹500.00: refund it or keep it as advance' },
      ]);
    }

    // Each desk's day-end lists its own number (the GST series has no gap), the voided one among the voided.
    for (const [d, own] of [
      [A, numberA],
      [B, numberB],
    ] as const) {
      const today = d.c.ok('billing.invoice', { invoiceId: draft.id }, d.admin).issues.numbers.find((n) => n.invoiceNumber === own)!.issuedOn!;
      const day = d.c.ok('billing.dayEnd', { date: today, openingCashPaise: 0, denominations: {}, close: false }, d.admin);
      expect(day.invoicesIssued.numbers).toEqual([own]);
      expect(day.invoicesVoided.numbers).toEqual(own === voided ? [voided] : []);
      expect(day.issuedTwice).toEqual(own === voided ? [{ number: voided, reason: 'issued twice while offline' }] : []);
      expect(day.credits).toMatchObject({ count: 1, totalPaise: 50_000, invoices: [{ invoiceNumber: kept, creditPaise: 50_000 }] });
    }
  }, 60_000);
});
