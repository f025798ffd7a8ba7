import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { BlockMap } from 'builder-util-runtime/out/blockMapApi';
import { DebUpdater, type UpdateDownloadedEvent, type UpdateInfo } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter.js';
import { GenericDifferentialDownloader } from 'electron-updater/out/differentialDownloader/GenericDifferentialDownloader.js';
import { GenericProvider } from 'electron-updater/out/providers/GenericProvider.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedUrlForServer, startUpdater, type UpdateAction } from '../../electron/updater';
import { createSyncServer } from '../../server/app';
import { openServerDb, type OpenedServerDb } from '../../server/db/open';
import { appBuilderBlockmap, builderUtilRuntime } from '../helpers/builder-modules';
import { NodeHttpExecutor } from '../helpers/node-http-executor';
import { prng } from '../helpers/prng';

/**
 * The update feed end to end: the real sync server serving a folder laid out as electron-builder
 * publishes it, read by electron-updater's own code (GenericProvider, DebUpdater, the
 * differential downloader) over HTTP, with a Node HTTP executor instead of Electron's `net`.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const APP_VERSION = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
const OLD = 'clinic-workstation-9.9.8-x64.deb';
const NEW = 'clinic-workstation-9.9.9-x64.deb';
// electron-updater's channel file for this machine: latest-linux.yml on x64 (latest-linux-arm64.yml ...)
const CHANNEL_FILE = `latest-linux${process.arch === 'x64' ? '' : `-${process.arch}`}.yml`;

const sha512 = (data: Buffer) => createHash('sha512').update(data).digest('base64');

// Nothing here may load Electron: watch every require() while this file runs.
const electronLoads: string[] = [];
const originalLoad = Reflect.get(Module, '_load') as (...args: unknown[]) => unknown;

let work: string;
let updatesDir: string;
let database: OpenedServerDb;
let server: ReturnType<typeof createSyncServer>;
let base: string;
const files = { old: Buffer.alloc(0), new: Buffer.alloc(0), newSha512: '', oldSha512: '' };

/** Deterministic "installer" bytes; the new version differs from the old in two places. */
function installers() {
  const r = prng(20261121);
  const old = Buffer.alloc(1_200_000);
  for (let i = 0; i < old.length; i++) old[i] = Math.floor(r.next() * 256);
  const changed = Buffer.from(old);
  for (let i = 200_000; i < 230_000; i++) changed[i] = Math.floor(r.next() * 256);
  for (let i = 900_000; i < 910_000; i++) changed[i] = Math.floor(r.next() * 256);
  // ... and grew a little at the end
  const extra = Buffer.alloc(50_000);
  for (let i = 0; i < extra.length; i++) extra[i] = Math.floor(r.next() * 256);
  return { old, new: Buffer.concat([changed, extra]) };
}

