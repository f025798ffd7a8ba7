import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Configuration } from 'app-builder-lib';
import { describe, expect, it } from 'vitest';
import { appBuilderConfig, builderUtil } from '../helpers/builder-modules';
import { tempDir } from '../helpers/temp';

/**
 * electron-builder.yml, checked by electron-builder itself: loaded with its own loader
 * (app-builder-lib's getConfig, the js-yaml reader `electron-builder --config` uses) and
 * validated with its own validateConfiguration (its JSON schema, scheme.json, plus its
 * deprecation checks), called as its Packager does before every build. No Electron needed.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CONFIG = path.join(root, 'electron-builder.yml');

const { getConfig, validateConfiguration } = appBuilderConfig;
const load = (projectDir: string, file: string) => getConfig(projectDir, file, null);
const validate = (config: Configuration) => validateConfiguration(config, new builderUtil.DebugLogger(false));

/** The configuration with one key renamed (a misspelling), as a YAML file electron-builder loads. */
async function misspelled(from: RegExp, to: string): Promise<Configuration> {
  const text = fs.readFileSync(CONFIG, 'utf8');
  expect(text).toMatch(from);
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'electron-builder.yml'), text.replace(from, to));
  return load(dir, path.join(dir, 'electron-builder.yml'));
}

function pngSize(file: string) {
  const b = fs.readFileSync(file);
  expect(b.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema validation', async () => {
    const config = await load(root, CONFIG);
    await expect(validate(config)).resolves.toBeUndefined();
  });

  it('rejects a misspelled key, at the top level and inside a target', async () => {
    await expect(validate(await misspelled(/^asarUnpack:/m, 'asarUnpak:'))).rejects.toThrow(/does not match the API schema[\s\S]*asarUnpak/);
    await expect(validate(await misspelled(/^ {2}perMachine:/m, '  perMachin:'))).rejects.toThrow(/does not match the API schema[\s\S]*nsis/);
    await expect(validate(await misspelled(/^ {2}provider: generic/m, '  provider: genric'))).rejects.toThrow(/does not match the API schema/);
  });

  it('packs what the app reads at run time, where electron/main.ts looks for it', async () => {
    const c = await load(root, CONFIG);
    expect(c).toMatchObject({
      appId: 'in.clinicworkstation.app',
      productName: 'Clinic Workstation',
      directories: { output: 'dist', buildResources: 'resources' },
      asar: true,
      npmRebuild: true,
      extraResources: [
        { from: 'db/migrations', to: 'migrations' },
        { from: 'resources/fonts', to: 'resources/fonts' },
        { from: 'resources/reference', to: 'resources/reference' },
      ],
    });
    // The browser host's compressed copies, the build manifest and the server's libsodium (18 MB of
    // binaries for every platform; the desk never verifies a signature) stay out of the installer.
    expect(c.files).toEqual([{ filter: ['out/**', '!out/renderer/**/*.{br,gz}', '!out/renderer/.vite/**', 'package.json', '!**/node_modules/sodium-native/**'] }]);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.main).toMatch(/^(\.\/)?out\//);
    // electron-builder refuses to build if these are production dependencies.
    expect(Object.keys(pkg.dependencies)).not.toContain('electron');
    expect(Object.keys(pkg.dependencies)).not.toContain('electron-builder');
    expect(Object.keys(pkg.dependencies)).toContain('electron-updater');
    expect(fs.readdirSync(path.join(root, 'db/migrations')).some((f) => f.endsWith('.sql'))).toBe(true);
    expect(fs.readdirSync(path.join(root, 'resources/fonts')).some((f) => f.endsWith('.ttf'))).toBe(true);
    expect(fs.readdirSync(path.join(root, 'resources/reference')).filter((f) => f.endsWith('.csv.gz'))).toHaveLength(5);
    const main = fs.readFileSync(path.join(root, 'electron/main.ts'), 'utf8');
    expect(main).toContain("path.join(process.resourcesPath, 'migrations')");
    expect(main).toContain("path.join(process.resourcesPath, 'resources')");
  });

  it('unpacks the native SQLite module from the asar, whichever build of it is used', async () => {
    const c = await load(root, CONFIG);
    expect(c.asarUnpack).toContain('**/node_modules/better-sqlite3*/**');
  });

  it('makes AppImage + deb, an NSIS installer and a dmg, with icons that exist', async () => {
    const c = await load(root, CONFIG);
    expect(c.linux).toMatchObject({ target: ['AppImage', 'deb'], category: 'Office;MedicalSoftware' });
    expect(c.linux?.maintainer).toMatch(/<.+@.+>/);
    expect(c.deb?.depends).toContain('libsecret-1-0');
    expect(c.nsis).toMatchObject({ oneClick: false, perMachine: true, allowToChangeInstallationDirectory: true });
    expect(c.mac).toMatchObject({ target: ['dmg'], category: 'public.app-category.medical' });
    expect(pngSize(path.join(root, 'resources/icon.png'))).toEqual({ width: 512, height: 512 });
    const ico = fs.readFileSync(path.join(root, 'resources/icon.ico'));
    expect(ico.readUInt16LE(2)).toBe(1); // an icon
    const count = ico.readUInt16LE(4);
    const widths = Array.from({ length: count }, (_, i) => ico[6 + 16 * i]! || 256);
    expect(widths).toContain(256); // electron-builder wants a 256x256 image for Windows
  });

  it('publishes a generic update feed whose address is given when building', async () => {
    const c = await load(root, CONFIG);
    expect(c.publish).toEqual({ provider: 'generic', url: '${env.CLINIC_UPDATE_URL}', channel: 'latest' });
  });
});
