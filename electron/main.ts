import { app, BrowserWindow, dialog, ipcMain, safeStorage, session, shell, type OpenDialogOptions } from 'electron';
import electronUpdater from 'electron-updater';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClinicApp, DEFAULT_SETTINGS, type ClinicApp } from './app';
import { loadOrCreateKey, safeStorageProtector } from './keys';
import { createElectronSpooler, type ElectronSpooler } from './print-window';
import { isQuietMoment } from './services/quiet';
import { setResourcesDir } from './resources';
import { chooseSpooler, commandOnPath } from './services/printing';
import { allowOwnCameraOnly, CONTENT_SECURITY_POLICY, isAppUrl, lockNavigation, PERMISSIONS_POLICY, secureWindowOptions } from './security';
import { registerIpcTransport } from './transports/ipc';
import { controlDisplay, type DisplayControl } from './transports/display-control';
import { feedUrlForServer, startUpdater, type UpdateAction, type UpdaterControl } from './updater';

// Thin on purpose: lifecycle and windows only. Everything else lives in app.ts and is tested in Node.
const here = path.dirname(fileURLToPath(import.meta.url));
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const appUrl = devServerUrl ?? `file://${path.join(here, '../renderer/index.html')}`;

let clinic: ClinicApp | null = null;
let updates: UpdaterControl | null = null;
let mainWindow: BrowserWindow | null = null;
let display: DisplayControl | null = null;

// Windows prints through Electron (a hidden window draws the PDF); Linux and macOS through CUPS
// while `lp` is there. CLINIC_SPOOLER=electron|cups overrides, e.g. to try the Windows path on Linux.
const spoolerKind = chooseSpooler(process.platform, commandOnPath('lp') !== null, process.env.CLINIC_SPOOLER);
const electronSpooler: ElectronSpooler | null =
  spoolerKind === 'electron'
    ? createElectronSpooler({
        loadPrintPage: (win) => (devServerUrl ? win.loadURL(new URL('print.html', devServerUrl).href) : win.loadFile(path.join(here, '../renderer/print.html'))),
        printersFrom: () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null),
      })
    : null;

// Fonts and icons: installed, in <resources>/resources (electron-builder's extraResources); from
// a checkout, the repository's resources/ (the bundled main.js is not beside it).
setResourcesDir(app.isPackaged ? path.join(process.resourcesPath, 'resources') : path.join(app.getAppPath(), 'resources'));

/** A restart prompt as a window-modal message box; closing it counts as the last button (Later). */
function askUser(message: string, actions: UpdateAction[]): void {
  // Not any window: a hidden print window must never own the prompt.
  const win = BrowserWindow.getFocusedWindow() ?? (mainWindow && !mainWindow.isDestroyed() ? mainWindow : undefined);
  const buttons = actions.length > 0 ? actions.map((a) => a.label) : ['OK'];
  const options = { type: 'info' as const, title: 'Clinic Workstation', message, buttons, defaultId: 0, cancelId: buttons.length - 1, noLink: true };
  void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options)).then(({ response }) => actions[response]?.run());
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow(secureWindowOptions(path.join(here, '../preload/preload.cjs')));
  // Links to the sites the app links to open in the user's browser, never inside the app.
  lockNavigation(win.webContents, [appUrl], { openExternal: (url) => void shell.openExternal(url), log: logSecurity });
  win.once('ready-to-show', () => win.show());
  // A screen with unsaved changes holds the window open (renderer/src/unsaved.tsx); Electron shows
  // no prompt of its own for that, so ask here, and close only when the person says so.
  win.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(win, {
      type: 'question',
      title: 'Clinic Workstation',
      message: 'Leave without saving?',
      detail: 'A screen has changes that are not saved yet.',
      buttons: ['Stay', 'Leave without saving'],
      defaultId: 0,
      cancelId: 0,
      noLink: true,
    });
    if (choice === 1) event.preventDefault();
  });
  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadFile(path.join(here, '../renderer/index.html'));
  return win;
}

function logSecurity(message: string): void {
  console.warn(`clinic: ${message}`);
}

