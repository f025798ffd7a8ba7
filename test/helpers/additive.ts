import type { TableShape } from './migrations';

/**
 * The additive-only rule for tables that sync. Workstations on different app versions exchange
 * rows of these tables through the server, so a migration may only add: a new table, a nullable
 * column or one with a default, an index, a trigger. Anything else breaks the workstation that has
 * not upgraded yet (it pushes rows without a column the new one insists on, or pulls rows whose
 * shape it cannot hold; apply.ts then skips them) or loses data the other side still sends.
 *
 * Two checks, both pure so a unit test can prove they fail: checkSql() reads a migration's
 * statements, compareShapes() compares what SQLite reports for each table before and after it.
 */

export type ChangeKind =
  | 'drop-table'
  | 'drop-column'
  | 'rename-table'
  | 'rename-column'
  | 'alter-column'
  | 'rebuild'
  | 'not-null-without-default'
  | 'rows-changed'
  | 'unique-added'
  // From compareShapes only:
  | 'table-gone'
  | 'column-gone'
  | 'type-changed'
  | 'not-null-added'
  | 'not-null-dropped'
  | 'pk-changed'
  | 'trigger-gone';

export interface Finding {
  kind: ChangeKind;
  table: string;
  column?: string;
  message: string;
}

export type Dialect = 'sqlite' | 'postgres';

// ---------------------------------------------------------------------------------------------
// Statements

/**
 * A migration file as the statements it runs: split at drizzle's breakpoints and at top-level
 * semicolons, comments removed, whitespace collapsed. Quotes, trigger bodies (BEGIN … END, with
 * CASE … END inside) and PostgreSQL dollar-quoted bodies are kept whole, since a semicolon there
 * does not end the statement.
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  for (const chunk of sql.split('--> statement-breakpoint')) {
    let cur = '';
    let depth = 0;
    let i = 0;
    const push = () => {
      const s = cur.replace(/\s+/g, ' ').trim();
      if (s) out.push(s);
      cur = '';
      depth = 0;
    };
    while (i < chunk.length) {
      const c = chunk[i]!;
      const next = chunk[i + 1];
      if (c === '-' && next === '-') {
        const end = chunk.indexOf('\n', i);
        i = end < 0 ? chunk.length : end;
        cur += ' ';
      } else if (c === '/' && next === '*') {
        const end = chunk.indexOf('*/', i + 2);
        i = end < 0 ? chunk.length : end + 2;
        cur += ' ';
      } else if (c === "'" || c === '"' || c === '`' || c === '[') {
        const close = c === '[' ? ']' : c;
        let j = i + 1;
        for (;;) {
          const k = chunk.indexOf(close, j);
          // A doubled quote is an escaped quote inside the literal.
          const escaped = k >= 0 && close !== ']' && chunk[k + 1] === close;
          j = k < 0 ? chunk.length : escaped ? k + 2 : k + 1;
          if (!escaped) break;
        }
        cur += chunk.slice(i, j);
        i = j;
      } else if (c === '$') {
        const tag = /^\$[A-Za-z_]*\$/.exec(chunk.slice(i))?.[0];
        if (!tag) {
          cur += c;
          i++;
          continue;
        }
        const end = chunk.indexOf(tag, i + tag.length);
        const j = end < 0 ? chunk.length : end + tag.length;
        cur += chunk.slice(i, j);
        i = j;
      } else if (/[A-Za-z_]/.test(c)) {
        const word = /^[A-Za-z_0-9$]+/.exec(chunk.slice(i))![0];
        const upper = word.toUpperCase();
        if (/^\s*CREATE\s+(TEMP\s+|TEMPORARY\s+)?TRIGGER\b/i.test(cur)) {
          if (upper === 'BEGIN' || (upper === 'CASE' && depth > 0)) depth++;
          else if (upper === 'END' && depth > 0) depth--;
        }
        cur += word;
        i += word.length;
      } else if (c === ';' && depth === 0) {
        push();
        i++;
      } else {
        cur += c;
        i++;
      }
    }
    push();
  }
  return out;
}

