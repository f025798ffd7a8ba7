import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
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
/** Functions stay short enough to hold in mind; a longer one says why on the line above it. */
const MAX_FUNCTION_LINES = 80;
const LONG_BY_DESIGN = /\/\/ Long by design: \S/;

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

/** Every function (declarations, arrows, methods, nested ones too) longer than the limit without its reason above it. */
function longFunctions(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const kind = file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const lines = text.split('\n');
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.end).line;
      const length = last - first + 1;
      if (length > MAX_FUNCTION_LINES && !LONG_BY_DESIGN.test(lines[first - 1] ?? '')) {
        const name = node.name?.getText(source) ?? (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText(source) : 'function');
        out.push(`${file.split(path.sep).join('/')}:${first + 1} ${name}: ${length} lines`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe('function length', () => {
  it(`keeps every function at ${MAX_FUNCTION_LINES} lines or fewer, or says why above it`, () => {
    const files = FOLDERS.flatMap(sourceFiles).filter((f) => /\.tsx?$/.test(f));
    const offenders = files.flatMap(longFunctions);
    expect(
      offenders,
      `Split these by what they hold, or write "// Long by design: <why>" on the line above:\n${offenders.join('\n')}`,
    ).toEqual([]);
  });

  it('finds a long function, and accepts one with its reason', () => {
    const body = Array.from({ length: MAX_FUNCTION_LINES }, (_, i) => `  const a${i} = ${i};`).join('\n');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'long-function-'));
    try {
      const plain = path.join(dir, 'plain.tsx');
      const reasoned = path.join(dir, 'reasoned.ts');
      fs.writeFileSync(plain, `export const Screen = () => {\n${body}\n  return null;\n};\n`);
      fs.writeFileSync(reasoned, `// Long by design: a test.\nexport function f() {\n${body}\n}\n`);
      expect(longFunctions(path.relative(ROOT, plain))).toEqual([`${path.relative(ROOT, plain).split(path.sep).join('/')}:1 Screen: ${MAX_FUNCTION_LINES + 3} lines`]);
      expect(longFunctions(path.relative(ROOT, reasoned))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