beforeAll(async () => {
  Reflect.set(Module, '_load', function (this: unknown, request: unknown, ...rest: unknown[]) {
    if (request === 'electron') electronLoads.push(new Error('electron loaded').stack ?? '');
    return originalLoad.apply(this, [request, ...rest]);
  });

  work = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-update-feed-'));
  updatesDir = path.join(work, 'updates');
  fs.mkdirSync(updatesDir);
  const made = installers();
  files.old = made.old;
  files.new = made.new;
  fs.writeFileSync(path.join(updatesDir, OLD), made.old);
  fs.writeFileSync(path.join(updatesDir, NEW), made.new);
  // electron-builder's own block maps, as it writes them beside every published installer
  const oldInfo = await appBuilderBlockmap.buildBlockMap(path.join(updatesDir, OLD), 'gzip', path.join(updatesDir, `${OLD}.blockmap`));
  const newInfo = await appBuilderBlockmap.buildBlockMap(path.join(updatesDir, NEW), 'gzip', path.join(updatesDir, `${NEW}.blockmap`));
  files.oldSha512 = oldInfo.sha512;
  files.newSha512 = newInfo.sha512;
  expect(newInfo.sha512).toBe(sha512(made.new));
  fs.writeFileSync(
    path.join(updatesDir, CHANNEL_FILE),
    [
      'version: 9.9.9',
      'files:',
      `  - url: ${NEW}`,
      `    sha512: ${newInfo.sha512}`,
      `    size: ${made.new.length}`,
      `path: ${NEW}`,
      `sha512: ${newInfo.sha512}`,
      "releaseDate: '2026-11-21T04:30:00.000Z'",
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(updatesDir, 'latest.yml'), 'version: 9.9.9\npath: clinic-workstation-setup-9.9.9.exe\n');
  fs.writeFileSync(path.join(updatesDir, 'latest-mac.yml'), 'version: 9.9.9\npath: clinic-workstation-9.9.9-arm64.zip\n');
  fs.writeFileSync(path.join(updatesDir, 'clinic-workstation-setup-9.9.9.exe'), 'MZ not really');
  fs.writeFileSync(path.join(updatesDir, 'clinic-workstation-9.9.9-x86_64.AppImage'), 'ELF not really');
  fs.writeFileSync(path.join(updatesDir, 'clinic-workstation-9.9.9-arm64.dmg'), 'dmg');
  fs.writeFileSync(path.join(updatesDir, '.hidden'), 'hidden');
  fs.mkdirSync(path.join(updatesDir, 'sub'));
  fs.writeFileSync(path.join(updatesDir, 'sub', 'inner.yml'), 'inner');
  fs.writeFileSync(path.join(work, 'secret.txt'), 'SECRET');
  fs.symlinkSync(path.join(work, 'secret.txt'), path.join(updatesDir, 'link.txt'));

  database = await openServerDb({});
  server = createSyncServer({ database, adminToken: 'test-admin-token', updatesDir });
  base = `http://127.0.0.1:${await server.listen(0)}`;
}, 60_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
  Reflect.set(Module, '_load', originalLoad);
  fs.rmSync(work, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A raw request: the path goes out exactly as written (fetch would tidy up "..", "%2e"). */
function raw(rawPath: string, headers: http.OutgoingHttpHeaders = {}, method = 'GET', url = base): Promise<Reply> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: rawPath, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Splits a multipart/byteranges body into its parts. */
function parts(reply: Reply): { range: string; type: string; data: Buffer }[] {
  const m = /^multipart\/byteranges; boundary=(\S+)$/.exec(String(reply.headers['content-type']));
  if (!m) throw new Error(`not multipart: ${String(reply.headers['content-type'])}`);
  const delimiter = Buffer.from(`--${m[1]}`);
  const out: { range: string; type: string; data: Buffer }[] = [];
  let at = reply.body.indexOf(delimiter);
  expect(at).toBe(0);
  for (;;) {
    at += delimiter.length;
    if (reply.body.subarray(at, at + 2).toString() === '--') break;
    const headEnd = reply.body.indexOf('\r\n\r\n', at);
    const head = reply.body.subarray(at, headEnd).toString();
    const range = /Content-Range: bytes (\S+)/.exec(head)![1]!;
    const type = /Content-Type: (.+)/.exec(head)![1]!.trim();
    const [from, to] = range.split('/')[0]!.split('-').map(Number) as [number, number];
    const data = reply.body.subarray(headEnd + 4, headEnd + 4 + to - from + 1);
    out.push({ range, type, data });
    at = headEnd + 4 + data.length;
    expect(reply.body.subarray(at, at + 2).toString()).toBe('\r\n');
    at += 2;
  }
  return out;
}

describe('the update feed the sync server serves at /updates/', () => {
  it('serves channel files, installers and block maps, each with its content type', async () => {
    const cases: [string, string][] = [
      [CHANNEL_FILE, 'text/yaml; charset=utf-8'],
      ['latest.yml', 'text/yaml; charset=utf-8'],
      ['latest-mac.yml', 'text/yaml; charset=utf-8'],
      [NEW, 'application/vnd.debian.binary-package'],
      [`${NEW}.blockmap`, 'application/octet-stream'],
      ['clinic-workstation-setup-9.9.9.exe', 'application/vnd.microsoft.portable-executable'],
      ['clinic-workstation-9.9.9-x86_64.AppImage', 'application/vnd.appimage'],
      ['clinic-workstation-9.9.9-arm64.dmg', 'application/x-apple-diskimage'],
    ];
    for (const [name, type] of cases) {
      const r = await raw(`/updates/${name}`);
      expect(r.status, name).toBe(200);
      expect(r.headers['content-type'], name).toBe(type);
      expect(r.body.equals(fs.readFileSync(path.join(updatesDir, name))), name).toBe(true);
      expect(r.headers['content-length']).toBe(String(r.body.length));
      expect(r.headers['accept-ranges']).toBe('bytes');
      expect(r.headers['content-encoding']).toBeUndefined();
    }
    expect((await raw(`/updates/${CHANNEL_FILE}`)).headers['cache-control']).toBe('no-cache');
    // electron-updater adds ?noCache=... to channel-file requests
    expect((await raw(`/updates/${CHANNEL_FILE}?noCache=1abc`)).status).toBe(200);

    const head = await raw(`/updates/${NEW}`, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(files.new.length));
    expect(head.body.length).toBe(0);

    const etag = head.headers.etag!;
    expect((await raw(`/updates/${NEW}`, { 'If-None-Match': etag })).status).toBe(304);
  });

  it('is read-only, lists nothing and never serves a file outside the folder', async () => {
    for (const p of [
      '/updates',
      '/updates/',
      '/updates/sub',
      '/updates/sub/inner.yml',
      '/updates/sub%2Finner.yml',
      '/updates/.hidden',
      '/updates/../secret.txt',
      '/updates/..%2Fsecret.txt',
      '/updates/..%2fsecret.txt',
      '/updates/%2e%2e/secret.txt',
      '/updates/%2e%2e%2fsecret.txt',
      '/updates/..%5Csecret.txt',
      '/updates/sub/../../secret.txt',
      '/updates/link.txt', // a symbolic link to ../secret.txt
      `/updates/${encodeURIComponent(path.join(work, 'secret.txt'))}`,
      '/updates/%00latest.yml',
      '/updates/%E0%A4%A',
      '/updates/nothing-here.yml',
    ]) {
      const r = await raw(p);
      expect([400, 404], p).toContain(r.status);
      expect(r.body.toString(), p).not.toContain('SECRET');
      expect(r.body.toString(), p).not.toContain('inner');
      expect(r.body.toString(), p).not.toContain(NEW);
    }
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const r = await raw(`/updates/${CHANNEL_FILE}`, {}, method);
      expect(r.status, method).toBe(405);
      expect(r.headers.allow).toBe('GET, HEAD');
    }
    expect(fs.readFileSync(path.join(updatesDir, CHANNEL_FILE), 'utf8')).toContain('version: 9.9.9');
  });

  it('answers Range requests: one range, suffix, open-ended, several (multipart), unsatisfiable, If-Range', async () => {
    const size = files.new.length;
    const one = await raw(`/updates/${NEW}`, { Range: 'bytes=100-199' });
    expect(one.status).toBe(206);
    expect(one.headers['content-range']).toBe(`bytes 100-199/${size}`);
    expect(one.headers['content-type']).toBe('application/vnd.debian.binary-package');
    expect(one.body.equals(files.new.subarray(100, 200))).toBe(true);

    const suffix = await raw(`/updates/${NEW}`, { Range: 'bytes=-10' });
    expect(suffix.headers['content-range']).toBe(`bytes ${size - 10}-${size - 1}/${size}`);
    expect(suffix.body.equals(files.new.subarray(size - 10))).toBe(true);

    const open = await raw(`/updates/${NEW}`, { Range: `bytes=${size - 5}-` });
    expect(open.body.equals(files.new.subarray(size - 5))).toBe(true);

    const beyondEnd = await raw(`/updates/${NEW}`, { Range: `bytes=${size - 5}-${size + 100}` });
    expect(beyondEnd.headers['content-range']).toBe(`bytes ${size - 5}-${size - 1}/${size}`);

    // As electron-updater's differential downloader asks: "bytes=a-b, c-d, ..." in one request.
    const several = await raw(`/updates/${NEW}`, { Range: 'bytes=0-9, 1000-1999, 500000-500099' });
    expect(several.status).toBe(206);
    expect(several.headers['content-length']).toBe(String(several.body.length));
    const got = parts(several);
    expect(got.map((p) => p.range)).toEqual([`0-9/${size}`, `1000-1999/${size}`, `500000-500099/${size}`]);
    expect(got.every((p) => p.type === 'application/vnd.debian.binary-package')).toBe(true);
    expect(got[0]!.data.equals(files.new.subarray(0, 10))).toBe(true);
    expect(got[1]!.data.equals(files.new.subarray(1000, 2000))).toBe(true);
    expect(got[2]!.data.equals(files.new.subarray(500000, 500100))).toBe(true);

    const unsatisfiable = await raw(`/updates/${NEW}`, { Range: `bytes=${size}-${size + 10}` });
    expect(unsatisfiable.status).toBe(416);
    expect(unsatisfiable.headers['content-range']).toBe(`bytes */${size}`);

    // A malformed range is ignored (whole file); so is one whose If-Range no longer matches.
    expect((await raw(`/updates/${NEW}`, { Range: 'bytes=abc' })).status).toBe(200);
    expect((await raw(`/updates/${NEW}`, { Range: 'bytes=0-9', 'If-Range': '"stale"' })).status).toBe(200);
    const etag = (await raw(`/updates/${NEW}`, {}, 'HEAD')).headers.etag!;
    expect((await raw(`/updates/${NEW}`, { Range: 'bytes=0-9', 'If-Range': etag })).status).toBe(206);
  });

  it('is 404 when the server has no updates folder', async () => {
    const bare = createSyncServer({ database, adminToken: 'x' });
    const url = `http://127.0.0.1:${await bare.listen(0)}`;
    try {
      expect((await raw(`/updates/${CHANNEL_FILE}`, {}, 'GET', url)).status).toBe(404);
    } finally {
      await bare.close();
    }
  });
});

/** An installed app as electron-updater sees it, without Electron. */
class TestApp implements AppAdapter {
  readonly name = 'clinic-workstation';
  readonly isPackaged = true;
  readonly quitHandlers: ((exitCode: number) => void)[] = [];
  relaunched = 0;
  constructor(
    readonly version: string,
    readonly dir: string,
  ) {}
  get appUpdateConfigPath() {
    return path.join(this.dir, 'resources', 'app-update.yml');
  }
  get userDataPath() {
    return path.join(this.dir, 'userData');
  }
  get baseCachePath() {
    return path.join(this.dir, 'cache');
  }
  whenReady() {
    return Promise.resolve();
  }
  relaunch() {
    this.relaunched++;
  }
  quit() {}
  onQuit(handler: (exitCode: number) => void) {
    this.quitHandlers.push(handler);
  }
}

/**
 * electron-updater's real .deb updater, as an installed app at `version` would run it: reads the
 * app-update.yml electron-builder puts in resources/ (here pointing at `feed`), Node HTTP instead
 * of Electron's, and quitAndInstall recorded instead of running dpkg.
 */
class TestDebUpdater extends DebUpdater {
  readonly executor = new NodeHttpExecutor();
  readonly installs: [boolean | undefined, boolean | undefined][] = [];
  readonly log: string[] = [];
  override readonly app: TestApp;

  constructor(version: string, feed: string) {
    const dir = fs.mkdtempSync(path.join(work, 'app-'));
    fs.mkdirSync(path.join(dir, 'resources'));
    fs.writeFileSync(
      path.join(dir, 'resources', 'app-update.yml'),
      `provider: generic\nurl: ${feed}\nchannel: latest\nupdaterCacheDirName: clinic-workstation-updater\n`,
    );
    const app = new TestApp(version, dir);
    super(null, app);
    this.app = app;
    // electron-builder's own updater tests swap the executor the same way.
    Reflect.set(this, 'httpExecutor', this.executor);
    this.logger = { info: (m: unknown) => this.log.push(`info ${String(m)}`), warn: (m: unknown) => this.log.push(`warn ${String(m)}`), error: (m: unknown) => this.log.push(`error ${String(m)}`) };
  }

  override quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.installs.push([isSilent, isForceRunAfter]);
  }
}

describe('electron-updater reading the feed', () => {
  it('GenericProvider finds 9.9.9 in the channel file and resolves its installer', async () => {
    const executor = new NodeHttpExecutor();
    const updater = new TestDebUpdater(APP_VERSION, `${base}/updates/`);
    const provider = new GenericProvider({ provider: 'generic', url: `${base}/updates/`, channel: 'latest' }, updater, {
      isUseMultipleRangeRequest: true,
      platform: 'linux',
      executor: executor.asUpdaterExecutor(),
    });
    const info: UpdateInfo = await provider.getLatestVersion();
    expect(info.version).toBe('9.9.9');
    expect(executor.requests[0]!.path).toMatch(new RegExp(`^/updates/${CHANNEL_FILE.replace(/\./g, '\\.')}\\?noCache=`));
    const [file] = provider.resolveFiles(info);
    expect(file!.url.href).toBe(`${base}/updates/${NEW}`);
    expect(file!.info.sha512).toBe(sha512(files.new));

    // The installer downloads, and electron-updater's DigestTransform checks its sha512 on the way.
    const dest = path.join(work, 'downloaded.deb');
    const { CancellationToken } = builderUtilRuntime;
    await executor.download(file!.url, dest, { sha512: file!.info.sha512, cancellationToken: new CancellationToken() });
    expect(sha512(fs.readFileSync(dest))).toBe(files.newSha512);
    await expect(
      executor.download(file!.url, path.join(work, 'corrupt.deb'), { sha512: files.oldSha512, cancellationToken: new CancellationToken() }),
    ).rejects.toMatchObject({ code: 'ERR_CHECKSUM_MISMATCH' });
  });

  it('says 9.9.9 is newer than this app’s version, and that nothing is newer than 9.9.9', async () => {
    const current = new TestDebUpdater(APP_VERSION, `${base}/updates/`);
    current.autoDownload = false;
    const result = await current.checkForUpdates();
    expect(result).toMatchObject({ isUpdateAvailable: true, updateInfo: { version: '9.9.9' } });

    const latest = new TestDebUpdater('9.9.9', `${base}/updates/`);
    latest.autoDownload = false;
    expect(await latest.checkForUpdates()).toMatchObject({ isUpdateAvailable: false });
    const newer = new TestDebUpdater('10.0.0', `${base}/updates/`);
    newer.autoDownload = false;
    expect(await newer.checkForUpdates()).toMatchObject({ isUpdateAvailable: false });
  });

  it('downloads the update into its cache, sha512 checked, and announces it', async () => {
    const updater = new TestDebUpdater(APP_VERSION, `${base}/updates/`);
    updater.autoDownload = false;
    const downloaded: UpdateDownloadedEvent[] = [];
    updater.on('update-downloaded', (e) => downloaded.push(e));
    expect((await updater.checkForUpdates())?.isUpdateAvailable).toBe(true);
    const [file] = await updater.downloadUpdate();
    expect(downloaded).toHaveLength(1);
    expect(downloaded[0]).toMatchObject({ version: '9.9.9', downloadedFile: file });
    expect(file!.startsWith(path.join(updater.app.baseCachePath, 'clinic-workstation-updater'))).toBe(true);
    expect(sha512(fs.readFileSync(file!))).toBe(files.newSha512);
    expect(updater.executor.requests.map((r) => r.path.replace(/\?.*/, ''))).toEqual([`/updates/${CHANNEL_FILE}`, `/updates/${NEW}`]);
    expect(updater.installs).toEqual([]); // nothing installed or restarted by itself
  });

  it('downloads only the changed blocks, with multi-range and single-range requests (differential update)', async () => {
    const executor = new NodeHttpExecutor();
    const { CancellationToken } = builderUtilRuntime;
    const blockMap = async (name: string) =>
      JSON.parse(gunzipSync(await executor.downloadToBuffer(new URL(`${base}/updates/${name}`), { cancellationToken: new CancellationToken() })).toString()) as BlockMap;
    const oldMap = await blockMap(`${OLD}.blockmap`);
    const newMap = await blockMap(`${NEW}.blockmap`);
    const oldFile = path.join(work, 'installed-9.9.8.deb');
    fs.writeFileSync(oldFile, files.old);

    for (const isUseMultipleRangeRequest of [true, false]) {
      const newFile = path.join(work, `differential-${String(isUseMultipleRangeRequest)}.deb`);
      executor.requests.length = 0;
      await new GenericDifferentialDownloader({ size: files.new.length, sha512: files.newSha512 }, executor, {
        oldFile,
        newFile,
        newUrl: new URL(`${base}/updates/${NEW}`),
        logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
        requestHeaders: null,
        isUseMultipleRangeRequest,
        cancellationToken: new CancellationToken(),
      }).download(oldMap, newMap);
      // electron-updater verified the sha512 of the file it assembled; check it once more.
      expect(fs.readFileSync(newFile).equals(files.new)).toBe(true);
      const ranges = executor.requests.map((r) => r.range).filter((r): r is string => r !== null);
      expect(ranges.length).toBeGreaterThan(0);
      if (isUseMultipleRangeRequest) expect(ranges.some((r) => r.includes(','))).toBe(true);
      else expect(ranges.every((r) => !r.includes(','))).toBe(true);
      const fetched = ranges
        .flatMap((r) => r.replace(/^bytes=/, '').split(','))
        .map((spec) => spec.trim().split('-').map(Number) as [number, number])
        .reduce((n, [a, b]) => n + b - a + 1, 0);
      // about 90 KB changed or added out of 1.25 MB
      expect(fetched).toBeLessThan(files.new.length / 4);
    }
  });

  it('the app’s updater module, on the real updater and feed: downloads, asks at a quiet moment, restarts only when told', async () => {
    // The built-in feed (app-update.yml) is unreachable; the enrolled sync server's is used.
    const updater = new TestDebUpdater(APP_VERSION, 'http://127.0.0.1:9/updates/');
    const prompts: { message: string; actions: UpdateAction[] }[] = [];
    const world = { quiet: false };
    const control = startUpdater({
      updater,
      enabled: true,
      isQuietMoment: () => world.quiet,
      notify: (message, actions) => prompts.push({ message, actions }),
      feedUrl: () => feedUrlForServer(base),
      firstCheckAfterMs: 60 * 60_000,
      quietPollMs: 20,
    });
    try {
      await control.checkNow();
      expect(control.state).toMatchObject({ status: 'ready', readyVersion: '9.9.9', latestVersion: '9.9.9', lastError: null });
      expect(updater.autoDownload).toBe(false);
      expect(prompts).toEqual([]); // a consultation is open
      world.quiet = true;
      await expect.poll(() => prompts.length, { timeout: 5_000 }).toBe(1);
      expect(prompts[0]!.message).toContain('9.9.9');
      expect(updater.installs).toEqual([]);
      prompts[0]!.actions.find((a) => a.label === 'Restart now')!.run();
      expect(updater.installs).toEqual([[false, true]]);
    } finally {
      control.stop();
    }
  });

  it('never loaded Electron', () => {
    expect(electronLoads).toEqual([]);
  });
});
