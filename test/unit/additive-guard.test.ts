import { describe, expect, it } from 'vitest';
import { applyAllowList, checkSql, compareShapes, splitStatements, type TaggedFinding } from '../helpers/additive';
import type { TableShape } from '../helpers/migrations';

/**
 * The guard of test/integration/migrations-additive.test.ts passes on the real migrations; these
 * prove it would fail: each deliberately bad migration must be reported, each harmless one not.
 */

const SYNCED = new Set(['patients', 'refunds', 'invoices', 'rows']);
const synced = (t: string) => SYNCED.has(t);
const kinds = (sql: string, dialect: 'sqlite' | 'postgres' = 'sqlite') => checkSql(sql, synced, dialect).map((f) => `${f.kind} ${f.table}${f.column ? `.${f.column}` : ''}`);
const BP = '--> statement-breakpoint\n';

describe('splitStatements', () => {
  it('splits at breakpoints and semicolons, keeping trigger bodies, quotes and dollar bodies whole', () => {
    const sql = [
      "-- a comment; with a semicolon\nALTER TABLE `patients` ADD `x` text DEFAULT 'a;b';",
      "CREATE TRIGGER t BEFORE UPDATE ON refunds BEGIN SELECT CASE WHEN 1 THEN RAISE(ABORT, 'no;') END; SELECT 1; END;",
      'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql; /* trailing; */',
    ].join(BP);
    expect(splitStatements(sql)).toEqual([
      "ALTER TABLE `patients` ADD `x` text DEFAULT 'a;b'",
      "CREATE TRIGGER t BEFORE UPDATE ON refunds BEGIN SELECT CASE WHEN 1 THEN RAISE(ABORT, 'no;') END; SELECT 1; END",
      'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql',
    ]);
  });
});

describe('checkSql (SQLite)', () => {
  it('reports dropping a column of a synced table', () => {
    expect(kinds('ALTER TABLE `patients` DROP COLUMN `mobile`;')).toEqual(['drop-column patients.mobile']);
    expect(kinds('alter table patients drop mobile')).toEqual(['drop-column patients.mobile']);
  });

  it('reports dropping and renaming synced tables and columns', () => {
    expect(kinds('DROP TABLE IF EXISTS `refunds`;')).toEqual(['drop-table refunds']);
    expect(kinds('ALTER TABLE `patients` RENAME TO `people`;')).toEqual(['rename-table patients']);
    expect(kinds('ALTER TABLE "patients" RENAME COLUMN "mobile" TO "phone";')).toEqual(['rename-column patients.mobile']);
  });

  it('reports a new NOT NULL column without a default, and not one with a default or nullable', () => {
    expect(kinds('ALTER TABLE `invoices` ADD `branch` text NOT NULL;')).toEqual(['not-null-without-default invoices.branch']);
    expect(kinds("ALTER TABLE `invoices` ADD `branch` text DEFAULT 'main' NOT NULL;")).toEqual([]);
    expect(kinds('ALTER TABLE `invoices` ADD `branch` text;')).toEqual([]);
    // A default that merely says "NOT NULL" is not the constraint.
    expect(kinds("ALTER TABLE `invoices` ADD `note` text DEFAULT 'NOT NULL';")).toEqual([]);
  });

  it('reports the drizzle-kit table rebuild once, as a rebuild', () => {
    const rebuild = [
      'PRAGMA foreign_keys=OFF;',
      'CREATE TABLE `__new_refunds` (`id` text PRIMARY KEY NOT NULL, `invoice_id` text);',
      'INSERT INTO `__new_refunds`("id", "invoice_id") SELECT "id", "invoice_id" FROM `refunds`;',
      'DROP TABLE `refunds`;',
      'ALTER TABLE `__new_refunds` RENAME TO `refunds`;',
      'PRAGMA foreign_keys=ON;',
    ].join(BP);
    expect(kinds(rebuild)).toEqual(['rebuild refunds']);
  });

  it('reports changing or removing existing rows of a synced table, not inserting new ones', () => {
    expect(kinds("UPDATE patients SET mobile = NULL WHERE mobile = '';")).toEqual(['rows-changed patients']);
    expect(kinds('DELETE FROM `refunds`;')).toEqual(['rows-changed refunds']);
    expect(kinds("INSERT OR REPLACE INTO patients (id) VALUES ('a');")).toEqual(['rows-changed patients']);
    expect(kinds("INSERT INTO patients (id) VALUES ('a') ON CONFLICT (id) DO UPDATE SET id = excluded.id;")).toEqual(['rows-changed patients']);
    expect(kinds("INSERT INTO patients (id) VALUES ('a');")).toEqual([]);
  });

  it('reports a unique index added to an existing synced table, not one on a table made in the same migration', () => {
    expect(kinds('CREATE UNIQUE INDEX `patients_mobile_uq` ON `patients` (`mobile`);')).toEqual(['unique-added patients']);
    expect(kinds(['CREATE TABLE `rows` (`id` text);', 'CREATE UNIQUE INDEX `rows_id_uq` ON `rows` (`id`);'].join(BP))).toEqual([]);
  });

  it('reports a synced table dropped and made again, and leaves tables that do not sync alone', () => {
    expect(kinds(['DROP TABLE `patients`;', 'CREATE TABLE `patients` (`id` text);'].join(BP))).toEqual(['drop-table patients']);
    expect(kinds(['DROP TABLE `sessions`;', 'ALTER TABLE `local_meta` DROP COLUMN `value`;', 'DELETE FROM change_log;'].join(BP))).toEqual([]);
    expect(kinds('CREATE INDEX `patients_mobile_idx` ON `patients` (`mobile`);')).toEqual([]);
  });
});

