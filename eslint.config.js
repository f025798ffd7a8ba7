// ESLint (flat config): typescript-eslint's strict type-checked rules, React hooks rules, and the
// layer rules of issue #13 as @typescript-eslint/no-restricted-imports per directory (that rule
// tells `import type` from runtime imports, which the renderer rule needs).
import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const ROOT = import.meta.dirname;

// ---------------------------------------------------------------------------------------------
// Layers. A target is a folder or a file (without extension), relative to the repository root.
// Each layer lists what it may import at runtime (`may`) and what only as types (`types`);
// everything else among TARGETS is refused. A layer may always import itself.

const TOP_FILES = fs
  .readdirSync(path.join(ROOT, 'electron'))
  .filter((f) => /\.tsx?$/.test(f))
  .map((f) => `electron/${f.replace(/\.tsx?$/, '')}`);

const TARGETS = [
  'shared',
  'db',
  'server',
  'renderer',
  'test',
  'electron/core',
  'electron/pdf',
  'electron/services',
  'electron/sync',
  'electron/api',
  'electron/transports',
  ...TOP_FILES,
];

/** @type {Record<string, { may: string[], types?: string[], why: string }>} */
export const LAYERS = {
  shared: { may: [], why: 'shared/ is isomorphic: it imports nothing else of the project' },
  db: { may: ['shared'], why: 'db/ (schema, migrations, open) may import only shared/' },
  'electron/core': {
    may: ['shared', 'db'],
    // The service context names the services it carries; it never calls them.
    types: ['electron/services', 'electron/sync'],
    why: 'electron/core may import shared/ and db/, and only types from services and sync',
  },
  'electron/pdf': {
    // resources.ts finds the bundled fonts.
    may: ['shared', 'electron/resources'],
    types: ['db'],
    why: 'electron/pdf renders view models: shared/, db types and electron/resources only',
  },
  'electron/services': {
    may: ['shared', 'db', 'electron/core', 'electron/pdf', 'electron/sync', 'electron/keys', 'electron/resources'],
    types: ['electron/bridge'],
    why: 'electron/services never imports electron/api, transports or the app entry points',
  },
  'electron/sync': {
    may: ['shared', 'db', 'electron/core', 'electron/services'],
    why: 'electron/sync may import shared/, db/, electron/core and electron/services',
  },
  'electron/api': {
    may: ['shared', 'db', 'electron/core', 'electron/services', 'electron/keys'],
    why: 'electron/api may import services, core, shared/ and db/',
  },
  // The top: transports and electron/*.ts (app, main, host, preload, keys, ...) wire everything.
  top: {
    may: TARGETS.filter((t) => t.startsWith('electron/') || t === 'shared' || t === 'db'),
    why: 'electron/ never imports the renderer, the sync server or tests',
  },
  renderer: {
    may: ['shared'],
    types: ['electron/api', 'electron/bridge'],
    why: 'renderer/ imports only shared/ at runtime, and only types from electron/api and electron/bridge',
  },
  server: { may: ['shared', 'db'], why: 'server/ may import shared/ and db/, never electron/' },
};

function layerOf(dir) {
  const [first, second] = dir.split('/');
  if (first === 'electron') return second === undefined || second === 'transports' ? 'top' : `electron/${second}`;
  return first;
}

// Packages that need Node or the Electron main process, refused where they cannot run.
const NODE_ONLY = [
  '^node:',
  `^(${builtinModules.filter((m) => !m.startsWith('_')).map(escape).join('|')})(/|$)`,
  '^electron(-updater)?(/|$)',
  '^drizzle-(orm|kit)(/|$)',
  '^(better-sqlite3|pdfkit|pg|socket\\.io|@electric-sql/pglite)(/|$)',
];
const PACKAGE_RULES = {
  shared: { refuse: NODE_ONLY, why: 'shared/ is isomorphic: no Node, Electron or database packages' },
  renderer: { refuse: NODE_ONLY, why: 'the renderer runs in a browser: no Node, Electron or database packages' },
  // The browser host (npm run serve) runs everything below the top without Electron.
  other: { refuse: ['^electron(/|$)'], why: 'only electron/*.ts and electron/transports may import Electron' },
};

