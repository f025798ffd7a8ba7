import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from '../../db/sqlite';
import { ReportRows } from '../helpers/report-rows';
import { percentile, round, timed, type Metric } from './run';

/*
 * The reports' per-day sums (migration 0026) in the reports benchmark. A year is laid out with
 * their triggers set aside and the sums then filled by the migration's own statements, as an
 * upgraded workstation fills them (reports.sums.fill_s): the result is the same rows the triggers
 * would have kept, and the seed stays within the benchmark's time. What the triggers cost each
 * write is measured apart (reports.sums.write_us_per_visit, with and without, interleaved).
 * Not a benchmark file itself: run.ts only runs files exporting `bench`.
 */

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'db', 'migrations');

interface Trigger {
  name: string;
  sql: string;
}

export function reportTriggers(sqlite: Database.Database): Trigger[] {
  return sqlite.prepare<[], Trigger>("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'report!_%' ESCAPE '!'").all();
}

export function dropTriggers(sqlite: Database.Database, triggers: Trigger[]): void {
  for (const t of triggers) sqlite.exec(`DROP TRIGGER "${t.name}"`);
}

export function createTriggers(sqlite: Database.Database, triggers: Trigger[]): void {
  for (const t of triggers) sqlite.exec(t.sql);
}

/** The migration's statements that fill the sums from the rows (whatever number the migration has by now). */
function fillStatements(): string[] {
  const file = fs.readdirSync(MIGRATIONS).find((f) => f.endsWith('_report_summaries.sql'));
  if (!file) throw new Error('the report_summaries migration is missing');
  return fs
    .readFileSync(path.join(MIGRATIONS, file), 'utf8')
    .split('--> statement-breakpoint')
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => /^INSERT INTO report_/.test(s));
}

/** Empties the sums and fills them again from the rows, as the migration does; returns the seconds it took. */
export function fillSums(sqlite: Database.Database): number {
  const statements = fillStatements();
  if (statements.length !== 4) throw new Error(`expected 4 fill statements, found ${statements.length}`);
  return (
    timed(() =>
      sqlite.transaction(() => {
        for (const table of ['report_billed_days', 'report_billed_line_days', 'report_diagnosis_days', 'report_diagnosis_title_days']) sqlite.exec(`DELETE FROM ${table}`);
        for (const s of statements) sqlite.exec(s);
      })(),
    ).ms / 1000
  );
}

/**
 * Microseconds per visit written as the year was (visit, completed note with two diagnoses, an
 * issued two-line bill, its payment), with the triggers and without, in interleaved rounds on the
 * year's database. Leaves the triggers in place (and the sums behind the rows written without them).
 */
export function writeCost(sqlite: Database.Database, deviceId: string, report: (m: Metric) => void): void {
  const rows = new ReportRows(sqlite, deviceId);
  const triggers = reportTriggers(sqlite);
  let n = 0;
  const round200 = () =>
    timed(() =>
      sqlite.transaction(() => {
        for (let i = 0; i < 200; i++) {
          const date = `2026-${String(1 + (n % 11)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`;
          const doctorId = `bench-doctor-${n++}`;
          const visitId = rows.visit({ patientId: `W${n % 700}`, doctorId, date });
          rows.consultation({ visitId, patientId: `W${n % 700}`, doctorId, date, diagnoses: [{ code: 'J06.9', title: 'URI' }, { code: 'I10', title: 'Hypertension' }] });
          const lines = [
            { kind: 'consultation' as const, description: 'Consultation', quantity: 1, ratePaise: 50_000, discountPaise: 0, gstRateBp: 0, taxInclusive: false },
            { kind: 'medicine' as const, description: 'Paracetamol', quantity: 2, ratePaise: 3_250, discountPaise: 0, gstRateBp: 500, taxInclusive: true },
          ];
          const inv = rows.invoice({ number: `2627/W/${String(n).padStart(6, '0')}`, patientId: 'W', doctorId, issuedOn: date, issuedBy: 'bench', visitId, lines });
          rows.payment({ invoiceId: inv.id, patientId: 'W', mode: 'cash', amountPaise: inv.totalPaise, receivedBy: 'bench', receivedOn: date });
        }
      })(),
    ).ms * 5; // µs per visit: ms for 200 visits × 1000 / 200
  round200();
  const withSums: number[] = [];
  const without: number[] = [];
  for (let r = 0; r < 6; r++) {
    withSums.push(round200());
    dropTriggers(sqlite, triggers);
    without.push(round200());
    createTriggers(sqlite, triggers);
  }
  report({ name: 'reports.sums.write_us_per_visit.with_triggers.p50', value: round(percentile(withSums, 50), 0), unit: 'us', n: withSums.length * 200 });
  report({ name: 'reports.sums.write_us_per_visit.without.p50', value: round(percentile(without, 50), 0), unit: 'us', n: without.length * 200 });
}
