import type { AppUpdater, UpdateDownloadedEvent, UpdateInfo } from 'electron-updater';
import type { AppUpdaterEvents } from 'electron-updater/out/AppUpdater.js';

/**
 * Background updates for the desktop app, with electron-updater reading the generic feed that the
 * central server publishes at /updates/ (latest*.yml, installers, block maps).
 *
 * - checks shortly after start and then every few hours; a failed check (the clinic is offline,
 *   the server is down) is only noted and retried at the next one;
 * - downloads a newer version in the background (electron-updater verifies its sha512, and
 *   fetches only the changed blocks when it can);
 * - once downloaded, asks the user to restart, but only at a quiet moment (no consultation open
 *   or being written on this workstation); if it is not quiet it looks again a minute later, and
 *   after "Later" it asks again a couple of hours later;
 * - never restarts on its own. An update nobody agreed to is installed when the app is next
 *   closed (electron-updater's autoInstallOnAppQuit), which is also a quiet moment.
 *
 * Everything it needs comes in as arguments, so it runs under Vitest with fakes and with a real
 * electron-updater instance; only electron/main.ts imports electron-updater's `autoUpdater`.
 */

type WatchedEvents = Pick<AppUpdaterEvents, 'update-downloaded' | 'error'>;

/** The part of electron-updater's AppUpdater this module uses (the real `autoUpdater` fits). */
export interface AutoUpdaterLike
  extends Pick<AppUpdater, 'autoDownload' | 'autoInstallOnAppQuit' | 'checkForUpdates' | 'downloadUpdate' | 'quitAndInstall' | 'setFeedURL'> {
  on<E extends keyof WatchedEvents>(event: E, listener: WatchedEvents[E]): unknown;
  off<E extends keyof WatchedEvents>(event: E, listener: WatchedEvents[E]): unknown;
}

export interface UpdateAction {
  label: string;
  run: () => void;
}

/** setTimeout/clearTimeout, injectable so tests can move time. */
export interface UpdaterTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface UpdaterOptions {
  updater: AutoUpdaterLike;
  /** False in development and tests (not packaged) or when switched off: nothing happens at all. */
  enabled: boolean;
  /** True when no consultation is open or being edited on this workstation. */
  isQuietMoment: () => boolean;
  /**
   * Shows a message with buttons. The app runs the chosen action's `run`; closing the prompt
   * without choosing should run the "Later" action. An empty list is a plain message.
   */
  notify: (message: string, actions: UpdateAction[]) => void;
  /** The feed to use (e.g. the enrolled sync server's /updates/); null keeps app-update.yml's. */
  feedUrl?: () => string | null;
  timers?: UpdaterTimers;
  now?: () => number;
  /** Delay of the first check after start (default 20 s, so start-up is not slowed). */
  firstCheckAfterMs?: number;
  /** Default 4 hours. */
  checkEveryMs?: number;
  /** How often to look for a quiet moment once an update is ready (default 1 minute). */
  quietPollMs?: number;
  /** When to ask again after "Later" (default 2 hours). */
  askAgainAfterMs?: number;
  log?: (message: string) => void;
}

export type UpdaterStatus = 'disabled' | 'idle' | 'checking' | 'downloading' | 'ready' | 'restarting' | 'stopped';

export interface UpdaterState {
  status: UpdaterStatus;
  /** The version downloaded and waiting for a restart. */
  readyVersion: string | null;
  /** The newest version the feed announced at the last check. */
  latestVersion: string | null;
  lastCheckAt: number | null;
  lastError: string | null;
  /** A restart prompt is showing. */
  asking: boolean;
}

export interface UpdaterControl {
  readonly state: Readonly<UpdaterState>;
  /** Checks now (and downloads what it finds); resolves when that is done. */
  checkNow(): Promise<void>;
  stop(): void;
}

export const HOUR = 60 * 60_000;