// Every web contents, also ones no code here made (devtools, a window a page managed to open).
// Emitted while a window is being made, so the main window's own lock (which may open links)
// replaces this window-open handler; were it ever later, links would only stay closed.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  lockNavigation(contents, [appUrl], { log: logSecurity });
});

void app.whenReady().then(() => {
  // The camera for "Take photo" in the attach dialog, on the app's own pages; nothing else.
  allowOwnCameraOnly(session.defaultSession, appUrl);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY], 'Permissions-Policy': [PERMISSIONS_POLICY] },
    });
  });

  const migrationsFolder = app.isPackaged
    ? path.join(process.resourcesPath, 'migrations')
    : path.join(app.getAppPath(), 'db', 'migrations');
  const dataDir = app.getPath('userData');
  try {
    // The database key, kept by the OS key store (safeStorage) in <userData>/db.key.
    const { key, reprotected } = loadOrCreateKey({
      keyFile: path.join(dataDir, 'db.key'),
      // A key file written without a keyring still opens the database; the person is told why it is weak.
      protector: safeStorageProtector(safeStorage, process.platform, (warning) => void dialog.showMessageBox({ type: 'warning', title: 'Clinic Workstation', message: warning })),
      dbFile: path.join(dataDir, 'clinic.db'),
    });
    if (reprotected) {
      logSecurity('the database key had been kept without a keyring; it is now sealed by the keyring. Copies of the old db.key (e.g. in home-folder backups) still open the database.');
    }
    // A restore staged on the backups screen is put in place when the app starts again.
    const relaunch = () => {
      app.relaunch();
      app.quit();
    };
    clinic = createClinicApp({
      dataDir,
      migrationsFolder,
      key,
      appVersion: app.getVersion(),
      onRestartRequested: relaunch,
      // An administrator's pick in the Open dialog is what lets an import read a file (file-access.ts).
      chooseFile: async (choice) => {
        const win = mainWindow && !mainWindow.isDestroyed() ? mainWindow : undefined;
        const options: OpenDialogOptions =
          choice.kind === 'folder'
            ? { title: choice.title, properties: ['openDirectory'] }
            : { title: choice.title, properties: ['openFile'], filters: [{ name: 'CSV', extensions: choice.extensions }] };
        const picked = await (win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options));
        return picked.canceled ? null : (picked.filePaths[0] ?? null);
      },
      ...(electronSpooler ? { spooler: electronSpooler } : {}),
    });
  } catch (error) {
    dialog.showErrorBox('Clinic Workstation cannot open its database', error instanceof Error ? error.message : String(error));
    app.exit(1);
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- the windows come from Electron's own registry; the rule cannot see constructors in electron.d.ts
  registerIpcTransport(ipcMain, clinic, () => BrowserWindow.getAllWindows(), (event) =>
    event.senderFrame !== null && isAppUrl(event.senderFrame.url, appUrl),
  );

  mainWindow = createWindow();
  // The waiting-room display: a port on the clinic network, open only while an administrator has it on.
  display = controlDisplay({ app: clinic, timeZone: DEFAULT_SETTINGS.timeZone, onError: (message) => console.warn(message) });
  // So the printer list is there when a screen first asks for it.
  void electronSpooler?.refresh();

  // Updates: only in an installed app, and not when CLINIC_UPDATES=off.
  const { autoUpdater } = electronUpdater;
  updates = startUpdater({
    updater: autoUpdater,
    enabled: app.isPackaged && process.env.CLINIC_UPDATES !== 'off',
    isQuietMoment: () => clinic === null || isQuietMoment(clinic.database.sqlite, clinic.deviceId, Date.now(), DEFAULT_SETTINGS.timeZone),
    notify: askUser,
    // The feed of the sync server this workstation is enrolled with, else the one built in.
    feedUrl: () => process.env.CLINIC_UPDATE_URL || feedUrlForServer(clinic?.sync.getStatus().serverUrl ?? null),
  });

  app.on('activate', () => {
    if (!mainWindow || mainWindow.isDestroyed()) mainWindow = createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  void display?.stop();
  display = null;
  updates?.stop();
  updates = null;
  clinic?.close();
  clinic = null;
});
