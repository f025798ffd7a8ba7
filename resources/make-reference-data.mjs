// Writes the reference lists the app ships (resources/reference/*.csv.gz and manifest.json) from
// the checked copies in ../shared/data (see resources/reference/SOURCES.md):
//   node resources/make-reference-data.mjs [source folder, default ../shared/data] [output folder]
// Every list is copied unchanged except pincodes.csv, which loses the office_type, delivery and
// division columns: the importer does not read them, and without them the app loads the
// directory faster (10 MB of text to parse instead of 15 MB). Row order is kept, since a pincode's
// first office (the head office) names it. gzip level 9 with no file name or time in the header,
// so the same input always gives the same bytes.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { parse } from 'csv-parse/sync';

const here = path.dirname(fileURLToPath(import.meta.url));
const source = path.resolve(process.argv[2] ?? path.join(here, '..', '..', 'shared', 'data'));
const out = path.resolve(process.argv[3] ?? path.join(here, 'reference'));

const LISTS = [
  { file: 'icd10cm_codes.csv' },
  { file: 'lgd_states.csv' },
  { file: 'lgd_districts.csv' },
  { file: 'lgd_subdistricts.csv' },
  { file: 'pincodes.csv', keep: ['pincode', 'office_name', 'district', 'state', 'latitude', 'longitude'] },
];

const quote = (v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function columnsOnly(text, keep) {
  const rows = parse(text, { bom: true });
  const header = rows[0];
  const index = keep.map((c) => {
    const i = header.indexOf(c);
    if (i < 0) throw new Error(`no ${c} column`);
    return i;
  });
  return rows.map((r) => index.map((i) => quote(r[i] ?? '')).join(',')).join('\n') + '\n';
}

const manifest = { source: 'shared/data, retrieved 2026-11-21 (see SOURCES.md)', files: {} };
fs.mkdirSync(out, { recursive: true });
for (const list of LISTS) {
  const raw = fs.readFileSync(path.join(source, list.file), 'utf8');
  const text = list.keep ? columnsOnly(raw, list.keep) : raw;
  const gz = zlib.gzipSync(Buffer.from(text, 'utf8'), { level: 9 });
  const name = `${list.file}.gz`;
  fs.writeFileSync(path.join(out, name), gz);
  const rows = text.split('\n').filter((l) => l.length > 0).length - 1;
  manifest.files[name] = { rows, csvBytes: Buffer.byteLength(text), gzBytes: gz.length, sha256: crypto.createHash('sha256').update(text).digest('hex') };
  console.log(`${name}: ${rows.toLocaleString('en-IN')} rows, ${gz.length.toLocaleString('en-IN')} bytes`);
}
fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
