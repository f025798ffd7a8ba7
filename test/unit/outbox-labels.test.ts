import { describe, expect, it } from 'vitest';
import { formatHlc } from '../../shared/hlc';
import { changedAt, changeLabel, recordLabel } from '../../renderer/src/sync/outbox-labels';

describe('the Sync screen names changes as staff would', () => {
  it('names every synced table, and says when in the clinic’s time', async () => {
    const { SYNCED_TABLES } = await import('../../db/sync-tables');
    // A table added to sync without a name here would show up raw ("doctor_leaves") on the screen.
    for (const table of Object.keys(SYNCED_TABLES)) expect(recordLabel(table), table).not.toBe(table);
    expect(recordLabel('patients')).toBe('Patient');
    expect(changeLabel('insert')).toBe('new');
    expect(changeLabel('update')).toBe('changed');
    // 2026-11-21 03:17 UTC is 08:47 in India.
    const stamp = formatHlc({ wallMs: Date.UTC(2026, 10, 21, 3, 17), counter: 0, deviceId: 'dev' });
    expect(changedAt(stamp, 'Asia/Kolkata')).toBe('21 Nov, 08:47');
    expect(changedAt('not a stamp', 'Asia/Kolkata')).toBe('—');
  });
});
