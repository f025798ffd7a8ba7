import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../server/db/schema';
import { makeDevice, enrol, startSyncServer } from '../helpers/sync';
import { converge, localIds, register, setupClinic, type Desk } from './harness';

describe('a desk catching up', () => {
  it('applies each pulled page in slices, with the app answering in between, and ends with every row and the cursor saved', async () => {
    const server = await startSyncServer();
    const { clinicId, devices } = await setupClinic(server, { devices: 1 });
    const [A] = devices as [Desk];
    const ids = Array.from({ length: 400 }, (_, n) => register(A, 'Catchup', n));
    await A.c.app.sync.syncNow();

    // A new desk joins and pulls the clinic, a page of 200 rows at a time. Meanwhile the "app"
    // (a callback that runs whenever the event loop is free) counts the patients it can see.
    // Slices of at most ~0.5 ms: on a fast, quiet machine a whole page of 200 rows fits in the
    // default 8 ms, and the test would see whole pages however the apply is cut.
    const B = makeDevice({ sliceMs: 0.5 });
    const seen: string[] = [];
    const cursorNow = B.app.database.sqlite.prepare("SELECT value FROM local_meta WHERE key = 'sync.pullCursor'").pluck();
    let watching = true;
    const watch = () => {
      const c = cursorNow.get() as string | undefined;
      if (c !== undefined && c !== seen.at(-1)) seen.push(c);
      if (watching) setImmediate(watch);
    };
    watch();
    try {
      await enrol(B, server.url, await server.enrolmentCode(clinicId, 'Desk B'));
      await converge(server, clinicId, [A.c, B]);
    } finally {
      watching = false;
    }

    expect(localIds(B, 'patients')).toEqual(expect.arrayContaining(ids));
    // The cursor moved on many times more often than once a page: each slice saved it with its
    // rows, and the app had a turn after each.
    const [total] = await server.database.db.select({ n: sql<number>`count(*)::int` }).from(rows).where(eq(rows.clinicId, clinicId));
    const n = total?.n ?? 0;
    expect(seen.length).toBeGreaterThan(2 * Math.ceil(n / 200));
    expect(Number(cursorNow.get())).toBe(await server.store.cursorOf(clinicId));
  }, 240_000);
});