/** An identifier, quoted any way either dialect allows, optionally schema-qualified. */
const ID = String.raw`(?:(?:"[^"]+"|\x60[^\x60]+\x60|\[[^\]]+\]|[\w$]+)\.)?(?:"[^"]+"|\x60[^\x60]+\x60|\[[^\]]+\]|[\w$]+)`;

/** The bare name of an identifier: unquoted, without its schema, lower case. */
export function bareName(id: string): string {
  const last = id.match(new RegExp(`(?:"[^"]+"|\\x60[^\\x60]+\\x60|\\[[^\\]]+\\]|[\\w$]+)$`))![0];
  return last.replace(/^["`[]|["`\]]$/g, '').toLowerCase();
}

/** Splits at commas outside parentheses and quotes (PostgreSQL allows several ALTER TABLE actions). */
function topLevelParts(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let cur = '';
  for (const c of s) {
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts;
}

/** A column definition that every row can be given without the writer naming it. */
function hasImplicitValue(definition: string): boolean {
  return (
    /\bDEFAULT\b/i.test(definition) ||
    /\bGENERATED\b/i.test(definition) ||
    /^\S+\s+(SMALL|BIG)?SERIAL\d?\b/i.test(definition) ||
    /\bAUTOINCREMENT\b/i.test(definition)
  );
}

function isNotNull(definition: string): boolean {
  // Strip string literals first, so DEFAULT 'NOT NULL' is not mistaken for the constraint.
  return /\bNOT\s+NULL\b/i.test(definition.replace(/'(?:[^']|'')*'/g, "''"));
}

const REBUILD_PREFIX = '__new_';

/**
 * Every non-additive statement of one migration on a guarded table. `guarded` says which tables
 * other versions exchange rows of. drizzle-kit's table rebuild (CREATE __new_x, copy, DROP x,
 * RENAME __new_x TO x) is one finding, `rebuild`, rather than a drop and a rename.
 */
export function checkSql(sql: string, guarded: (table: string) => boolean, dialect: Dialect = 'sqlite'): Finding[] {
  const findings: Finding[] = [];
  const created = new Set<string>();
  const rebuilt = new Set<string>();
  const add = (f: Finding) => findings.push(f);
  const statements = splitStatements(sql);
  // Looked for first: the DROP of a rebuilt table comes before the RENAME that finishes the rebuild.
  const renameTo = new RegExp(`^ALTER TABLE (?:ONLY )?(?:IF EXISTS )?(?:ONLY )?(${ID}) RENAME TO (${ID})$`, 'i');
  for (const st of statements) {
    const m = renameTo.exec(st);
    if (m && bareName(m[1]!) === REBUILD_PREFIX + bareName(m[2]!)) rebuilt.add(bareName(m[2]!));
  }
  for (const st of statements) {
    let m: RegExpExecArray | null;
    if ((m = renameTo.exec(st))) {
      const from = bareName(m[1]!);
      const to = bareName(m[2]!);
      if (from !== REBUILD_PREFIX + to && guarded(from) && !created.has(from)) {
        add({ kind: 'rename-table', table: from, message: `renames ${from} to ${to}: older workstations still read and write ${from}` });
      }
    } else if ((m = new RegExp(`^CREATE (?:TEMP |TEMPORARY |UNLOGGED )?TABLE (?:IF NOT EXISTS )?(${ID})`, 'i').exec(st))) {
      created.add(bareName(m[1]!));
    } else if ((m = new RegExp(`^DROP TABLE (?:IF EXISTS )?(${ID})`, 'i').exec(st))) {
      const t = bareName(m[1]!);
      if (guarded(t) && !rebuilt.has(t) && !created.has(t)) add({ kind: 'drop-table', table: t, message: `drops ${t}: its rows and every change still arriving for it are lost` });
    } else if ((m = new RegExp(`^ALTER TABLE (?:ONLY )?(?:IF EXISTS )?(?:ONLY )?(${ID}) (.+)$`, 'i').exec(st))) {
      const t = bareName(m[1]!);
      if (!guarded(t) || created.has(t)) continue;
      for (const action of topLevelParts(m[2]!)) checkAlterAction(t, action, dialect, add);
    } else if ((m = new RegExp(`^CREATE UNIQUE INDEX (?:CONCURRENTLY )?(?:IF NOT EXISTS )?${ID} ON (?:ONLY )?(${ID})`, 'i').exec(st))) {
      const t = bareName(m[1]!);
      if (guarded(t) && !created.has(t)) add({ kind: 'unique-added', table: t, message: `adds a unique index to ${t}: rows older workstations write may now be refused` });
    } else if (
      (m = new RegExp(`^(?:UPDATE (?:OR \\w+ )?(?:ONLY )?(${ID})|DELETE FROM (?:ONLY )?(${ID})|TRUNCATE (?:TABLE )?(?:ONLY )?(${ID})|(?:INSERT OR REPLACE|REPLACE) INTO (${ID}))`, 'i').exec(st)) ||
      ((m = new RegExp(`^INSERT (?:OR \\w+ )?INTO (${ID})`, 'i').exec(st)) && /\bON CONFLICT\b.*\bDO UPDATE\b/i.test(st))
    ) {
      // Inserting new rows is additive (seeds); overwriting or removing existing ones is not.
      const t = bareName(m[1] ?? m[2] ?? m[3] ?? m[4]!);
      if (guarded(t) && !created.has(t)) add({ kind: 'rows-changed', table: t, message: `changes rows of ${t} without change_log entries: this workstation's copy silently differs from the others'` });
    }
  }
  for (const t of rebuilt) {
    if (guarded(t)) add({ kind: 'rebuild', table: t, message: `rebuilds ${t} (create ${REBUILD_PREFIX}${t}, copy, drop, rename): columns, constraints and triggers may change or be lost` });
  }
  return findings;
}

function checkAlterAction(table: string, action: string, dialect: Dialect, add: (f: Finding) => void): void {
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`^RENAME (?:COLUMN )?(${ID}) TO (${ID})$`, 'i').exec(action)) && !/^RENAME CONSTRAINT\b/i.test(action)) {
    add({ kind: 'rename-column', table, column: bareName(m[1]!), message: `renames ${table}.${bareName(m[1]!)}: older workstations still send and expect the old name` });
  } else if ((m = new RegExp(`^DROP (?:COLUMN )?(?:IF EXISTS )?(${ID})`, 'i').exec(action)) && !/^DROP (CONSTRAINT|DEFAULT|NOT NULL)\b/i.test(action)) {
    add({ kind: 'drop-column', table, column: bareName(m[1]!), message: `drops ${table}.${bareName(m[1]!)}: older workstations still send it and their values are lost` });
  } else if ((m = new RegExp(`^ALTER (?:COLUMN )?(${ID}) (.+)$`, 'i').exec(action))) {
    const column = bareName(m[1]!);
    const what = m[2]!;
    // Loosening (DROP NOT NULL, SET DEFAULT) only lets more rows in; these narrow or reinterpret.
    if (/^(SET DATA )?TYPE\b/i.test(what)) add({ kind: 'alter-column', table, column, message: `changes the type of ${table}.${column}` });
    else if (/^SET NOT NULL\b/i.test(what)) add({ kind: 'alter-column', table, column, message: `makes ${table}.${column} NOT NULL: older workstations may still send null` });
    else if (/^DROP DEFAULT\b/i.test(what)) add({ kind: 'alter-column', table, column, message: `drops the default of ${table}.${column}: older workstations do not send it` });
    else if (dialect === 'sqlite') add({ kind: 'alter-column', table, column, message: `alters ${table}.${column} (${what})` });
  } else if ((m = new RegExp(`^ADD (?:COLUMN )?(?:IF NOT EXISTS )?(${ID})(.*)$`, 'i').exec(action)) && !/^ADD (CONSTRAINT|PRIMARY|UNIQUE|CHECK|FOREIGN)\b/i.test(action)) {
    const column = bareName(m[1]!);
    const definition = `${m[1]!}${m[2]!}`;
    if (isNotNull(definition) && !hasImplicitValue(definition)) {
      add({ kind: 'not-null-without-default', table, column, message: `adds ${table}.${column} NOT NULL without a default: rows pushed by older workstations lack it` });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Shapes

/** What changed, non-additively, between the shapes of the guarded tables before and after a migration. */
export function compareShapes(before: Record<string, TableShape>, after: Record<string, TableShape>): Finding[] {
  const findings: Finding[] = [];
  for (const [table, old] of Object.entries(before)) {
    const now = after[table];
    if (!now) {
      findings.push({ kind: 'table-gone', table, message: `${table} no longer exists` });
      continue;
    }
    for (const [column, was] of Object.entries(old.columns)) {
      const is = now.columns[column];
      if (!is) {
        findings.push({ kind: 'column-gone', table, column, message: `${table}.${column} no longer exists` });
        continue;
      }
      if (is.type !== was.type) findings.push({ kind: 'type-changed', table, column, message: `${table}.${column} changed type from ${was.type} to ${is.type}` });
      if (is.notNull && !was.notNull) findings.push({ kind: 'not-null-added', table, column, message: `${table}.${column} became NOT NULL: older workstations may still send null` });
      if (!is.notNull && was.notNull) {
        findings.push({ kind: 'not-null-dropped', table, column, message: `${table}.${column} may now be null: a null written here is refused by workstations not yet upgraded` });
      }
      if (is.notNull && was.default !== null && is.default === null) {
        findings.push({ kind: 'not-null-without-default', table, column, message: `${table}.${column} lost its default: older workstations do not send it` });
      }
      if (is.pk !== was.pk) findings.push({ kind: 'pk-changed', table, column, message: `${table}.${column} changed its place in the primary key` });
    }
    for (const [column, is] of Object.entries(now.columns)) {
      if (column in old.columns) continue;
      if (is.notNull && is.default === null) {
        findings.push({ kind: 'not-null-without-default', table, column, message: `new column ${table}.${column} is NOT NULL without a default: rows pushed by older workstations lack it` });
      }
      if (is.pk > 0) findings.push({ kind: 'pk-changed', table, column, message: `new column ${table}.${column} joined the primary key` });
    }
    for (const trigger of old.triggers) {
      if (!now.triggers.includes(trigger)) findings.push({ kind: 'trigger-gone', table, message: `trigger ${trigger} on ${table} is gone (a table rebuild drops triggers)` });
    }
    for (const unique of now.uniques) {
      if (!old.uniques.includes(unique)) findings.push({ kind: 'unique-added', table, column: unique, message: `${table} gained a unique index on (${unique}): rows older workstations write may now be refused` });
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// The allow-list

export interface AllowedChange {
  migration: string;
  table: string;
  kinds: readonly ChangeKind[];
  /** Why this change is safe for workstations that have not upgraded yet. */
  reason: string;
}

export interface TaggedFinding extends Finding {
  migration: string;
}

/** Splits findings into those an allow-list entry covers and the rest; also names entries nothing used. */
export function applyAllowList(findings: TaggedFinding[], allowed: readonly AllowedChange[]) {
  const used = new Set<AllowedChange>();
  const violations: TaggedFinding[] = [];
  for (const f of findings) {
    const entry = allowed.find((a) => a.migration === f.migration && a.table === f.table && a.kinds.includes(f.kind));
    if (entry) used.add(entry);
    else violations.push(f);
  }
  return { violations, unused: allowed.filter((a) => !used.has(a)) };
}

export function formatFindings(findings: readonly TaggedFinding[]): string {
  return findings.map((f) => `${f.migration}: ${f.kind}: ${f.message}`).join('\n');
}
