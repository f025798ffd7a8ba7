import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Source files stay small enough to read in one sitting (project issue #13): a file that grows
 * past the limit is split by what it holds (see electron/services/billing/ for the pattern).
 * Generated SQL migrations are left out: drizzle-kit writes them and nobody edits them.
 */
const MAX_LINES = 500;
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const FOLDERS = ['electron', 'renderer', 'shared', 'db', 'server'];
const EXCLUDED = [path.join('db', 'migrations')];
const SOURCE = /\.(ts|tsx|js|mjs|cjs|css)$/;

function sourceFiles(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.name === 'node_modules' || EXCLUDED.includes(rel)) continue;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile() && SOURCE.test(entry.name)) out.push(rel);
    }
  };
  if (fs.existsSync(path.join(ROOT, folder))) walk(folder);
  return out;
}

function lineCount(file: string): number {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

describe('source file size', () => {
  it(`keeps every source file at ${MAX_LINES} lines or fewer`, () => {
    const files = FOLDERS.flatMap(sourceFiles);
    // A walk that finds nothing would pass vacuously.
    expect(files.length).toBeGreaterThan(100);
    const offenders = files
      .map((file) => ({ file, lines: lineCount(file) }))
      .filter((f) => f.lines > MAX_LINES)
      .sort((a, b) => b.lines - a.lines)
      .map((f) => `${f.file.split(path.sep).join('/')}: ${f.lines} lines`);
    expect(offenders, `Split these files by what they hold:\n${offenders.join('\n')}`).toEqual([]);
  });
});
