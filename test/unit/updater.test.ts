import { EventEmitter } from 'node:events';
import type { UpdateCheckResult, UpdateDownloadedEvent, UpdateInfo } from 'electron-updater';
import { describe, expect, it } from 'vitest';
import { feedUrlForServer, HOUR, startUpdater, type AutoUpdaterLike, type UpdateAction, type UpdaterOptions, type UpdaterTimers } from '../../electron/updater';

const MINUTE = 60_000;

/** Timers that only move when the test says so. */
class FakeTimers implements UpdaterTimers {
  now = 0;
  private seq = 0;
  private pending = new Map<number, { at: number; fn: () => void }>();

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.pending.set(id, { at: this.now + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  get count(): number {
    return this.pending.size;
  }

  /** Moves time forward, running what falls due (and what that schedules) in order. */
  async advance(ms: number): Promise<void> {
    const until = this.now + ms;
    for (;;) {
      await settle();
      const next = [...this.pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next) break;
      this.pending.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
    }
    this.now = until;
    await settle();
  }
}

/** Lets pending promise callbacks run. */
async function settle() {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}

const info = (version: string): UpdateInfo => ({ version, files: [], path: `app-${version}.deb`, sha512: 'x', releaseDate: '2026-11-21T00:00:00.000Z' });

/** An electron-updater stand-in: answers checks from `feed`, "downloads" by emitting the event. */
class FakeUpdater extends EventEmitter implements AutoUpdaterLike {
  autoDownload = true;
  autoInstallOnAppQuit = false;
  current = '0.1.0';
  feed: string | Error = '0.1.0';
  checks = 0;
  downloads = 0;
  installs: [boolean | undefined, boolean | undefined][] = [];
  feedUrls: unknown[] = [];

  checkForUpdates(): Promise<UpdateCheckResult | null> {
    this.checks++;
    if (this.feed instanceof Error) {
      this.emit('error', this.feed);
      return Promise.reject(this.feed);
    }
    const updateInfo = info(this.feed);
    return Promise.resolve({ isUpdateAvailable: this.feed !== this.current, updateInfo, versionInfo: updateInfo });
  }

  downloadUpdate(): Promise<string[]> {
    this.downloads++;
    const event: UpdateDownloadedEvent = { ...info(String(this.feed)), downloadedFile: `/cache/app-${String(this.feed)}.deb` };
    this.emit('update-downloaded', event);
    return Promise.resolve([event.downloadedFile]);
  }

  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.installs.push([isSilent, isForceRunAfter]);
  }

  setFeedURL(options: unknown): void {
    this.feedUrls.push(options);
  }
}

function setup(overrides: Partial<UpdaterOptions> = {}) {
  const timers = new FakeTimers();
  const updater = new FakeUpdater();
  const prompts: { message: string; actions: UpdateAction[] }[] = [];
  const world = { quiet: true };
  const control = startUpdater({
    updater,
    enabled: true,
    isQuietMoment: () => world.quiet,
    notify: (message, actions) => prompts.push({ message, actions }),
    timers,
    now: () => timers.now,
    firstCheckAfterMs: 20_000,
    checkEveryMs: 4 * HOUR,
    quietPollMs: MINUTE,
    askAgainAfterMs: 2 * HOUR,
    ...overrides,
  });
  const choose = (label: string) => {
    const prompt = prompts.at(-1);
    const action = prompt?.actions.find((a) => a.label === label);
    if (!action) throw new Error(`no "${label}" in the last prompt: ${JSON.stringify(prompt)}`);
    action.run();
  };
  return { timers, updater, prompts, world, control, choose };
}

describe('updater', () => {
  it('does nothing at all when disabled (development, tests, CLINIC_UPDATES=off)', async () => {
    const timers = new FakeTimers();
    const updater = new FakeUpdater();
    updater.feed = '9.9.9';
    const control = startUpdater({ updater, enabled: false, isQuietMoment: () => true, notify: () => undefined, timers });
    await timers.advance(48 * HOUR);
    await control.checkNow();
    expect(updater.checks).toBe(0);
    expect(timers.count).toBe(0);
    expect(updater.listenerCount('update-downloaded')).toBe(0);
    expect(updater.autoDownload).toBe(true); // untouched
    expect(control.state.status).toBe('disabled');
  });

  it('checks shortly after start and then every four hours; downloads only itself; installs on quit', async () => {
    const { timers, updater, control } = setup();
    expect(updater.autoDownload).toBe(false);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    await timers.advance(19_000);
    expect(updater.checks).toBe(0);
    await timers.advance(1_000);
    expect(updater.checks).toBe(1);
    expect(control.state).toMatchObject({ status: 'idle', latestVersion: '0.1.0', lastCheckAt: 20_000, readyVersion: null });
    await timers.advance(4 * HOUR - 1);
    expect(updater.checks).toBe(1);
    await timers.advance(1);
    expect(updater.checks).toBe(2);
    await timers.advance(8 * HOUR);
    expect(updater.checks).toBe(4);
    expect(updater.downloads).toBe(0);
  });

  it('downloads a newer version in the background and asks to restart at a quiet moment; never restarts by itself', async () => {
    const { timers, updater, prompts, control, choose } = setup();
    updater.feed = '9.9.9';
    await timers.advance(20_000);
    expect(updater.downloads).toBe(1);
    expect(control.state).toMatchObject({ status: 'ready', readyVersion: '9.9.9', asking: true });
    expect(prompts).toHaveLength(1);
    expect(prompts[0]!.message).toContain('9.9.9');
    expect(prompts[0]!.actions.map((a) => a.label)).toEqual(['Restart now', 'Later']);

    // Unanswered for a day: no restart, no pile of prompts, no new download of the same version.
    await timers.advance(24 * HOUR);
    expect(updater.installs).toEqual([]);
    expect(prompts).toHaveLength(1);
    expect(updater.downloads).toBe(1);

    choose('Restart now');
    expect(updater.installs).toEqual([[false, true]]);
    expect(control.state.status).toBe('restarting');
  });

  it('never asks during a consultation: looks again every minute until it is over', async () => {
    const { timers, updater, prompts, world, choose } = setup();
    world.quiet = false;
    updater.feed = '9.9.9';
    await timers.advance(20_000);
    expect(updater.downloads).toBe(1);
    expect(prompts).toHaveLength(0);
    await timers.advance(45 * MINUTE);
    expect(prompts).toHaveLength(0);
    world.quiet = true;
    await timers.advance(MINUTE);
    expect(prompts).toHaveLength(1);
    choose('Restart now');
    expect(updater.installs).toHaveLength(1);
  });

  it('"Later" asks again two hours later, and then only at a quiet moment', async () => {
    const { timers, updater, prompts, world, choose } = setup();
    updater.feed = '9.9.9';
    await timers.advance(20_000);
    choose('Later');
    await timers.advance(2 * HOUR - 1);
    expect(prompts).toHaveLength(1);
    world.quiet = false; // a consultation is open when the two hours are up
    await timers.advance(1);
    expect(prompts).toHaveLength(1);
    await timers.advance(10 * MINUTE);
    expect(prompts).toHaveLength(1);
    world.quiet = true;
    await timers.advance(MINUTE);
    expect(prompts).toHaveLength(2);
    expect(updater.installs).toEqual([]);
  });

  it('"Restart now" pressed after a consultation began does not restart; it asks again afterwards', async () => {
    const { timers, updater, prompts, world, choose } = setup();
    updater.feed = '9.9.9';
    await timers.advance(20_000);
    world.quiet = false; // the doctor called the next patient while the prompt was up
    choose('Restart now');
    expect(updater.installs).toEqual([]);
    expect(prompts.at(-1)!.actions).toEqual([]);
    expect(prompts.at(-1)!.message).toMatch(/consultation is open/);
    await timers.advance(30 * MINUTE);
    expect(prompts).toHaveLength(2);
    world.quiet = true;
    await timers.advance(MINUTE);
    expect(prompts).toHaveLength(3);
    choose('Restart now');
    expect(updater.installs).toEqual([[false, true]]);
  });

  it('an install that does not start (error after quitAndInstall) is offered again later; checks go on', async () => {
    const { timers, updater, prompts, control, choose } = setup();
    updater.feed = '9.9.9';
    await timers.advance(20_000);
    choose('Restart now');
    expect(control.state.status).toBe('restarting');
    updater.emit('error', new Error('pkexec: authentication cancelled'));
    expect(control.state).toMatchObject({ status: 'ready', lastError: 'pkexec: authentication cancelled' });
    await timers.advance(2 * HOUR);
    expect(prompts).toHaveLength(2);
    await timers.advance(2 * HOUR);
    expect(updater.checks).toBe(2);
  });

  it('a failed check (offline) is noted and retried at the next one', async () => {
    const { timers, updater, control, prompts } = setup();
    updater.feed = new Error('net::ERR_INTERNET_DISCONNECTED');
    await timers.advance(20_000);
    expect(control.state).toMatchObject({ status: 'idle', lastError: 'net::ERR_INTERNET_DISCONNECTED' });
    updater.feed = '9.9.9';
    await timers.advance(4 * HOUR);
    expect(updater.checks).toBe(2);
    expect(control.state).toMatchObject({ status: 'ready', lastError: null, readyVersion: '9.9.9' });
    expect(prompts).toHaveLength(1);
  });

  it('a newer release found while one waits is downloaded too; the prompt names the newest', async () => {
    const { timers, updater, prompts, world, control } = setup();
    world.quiet = false;
    updater.feed = '9.9.9';
    await timers.advance(20_000);
    updater.feed = '10.0.0';
    await timers.advance(4 * HOUR);
    expect(updater.downloads).toBe(2);
    expect(control.state.readyVersion).toBe('10.0.0');
    world.quiet = true;
    await timers.advance(MINUTE);
    expect(prompts).toHaveLength(1);
    expect(prompts[0]!.message).toContain('10.0.0');
  });

  it('uses the enrolled sync server as the feed, and follows it when it changes', async () => {
    let server: string | null = null;
    const { timers, updater, control } = setup({ feedUrl: () => feedUrlForServer(server) });
    await timers.advance(20_000);
    expect(updater.feedUrls).toEqual([]); // not enrolled: app-update.yml's feed
    server = 'https://sync.example.in';
    await control.checkNow();
    await control.checkNow();
    expect(updater.feedUrls).toEqual([{ provider: 'generic', url: 'https://sync.example.in/updates/', channel: 'latest' }]);
    server = 'https://clinic.example.in/sync/';
    await control.checkNow();
    expect(updater.feedUrls.at(-1)).toEqual({ provider: 'generic', url: 'https://clinic.example.in/sync/updates/', channel: 'latest' });
    expect(feedUrlForServer('not a url')).toBeNull();
  });

  it('stop() cancels the timers and the listeners', async () => {
    const { timers, updater, control } = setup();
    control.stop();
    expect(timers.count).toBe(0);
    expect(updater.listenerCount('update-downloaded')).toBe(0);
    expect(updater.listenerCount('error')).toBe(0);
    updater.feed = '9.9.9';
    await timers.advance(24 * HOUR);
    expect(updater.checks).toBe(0);
    expect(control.state.status).toBe('stopped');
  });
});
