import { describe, expect, it } from 'vitest';
import { ADMIN, makeClinic } from '../helpers/app';

const DAY = 86_400_000;

/** Three days of activity by two people and one stranger, each on its own day. */
function history() {
  const c = makeClinic();
  const day1 = c.clock.now;
  c.call('auth.login', { username: 'Ghost', password: 'guessing' });
  const admin = c.login('admin', ADMIN.password);
  c.ok('staff.create', { username: 'rita', fullName: 'Rita Dsouza', password: 'rita-pass-1', roles: ['receptionist'] }, admin);
  c.clock.now += DAY;
  const day2 = c.clock.now;
  const rita = c.login('rita', 'rita-pass-1');
  c.ok('patients.register', { patient: { givenName: 'Farhan', familyName: 'Shaikh', gender: 'male', ageYears: 42, city: 'Pune' } }, rita);
  c.clock.now += DAY;
  const day3 = c.clock.now;
  const admin3 = c.login('admin', ADMIN.password);
  return { c, admin: admin3, day1, day2, day3 };
}

describe('audit.list filters by user and date', () => {
  it('finds one person by username, whatever the case, including failed logins of unknown names', () => {
    const { c, admin } = history();
    const rita = c.ok('audit.list', { username: 'RITA' }, admin);
    expect(rita.rows.length).toBeGreaterThanOrEqual(2);
    expect(new Set(rita.rows.map((r) => r.username))).toEqual(new Set(['rita']));
    expect(rita.rows.map((r) => r.action)).toEqual(expect.arrayContaining(['auth.login', 'patients.register']));

    // Nobody called "ghost" exists, so there is no user id to filter by; the name still finds it.
    const ghost = c.ok('audit.list', { username: ' ghost ' }, admin);
    expect(ghost.rows).toHaveLength(1);
    expect(ghost.rows[0]).toMatchObject({ action: 'auth.login', outcome: 'failed', userId: null });

    expect(c.ok('audit.list', { username: 'nobody' }, admin).rows).toEqual([]);
  });

  it('keeps to a time range, combined with the other filters', () => {
    const { c, admin, day1, day2, day3 } = history();
    const second = c.ok('audit.list', { from: day2, to: day3 - 1 }, admin);
    expect(second.rows.length).toBeGreaterThan(0);
    expect(second.rows.every((r) => r.at >= day2 && r.at < day3)).toBe(true);
    expect(second.rows.map((r) => r.action)).toContain('patients.register');
    expect(second.rows.map((r) => r.action)).not.toContain('staff.create');

    const adminLoginsBefore = c.ok('audit.list', { username: 'admin', action: 'auth.login', to: day2 - 1 }, admin);
    expect(adminLoginsBefore.rows).toHaveLength(1);
    expect(adminLoginsBefore.rows[0]!.at).toBeGreaterThanOrEqual(day1);
  });

  it('refuses a range that ends before it starts, and an empty username, naming the field', () => {
    const { c, admin, day2 } = history();
    expect(c.call('audit.list', { from: day2, to: day2 - 1 }, admin)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', fields: { to: expect.any(String) } },
    });
    expect(c.call('audit.list', { username: '  ' }, admin)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', fields: { username: 'Username is required' } },
    });
  });

  it('stays admin-only with the new filters', () => {
    const { c } = history();
    const rita = c.login('rita', 'rita-pass-1');
    expect(c.call('audit.list', { username: 'rita' }, rita)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('audit.list pages', () => {
  it('pages through rows written in the same millisecond without skipping or repeating one', () => {
    const c = makeClinic();
    const admin = c.login('admin', ADMIN.password);
    // The test clock stands still: every row below shares one millisecond.
    for (let i = 0; i < 7; i++) c.ok('patients.register', { patient: { givenName: `Same${i}`, familyName: 'Instant', gender: 'female', ageYears: 30 + i } }, admin);
    const rows = c.ok('audit.list', { limit: 500 }, admin).rows;
    expect(new Set(rows.map((r) => r.at)).size).toBeLessThan(rows.length / 2);
    const all = rows.map((r) => r.id);
    const paged: string[] = [];
    let cursor: { at: number; id: string } | undefined;
    for (;;) {
      const page = c.ok('audit.list', { limit: 3, ...(cursor ? { before: cursor.at, beforeId: cursor.id } : {}) }, admin);
      paged.push(...page.rows.map((r) => r.id));
      const oldest = page.rows.at(-1);
      if (!page.hasMore || !oldest) break;
      cursor = { at: oldest.at, id: oldest.id };
    }
    expect(paged).toEqual(all);
    expect(new Set(paged).size).toBe(all.length);
  });
});