const realTimers: UpdaterTimers = {
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/** The update feed a sync server publishes: <server>/updates/. */
export function feedUrlForServer(serverUrl: string | null): string | null {
  if (!serverUrl) return null;
  try {
    return new URL('updates/', serverUrl.endsWith('/') ? serverUrl : `${serverUrl}/`).href;
  } catch {
    return null;
  }
}

// Long by design: the updater's state machine is this closure (its timers and state are shared by every event handler in it).
export function startUpdater(options: UpdaterOptions): UpdaterControl {
  const state: UpdaterState = { status: 'disabled', readyVersion: null, latestVersion: null, lastCheckAt: null, lastError: null, asking: false };
  if (!options.enabled) {
    return { state, checkNow: () => Promise.resolve(), stop: () => undefined };
  }
  const { updater } = options;
  const timers = options.timers ?? realTimers;
  const checkEveryMs = options.checkEveryMs ?? 4 * HOUR;
  const quietPollMs = options.quietPollMs ?? 60_000;
  const askAgainAfterMs = options.askAgainAfterMs ?? 2 * HOUR;
  const log = options.log ?? (() => undefined);
  const now = options.now ?? Date.now;

  // We decide when to download (right after a check finds something) and never when to restart.
  updater.autoDownload = false;
  updater.autoInstallOnAppQuit = true;

  let stopped = false;
  let checking: Promise<void> | null = null;
  let checkTimer: unknown = null;
  let askTimer: unknown = null;
  let feedInUse: string | null = null;
  state.status = 'idle';

  const settle = () => {
    if (state.status !== 'restarting' && state.status !== 'stopped') state.status = state.readyVersion ? 'ready' : 'idle';
  };

  const scheduleAsk = (ms: number) => {
    if (askTimer !== null) timers.clearTimeout(askTimer);
    askTimer = timers.setTimeout(() => {
      askTimer = null;
      offerRestart();
    }, ms);
  };

  const markReady = (info: Pick<UpdateInfo, 'version'>) => {
    if (stopped) return;
    const isNew = state.readyVersion !== info.version;
    state.readyVersion = info.version;
    settle();
    if (isNew) log(`update ${info.version} downloaded`);
    // Ask now if nothing is pending (a prompt showing, or a re-ask already planned).
    if (!state.asking && askTimer === null) offerRestart();
  };

  function offerRestart() {
    if (stopped || !state.readyVersion || state.asking || state.status === 'restarting') return;
    if (!options.isQuietMoment()) {
      scheduleAsk(quietPollMs);
      return;
    }
    state.asking = true;
    const version = state.readyVersion;
    let answered = false;
    const answer = (fn: () => void) => () => {
      if (answered || stopped) return;
      answered = true;
      state.asking = false;
      fn();
    };
    options.notify(`Clinic Workstation ${version} is ready to install. Restart now to update? Everything entered so far is saved.`, [
      { label: 'Restart now', run: answer(restartNow) },
      { label: 'Later', run: answer(() => scheduleAsk(askAgainAfterMs)) },
    ]);
  }

  function restartNow() {
    // The prompt may have waited while someone started a consultation: never cut one short.
    if (!options.isQuietMoment()) {
      options.notify('A consultation is open on this workstation. The update will be offered again when it is finished.', []);
      scheduleAsk(quietPollMs);
      return;
    }
    state.status = 'restarting';
    clearTimers();
    log(`restarting to install ${state.readyVersion ?? ''}`);
    updater.quitAndInstall(false, true);
  }

  const onDownloaded = (event: UpdateDownloadedEvent) => markReady(event);
  const onError = (error: Error) => {
    state.lastError = error.message;
    // The installer did not start (e.g. the administrator password prompt was cancelled): the app
    // keeps running, so carry on checking and offer the restart again later.
    if (state.status === 'restarting' && !stopped) {
      log(`installing the update failed: ${error.message}`);
      state.status = 'ready';
      scheduleAsk(askAgainAfterMs);
      scheduleCheck(checkEveryMs);
    }
  };
  updater.on('update-downloaded', onDownloaded);
  updater.on('error', onError);

  async function runCheck(at: number) {
    state.status = 'checking';
    state.lastCheckAt = at;
    try {
      const feed = options.feedUrl?.() ?? null;
      if (feed && feed !== feedInUse) {
        updater.setFeedURL({ provider: 'generic', url: feed, channel: 'latest' });
        feedInUse = feed;
      }
      const result = await updater.checkForUpdates();
      if (stopped) return;
      state.lastError = null;
      if (!result) return; // electron-updater is inactive (not packaged)
      state.latestVersion = result.updateInfo.version;
      if (!result.isUpdateAvailable || result.updateInfo.version === state.readyVersion) return;
      state.status = 'downloading';
      log(`downloading update ${result.updateInfo.version}`);
      await updater.downloadUpdate();
      markReady(result.updateInfo);
    } catch (error) {
      // Offline or the server is away: try again at the next check.
      state.lastError = error instanceof Error ? error.message : String(error);
      log(`update check failed: ${state.lastError}`);
    } finally {
      settle();
    }
  }

  function check(): Promise<void> {
    if (stopped) return Promise.resolve();
    checking ??= runCheck(now()).finally(() => {
      checking = null;
    });
    return checking;
  }

  function scheduleCheck(ms: number) {
    checkTimer = timers.setTimeout(() => {
      checkTimer = null;
      void check().then(() => {
        if (!stopped) scheduleCheck(checkEveryMs);
      });
    }, ms);
  }

  function clearTimers() {
    if (checkTimer !== null) timers.clearTimeout(checkTimer);
    if (askTimer !== null) timers.clearTimeout(askTimer);
    checkTimer = askTimer = null;
  }

  scheduleCheck(options.firstCheckAfterMs ?? 20_000);

  return {
    state,
    checkNow: check,
    stop() {
      if (stopped) return;
      stopped = true;
      clearTimers();
      updater.off('update-downloaded', onDownloaded);
      updater.off('error', onError);
      state.asking = false;
      if (state.status !== 'restarting') state.status = 'stopped';
    },
  };
}
