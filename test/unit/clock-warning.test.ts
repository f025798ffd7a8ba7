import { describe, expect, it } from 'vitest';
import { clockWarning, describeSkew } from '../../renderer/src/sync/clock';
import { businessDateWarning } from '../../server/clinic-devices';
import { formatHlc } from '../../shared/hlc';

const MIN = 60_000;
const DAY = 1440 * MIN;

describe('clock warnings', () => {
  it('the header says how far this computer’s clock is off, only beyond 2 minutes', () => {
    expect(clockWarning(DAY + 3 * MIN)).toBe(
      "This computer's clock is 1 day 3 min ahead of the server. Fix the date and time: dates on bills and the queue use it.",
    );
    expect(clockWarning(-(2 * DAY + 5 * 60 * MIN))).toMatch(/^This computer's clock is 2 days 5 h behind the server\./);
    expect(clockWarning(2 * MIN)).toBeNull();
    expect(clockWarning(-90_000)).toBeNull();
    expect(clockWarning(null)).toBeNull();
    expect(describeSkew(7 * MIN)).toBe('7 min');
  });

  it('the server flags a business date after its own date in the clinic’s zone, and appointments only from a clock ahead', () => {
    // 2026-12-06 20:00 UTC is already 2026-12-07 01:30 in India.
    const serverNow = Date.UTC(2026, 11, 6, 20, 0);
    const change = (table: string, columns: Record<string, unknown>, wallMs = serverNow) => ({
      id: 'c', seq: 1, table, rowId: 'r', op: 'insert' as const, columns, hlc: formatHlc({ wallMs, counter: 0, deviceId: 'd' }), userId: 'u',
    });
    expect(businessDateWarning(change('payments', { received_on: '2026-12-07' }), serverNow, 'Asia/Kolkata')).toBeNull();
    expect(businessDateWarning(change('payments', { received_on: '2026-12-08' }), serverNow, 'Asia/Kolkata')).toBe(
      "Dated 2026-12-08, after the server's date 2026-12-07: check this computer's clock",
    );
    expect(businessDateWarning(change('payments', { received_on: '2026-12-07' }), serverNow, 'UTC')).toMatch(/^Dated 2026-12-07, after the server's date 2026-12-06/);
    for (const [table, column] of [['visits', 'date'], ['refunds', 'refunded_on'], ['invoices', 'issued_on']] as const) {
      expect(businessDateWarning(change(table, { [column]: '2026-12-09' }), serverNow, 'Asia/Kolkata')).toMatch(/^Dated 2026-12-09/);
    }
    // A booking for next week is normal; from a clock a day ahead, a booking for "today" is flagged.
    expect(businessDateWarning(change('appointments', { date: '2026-12-14' }), serverNow, 'Asia/Kolkata')).toBeNull();
    expect(businessDateWarning(change('appointments', { date: '2026-12-08' }, serverNow + DAY), serverNow, 'Asia/Kolkata')).toMatch(/^Dated 2026-12-08/);
    // Other tables and changes without the date are not looked at.
    expect(businessDateWarning(change('patients', { dob: '2030-01-01' }), serverNow, 'Asia/Kolkata')).toBeNull();
    expect(businessDateWarning(change('invoices', { notes: 'x' }), serverNow, 'Asia/Kolkata')).toBeNull();
  });
});