describe('checkSql (PostgreSQL)', () => {
  it('reports type changes, tightening, drops and renames, including several actions in one statement', () => {
    expect(kinds('ALTER TABLE "public"."rows" ALTER COLUMN "seq" SET DATA TYPE integer;', 'postgres')).toEqual(['alter-column rows.seq']);
    expect(kinds('ALTER TABLE "rows" ALTER COLUMN "hlc" TYPE varchar(40);', 'postgres')).toEqual(['alter-column rows.hlc']);
    expect(kinds('ALTER TABLE "rows" ALTER COLUMN "hlc" SET NOT NULL;', 'postgres')).toEqual(['alter-column rows.hlc']);
    expect(kinds('ALTER TABLE "rows" ALTER COLUMN "hlc" DROP NOT NULL;', 'postgres')).toEqual([]);
    expect(kinds('ALTER TABLE "rows" DROP COLUMN "data", ADD COLUMN "body" jsonb NOT NULL;', 'postgres')).toEqual([
      'drop-column rows.data',
      'not-null-without-default rows.body',
    ]);
    expect(kinds('ALTER TABLE "rows" ADD COLUMN "n" bigserial NOT NULL;', 'postgres')).toEqual([]);
    expect(kinds('ALTER TABLE "rows" DROP CONSTRAINT "rows_pk";', 'postgres')).toEqual([]);
    expect(kinds('TRUNCATE TABLE "rows";', 'postgres')).toEqual(['rows-changed rows']);
  });
});

describe('compareShapes', () => {
  const col = (type: string, notNull = false, dflt: string | null = null, pk = 0) => ({ type, notNull, default: dflt, pk });
  const refunds = (): TableShape => ({
    columns: { id: col('TEXT', true, null, 1), invoice_id: col('TEXT', true), amount_paise: col('INTEGER', true) },
    triggers: ['refunds_no_delete', 'refunds_no_update'],
    uniques: ['id'],
  });

  it('finds nothing when a nullable column, a defaulted NOT NULL column and a new table are added', () => {
    const after = refunds();
    after.columns.note = col('TEXT');
    after.columns.kind = col('TEXT', true, "'cash'");
    expect(compareShapes({ refunds: refunds() }, { refunds: after, other: refunds() })).toEqual([]);
  });

  it('reports every non-additive difference', () => {
    const after = refunds();
    delete after.columns.amount_paise;
    after.columns.invoice_id = col('INTEGER', false);
    after.columns.branch = col('TEXT', true);
    after.triggers = ['refunds_no_update'];
    after.uniques = ['id', 'invoice_id'];
    const found = compareShapes({ refunds: refunds(), patients: refunds() }, { refunds: after }).map((f) => `${f.kind} ${f.table}${f.column ? `.${f.column}` : ''}`);
    expect(found.sort()).toEqual(
      [
        'column-gone refunds.amount_paise',
        'not-null-dropped refunds.invoice_id',
        'not-null-without-default refunds.branch',
        'table-gone patients',
        'trigger-gone refunds',
        'type-changed refunds.invoice_id',
        'unique-added refunds.invoice_id',
      ].sort(),
    );
  });
});

describe('applyAllowList', () => {
  it('lets through only the migration, table and kind an entry names, and names entries nothing used', () => {
    const f = (migration: string, table: string, kind: TaggedFinding['kind']): TaggedFinding => ({ migration, table, kind, message: '' });
    const allowed = [
      { migration: '0016_x', table: 'refunds', kinds: ['rebuild'] as const, reason: 'test' },
      { migration: '0017_y', table: 'refunds', kinds: ['rebuild'] as const, reason: 'stale' },
    ];
    const { violations, unused } = applyAllowList([f('0016_x', 'refunds', 'rebuild'), f('0016_x', 'refunds', 'drop-column'), f('0018_z', 'refunds', 'rebuild')], allowed);
    expect(violations.map((v) => `${v.migration} ${v.kind}`)).toEqual(['0016_x drop-column', '0018_z rebuild']);
    expect(unused.map((u) => u.migration)).toEqual(['0017_y']);
  });
});
