import type Database from 'better-sqlite3';
import { v5 as uuidv5 } from 'uuid';
import type { Db } from '../../../db/open';
import { drugs } from '../../../db/schema';
import type { NewRow, RowPatch, Writer } from '../../../db/write';
import { importCsv } from '../csv-import';
import type { JobControl } from '../jobs';
import { parseProductName } from './product-names';
import { guessClasses, guessSchedule } from './classes';

/* Jan Aushadhi (PMBJP) product list: the import. */

/** Fixed namespace for ids of imported drugs: the same code gives the same id on every workstation. */
const DRUG_ID_NAMESPACE = uuidv5('https://clinic-workstation.local/formulary/drugs', uuidv5.URL);

/** The id of an imported drug, derived from its source and code (uuid v5). */
export function importedDrugId(source: string, code: string): string {
  return uuidv5(`${source}:${code}`, DRUG_ID_NAMESPACE);
}

/**
 * Rupees as written ("12.50", "7.5", "1,250.00") to integer paise, without floating point.
 * Blank or zero (the list's "price not published") is null; anything else that is not a price is 'invalid'.
 */
export function rupeesToPaise(text: string): number | null | 'invalid' {
  const t = text.trim().replace(/,/g, '');
  if (t === '') return null;
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return 'invalid';
  const paise = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return paise === 0 ? null : paise;
}

type ImportedDrug = NewRow<typeof drugs> & { id: string };

/** One CSV record as a drug row, or why it is skipped. */
export function janAushadhiRow(record: Record<string, string>): ImportedDrug | string {
  const code = (record.drug_code ?? '').trim();
  const text = (record.generic_name ?? '').replace(/\s+/g, ' ').trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9./-]{0,19}$/.test(code)) return code ? `${code}: not a drug code` : '(no drug code)';
  if (!text) return `${code}: no name`;
  const mrp = rupeesToPaise(record.mrp_inr ?? '');
  if (mrp === 'invalid') return `${code}: MRP "${record.mrp_inr}" is not an amount in rupees`;
  const consumable = /surgical|consumable/i.test(record.group_name ?? '');
  if (consumable) {
    return {
      id: importedDrugId('janaushadhi', code),
      genericName: text,
      form: 'consumable',
      strength: null,
      route: 'other',
      schedule: null,
      classes: [],
      source: 'janaushadhi',
      sourceCode: code,
      mrpPaise: mrp,
      packSize: record.unit_size?.trim() || null,
      hsnCode: null,
      gstRateBp: null,
    };
  }
  const parsed = parseProductName(text);
  const classes = guessClasses(text);
  return {
    id: importedDrugId('janaushadhi', code),
    genericName: parsed.genericName,
    form: parsed.form,
    strength: parsed.strength,
    route: parsed.route,
    schedule: guessSchedule(text, classes),
    classes,
    source: 'janaushadhi',
    sourceCode: code,
    mrpPaise: mrp,
    packSize: record.unit_size?.trim() || null,
    hsnCode: /vaccine/i.test(record.group_name ?? '') ? '3002' : '3004',
    gstRateBp: 500,
  };
}

export interface JanAushadhiImportResult {
  imported: number;
  rejected: number;
  rejectedExamples: string[];
  /** New drugs, drugs whose details changed, and drugs already as in the file. */
  inserted: number;
  updated: number;
  unchanged: number;
  /** Jan Aushadhi drugs now in the formulary. */
  total: number;
}

/**
 * Loads the Jan Aushadhi product list (drug_code,generic_name,unit_size,mrp_inr,group_name) in
 * batches. Each product is upserted through `write` (a Writer made for the job), so every new or
 * changed row is stamped and reaches change_log like any other write; a product already as in the
 * file is left alone, so importing the same file again changes nothing. A product listed without an
 * MRP keeps the MRP it already has.
 */
export async function importJanAushadhiCsv(
  deps: { db: Db; sqlite: Database.Database; write: Writer },
  file: string,
  job: JobControl,
): Promise<JanAushadhiImportResult> {
  let inserted = 0;
  let updated = 0;
  const write = deps.write.withRecorder((w) => {
    if (w.op === 'insert') inserted += 1;
    else updated += 1;
  });
  const find = deps.sqlite.prepare('SELECT 1 FROM drugs WHERE id = ?').pluck();
  const result = await importCsv<ImportedDrug>(deps.sqlite, file, job, {
    columns: ['drug_code', 'generic_name', 'unit_size', 'mrp_inr', 'group_name'],
    row: janAushadhiRow,
    apply: (row) => {
      if (find.get(row.id) === undefined) {
        write.insert(drugs, { ...row, brandNames: [], active: true });
        return;
      }
      // A blank MRP is "not published" (the list writes 0), not "no longer sold at a price": the MRP
      // an earlier list gave is kept, so a medicine that could be billed still can.
      const { id, mrpPaise, ...fields } = row;
      const patch: RowPatch<typeof drugs> = mrpPaise === null ? fields : { ...fields, mrpPaise };
      write.update(drugs, id, patch);
    },
    label: 'drugs',
  });
  const total = deps.sqlite.prepare("SELECT count(*) FROM drugs WHERE source = 'janaushadhi' AND deleted_at IS NULL").pluck().get() as number;
  return { ...result, inserted, updated, unchanged: result.imported - inserted - updated, total };
}
