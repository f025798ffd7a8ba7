import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

/**
 * `npm run lint` passes on the real code; these prove its layer rules (issue #13) would fail it:
 * each snippet is linted with the repository's eslint.config.js as if it were the named file.
 * The files do not exist, so type-aware rules are switched off (disableTypeChecked); the layer
 * rule needs no types.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const eslint = new ESLint({ cwd: ROOT, overrideConfig: [tseslint.configs.disableTypeChecked] });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
  if (!result) throw new Error(`ESLint returned nothing for ${filePath}`);
  // Anything but the layer rule (a parse error, an ignored file) would make the test meaningless.
  const other = result.messages.filter((m) => m.ruleId !== '@typescript-eslint/no-restricted-imports');
  expect(other.map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`)).toEqual([]);
  return result.messages.map((m) => m.message);
}

describe('layer rules', () => {
  it.each([
    ['electron/services/x.ts', "import { methods } from '../api/contract';\nexport const a = methods;\n", 'electron/services never imports electron/api'],
    ['electron/services/x.ts', "export { createHttpTransport } from '../transports/http';\n", 'electron/services never imports electron/api, transports'],
    ['electron/services/x.ts', "import { app } from 'electron';\nexport const a = app;\n", 'only electron/*.ts and electron/transports may import Electron'],
    ['electron/pdf/x.ts', "import { callNext } from '../services/queue';\nexport const a = callNext;\n", 'electron/pdf renders view models'],
    ['renderer/src/x.ts', "import { callNext } from '../../electron/services/queue';\nexport const a = callNext;\n", 'renderer/ imports only shared/ at runtime'],
    ['renderer/src/x.ts', "import { routes } from '../../electron/api';\nexport const a = routes;\n", 'renderer/ imports only shared/ at runtime'],
    ['renderer/src/doctor/x.tsx', "import type { Diagnosis } from '../../../db/schema/consultations';\nexport type A = Diagnosis;\n", 'renderer/ imports only shared/'],
    ['shared/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n", 'shared/ is isomorphic'],
    ['shared/x.ts', "import { eq } from 'drizzle-orm';\nexport const a = eq;\n", 'shared/ is isomorphic'],
    ['server/x.ts', "import { SyncEngine } from '../electron/sync/engine';\nexport const a = SyncEngine;\n", 'server/ may import shared/ and db/, never electron/'],
    ['db/schema/x.ts', "import type { ServiceContext } from '../../electron/core/context';\nexport type A = ServiceContext;\n", 'db/ (schema, migrations, open) may import only shared/'],
  ])('%s: %j is refused', async (filePath, code, why) => {
    const errors = await layerErrors(filePath, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('Layer rule (issue #13)');
    expect(errors[0]).toContain(why);
  });

  it.each([
    ['renderer/src/x.ts', "import type { Routes } from '../../electron/api';\nexport type A = Routes;\n"],
    ['renderer/src/api/x.ts', "import { type ClinicBridge } from '../../../electron/bridge';\nexport type A = ClinicBridge;\n"],
    ['renderer/src/x.ts', "import { formatPaise } from '../../shared/money';\nexport const a = formatPaise;\n"],
    ['electron/services/x.ts', "import type { ClinicEvent } from '../bridge';\nexport type A = ClinicEvent;\n"],
    ['electron/api/x.ts', "import { callNext } from '../services/queue';\nexport const a = callNext;\n"],
    ['server/x.ts', "import { SYNCED_TABLES } from '../db/sync-tables';\nexport const a = SYNCED_TABLES;\n"],
    ['shared/x.ts', "import { z } from 'zod';\nexport const a = z;\n"],
  ])('%s: %j is allowed', async (filePath, code) => {
    expect(await layerErrors(filePath, code)).toEqual([]);
  });
});