function escape(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every way a relative specifier written in `dir` can name `target`: ./x, ../x, ../../electron/x, ... */
function specifierRegex(dir, target) {
  const forms = [];
  const parts = dir.split('/');
  for (let up = 0; up <= parts.length; up++) {
    const base = parts.slice(0, parts.length - up).join('/');
    const inside = base === '' ? target : target.startsWith(`${base}/`) ? target.slice(base.length + 1) : null;
    if (inside === null) continue;
    forms.push((up === 0 ? './' : '../'.repeat(up)) + inside);
  }
  const file = /\.[a-z]+$/.test(target) || TOP_FILES.includes(target);
  const tail = file ? '(\\.[cm]?[jt]sx?)?$' : '(/|$)';
  return `^(${forms.map(escape).join('|')})${tail}`;
}

function boundaryRule(dir) {
  const layer = layerOf(dir);
  const rule = LAYERS[layer];
  const patterns = [];
  for (const target of TARGETS) {
    if (layerOf(target) === layer || rule.may.includes(target)) continue;
    patterns.push({
      regex: specifierRegex(dir, target),
      caseSensitive: true,
      allowTypeImports: rule.types?.includes(target) ?? false,
      message: `Layer rule (issue #13): ${rule.why}.`,
    });
  }
  const packages = layer === 'top' ? null : PACKAGE_RULES[layer] ?? PACKAGE_RULES.other;
  if (packages) {
    patterns.push({ regex: packages.refuse.join('|'), caseSensitive: true, message: `Layer rule (issue #13): ${packages.why}.` });
  }
  return ['error', { patterns }];
}

/** Folders holding the layered code; one config block each, as relative specifiers depend on depth. */
function layerDirs() {
  const dirs = [];
  const walk = (dir) => {
    dirs.push(dir);
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'migrations' && entry.name !== 'node_modules') walk(`${dir}/${entry.name}`);
    }
  };
  for (const root of ['shared', 'db', 'electron', 'renderer', 'server']) walk(root);
  return dirs;
}

const boundaries = layerDirs().map((dir) => ({
  name: `boundaries/${dir}`,
  files: [`${dir}/*.ts`, `${dir}/*.tsx`],
  rules: {
    'no-restricted-imports': 'off',
    '@typescript-eslint/no-restricted-imports': boundaryRule(dir),
  },
}));

// ---------------------------------------------------------------------------------------------

const APP = ['electron/**/*.ts', 'shared/**/*.ts', 'db/**/*.ts', 'server/**/*.ts', 'renderer/**/*.{ts,tsx}'];
const TESTS = ['test/**/*.ts', '*.config.ts', 'server/drizzle.config.ts'];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'db/migrations/**',
      'server/db/migrations/**',
      'resources/*.mjs',
      'test-results/**',
      'playwright-report/**',
      '.bench-cache/**',
    ],
  },
  {
    files: ['**/*.js'],
    ...js.configs.recommended,
  },
  {
    files: [...APP, ...TESTS],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: ROOT,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  ...tseslint.configs.strictTypeChecked.map((c) => ({ ...c, files: APP })),
  ...tseslint.configs.recommendedTypeChecked.map((c) => ({ ...c, files: TESTS })),
  {
    files: [...APP, ...TESTS],
    rules: {
      // `const { hlc: _h, ...rest } = row` drops fields on purpose; `_x` marks a deliberate unused.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: APP,
    rules: {
      // Numbers in messages and keys (`${n} tablets`, `timings.${i}`) are what templates are for.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `onClick={() => setOpen(false)}` is the React idiom; braces around ~200 of them add nothing.
      // Off: `onClick={() => setOpen(false)}` (~200 of them) and `if (!r.ok) return setError(...)`
      // (~50, the early-exit idiom here) are all it finds; neither confuses anyone.
      '@typescript-eslint/no-confusing-void-expression': 'off',
      // With noUncheckedIndexedAccess every `arr[i]` and regex group is `T | undefined`; the `!`s
      // mark reads already bounded (loops over length, matched groups, rows a foreign key
      // guarantees). A check for each would be a branch that never runs.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Off: what they find here are deliberate guards on values whose static type is narrower than
      // what arrives at runtime: JSON columns written by older versions, Object.entries over a
      // Partial, session checks behind the router's own, flags changed across an await, pg counts
      // that come back as strings, Mantine number inputs that hold '' while typed in.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-unnecessary-type-conversion': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
  {
    files: TESTS,
    rules: {
      // Tests read JSON bodies, PDF text and raw SQL rows and let expect() check their shape;
      // typing every such value first would only restate the assertion.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Fakes implement async interfaces (print, pause, chooseFile) without anything to await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  ...boundaries,
);
