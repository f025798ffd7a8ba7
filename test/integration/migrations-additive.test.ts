import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appliedMigrations } from '../../db/open';
import { SYNCED_TABLES } from '../../db/sync-tables';
import { applyAllowList, checkSql, compareShapes, formatFindings, type AllowedChange, type TaggedFinding } from '../helpers/additive';
import { migrateTo, migrationSql, migrationTags, readShapes, type TableShape } from '../helpers/migrations';
import { tempDir } from '../helpers/temp';

/**
 * Synced tables change only additively (expand, then contract once no workstation runs the old
 * version): workstations on different app versions exchange their rows through the server. Every
 * migration after the one that created change_log is checked twice, by reading its SQL and by
 * migrating a real database one step at a time and comparing what SQLite reports. The same rule,
 * SQL only, holds for the server's PostgreSQL migrations: devices push to whichever server build
 * is running, and going back to the previous build must still find its columns.
 */

/**
 * Non-additive changes judged safe. Each names the migration, table and kinds of change it covers,
 * so anything else in the same migration is still caught, and says why it is safe for a
 * workstation that has not upgraded yet. An entry nothing matches fails the test (no stale passes).
 */
const ALLOWED: readonly AllowedChange[] = [
  {
    migration: '0016_refund_advance',
    table: 'refunds',
    kinds: ['rebuild', 'not-null-dropped'],
    reason:
      // Checked: the rebuild copies all 13 columns by name with the same types, keeps the primary
      // key and recreates the insert-only triggers and indexes (test/integration/migrations/
      // 0016-refund-advance.test.ts). The only change is invoice_id losing NOT NULL.
      'SQLite can drop NOT NULL only by rebuilding the table; the copy keeps every column, row, index ' +
      'and trigger. Loosening lets every row an older workstation writes in, and the nulls come only ' +
      'from advance refunds, which only 0016+ writes: a workstation still at 0015 pulling one cannot ' +
      'store it: apply.ts holds its pull right before that row (the rows before it are in), shows ' +
      '"Sync is held up ... update this app", keeps pushing, and applies it once upgraded; 0015 ' +
      'builds that skipped such a row re-read refunds by the checksum comparison once upgraded.',
  },
  {
    migration: '0040_nifty_mikhail_rasputin',
    table: 'lab_orders',
    kinds: ['unique-added'],
    reason:
      // Sample ids come from each desk's own never-reused series (S/<desk letter>/000001), so no two
      // rows hold the same one unless two desks share a series; the server refuses that (db/sync-unique.ts).
      'Sample ids are from a desk-letter series and never repeat; a duplicate is the bug this index stops.',
  },
];

const SYNCED = new Set(Object.keys(SYNCED_TABLES));
const isSynced = (table: string) => SYNCED.has(table);
const TAGS = migrationTags();

/** The migration that created change_log: from the next one on, rows may meet other versions. */
const SYNC_START = TAGS.findIndex((tag) => /CREATE TABLE\s+[`"]?change_log\b/i.test(migrationSql(tag)));

describe('migrations of synced tables are additive only', () => {
  it('starts after the migration that created change_log', () => {
    // 0000 already recorded every write in change_log; the engine that sends it came with 0014.
    // Guarding from 0001 on is the stricter choice and the history passes it.
    expect(TAGS[SYNC_START]).toBe('0000_foundation');
    expect(SYNC_START).toBeLessThan(TAGS.length - 1);
  });

  it('by their SQL: no drop, rename, type change, rebuild, NOT NULL without default, unique index or row rewrite', () => {
    const findings: TaggedFinding[] = TAGS.slice(SYNC_START + 1).flatMap((tag) => checkSql(migrationSql(tag), isSynced).map((f) => ({ ...f, migration: tag })));
    const { violations, unused } = applyAllowList(findings, ALLOWED);
    expect(formatFindings(violations)).toBe('');
    expect(unused.map((u) => u.migration)).toEqual([]);
    // The one rebuild is there and allowed, so the check does see it.
    expect(findings.map((f) => `${f.migration} ${f.kind} ${f.table}`)).toEqual(['0016_refund_advance rebuild refunds', '0040_nifty_mikhail_rasputin unique-added lab_orders']);
  });

  it('by their effect: step by step, no synced table or column disappears, changes type or tightens', () => {
    const file = path.join(tempDir(), 'clinic.db');
    const tables = [...SYNCED];
    const findings: TaggedFinding[] = [];
    let before: Record<string, TableShape> = {};
    for (let i = 0; i < TAGS.length; i++) {
      const opened = migrateTo(file, i);
      try {
        expect(appliedMigrations(opened.sqlite).count).toBe(i + 1);
        const after = readShapes(opened.sqlite, tables);
        if (i > SYNC_START) findings.push(...compareShapes(before, after).map((f) => ({ ...f, migration: TAGS[i]! })));
        before = after;
      } finally {
        opened.sqlite.close();
      }
    }
    // Every synced table exists by the end, so none escaped the comparison by its name.
    expect(Object.keys(before).sort()).toEqual(tables.sort());
    const { violations, unused } = applyAllowList(findings, ALLOWED);
    expect(formatFindings(violations)).toBe('');
    expect(unused.map((u) => u.migration)).toEqual([]);
    expect(findings.map((f) => `${f.migration} ${f.kind} ${f.table}.${f.column}`)).toEqual(['0016_refund_advance not-null-dropped refunds.invoice_id', '0040_nifty_mikhail_rasputin unique-added lab_orders.sample_id']);
  });
});

describe('the guard', () => {
  it('fails on a bad migration run on a real database (both checks)', () => {
    const file = path.join(tempDir(), 'clinic.db');
    const opened = migrateTo(file, TAGS.length - 1);
    const bad = [
      'ALTER TABLE `patients` DROP COLUMN `alternate_phone`;',
      'ALTER TABLE `drugs` RENAME COLUMN `pack_size` TO `pack`;',
      'DROP TRIGGER `refunds_no_delete`;',
      'CREATE UNIQUE INDEX `patients_mobile_uq` ON `patients` (`mobile`);',
    ].join('--> statement-breakpoint\n');
    try {
      const before = readShapes(opened.sqlite, [...SYNCED]);
      opened.sqlite.exec(bad.replaceAll('--> statement-breakpoint', ''));
      const after = readShapes(opened.sqlite, [...SYNCED]);
      expect(compareShapes(before, after).map((f) => `${f.kind} ${f.table}${f.column ? `.${f.column}` : ''}`)).toEqual([
        'column-gone patients.alternate_phone',
        'unique-added patients.mobile',
        'column-gone drugs.pack_size',
        'trigger-gone refunds',
      ]);
    } finally {
      opened.sqlite.close();
    }
    // Dropping a trigger is caught by its effect only: the SQL cannot tell which table it was on.
    expect(checkSql(bad, isSynced).map((f) => `${f.kind} ${f.table}`)).toEqual(['drop-column patients', 'rename-column drugs', 'unique-added patients']);
  });
});

describe("the server's PostgreSQL migrations are additive only", () => {
  const folder = path.join('server', 'db', 'migrations');
  const journal = JSON.parse(fs.readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };

  it('by their SQL, on every table', () => {
    const findings: TaggedFinding[] = journal.entries
      .slice(1)
      .flatMap(({ tag }) => checkSql(fs.readFileSync(path.join(folder, `${tag}.sql`), 'utf8'), () => true, 'postgres').map((f) => ({ ...f, migration: tag })));
    expect(journal.entries.length).toBeGreaterThan(1);
    expect(formatFindings(findings)).toBe('');
  });
});
