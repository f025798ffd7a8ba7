import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClinicApp, type ClinicApp } from './app';
import { CONTENT_SECURITY_POLICY, isAppUrl, secureWindowOptions } from './security';
import { registerIpcTransport } from './transports/ipc';

// Thin on purpose: lifecycle and windows only. Everything else lives in app.ts and is tested in Node.
const here = path.dirname(fileURLToPath(import.meta.url));
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const appUrl = devServerUrl ?? `file://${path.join(here, '../renderer/index.html')}`;

let clinic: ClinicApp | null = null;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow(secureWindowOptions(path.join(here, '../preload/preload.cjs')));
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Links to the outside world open in the user's browser, never inside the app.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appUrl)) event.preventDefault();
  });
  win.once('ready-to-show', () => win.show());
  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadFile(path.join(here, '../renderer/index.html'));
  return win;
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });

  const migrationsFolder = app.isPackaged
    ? path.join(process.resourcesPath, 'migrations')
    : path.join(app.getAppPath(), 'db', 'migrations');
  clinic = createClinicApp({ dataDir: app.getPath('userData'), migrationsFolder });
  registerIpcTransport(ipcMain, clinic, () => BrowserWindow.getAllWindows(), (event) =>
    event.senderFrame !== null && isAppUrl(event.senderFrame.url, appUrl),
  );

  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  clinic?.close();
  clinic = null;
});
