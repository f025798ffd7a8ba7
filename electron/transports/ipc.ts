import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import type { ClinicApp } from '../app';
import { IPC_CALL, IPC_EVENT } from '../bridge';
import type { AppEvent } from '../services/events';

/**
 * The Electron transport: one handler for every method. A window's session token stays in the
 * main process, keyed by the window's WebContents, so the renderer never has to send it.
 */
export function registerIpcTransport(
  ipcMain: IpcMain,
  app: ClinicApp,
  windows: () => BrowserWindow[],
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
): () => void {
  const tokens = new Map<number, string>();

  ipcMain.handle(IPC_CALL, (event, method: unknown, input: unknown) => {
    if (!isTrustedSender(event) || typeof method !== 'string') {
      return { ok: false, error: { code: 'forbidden', message: 'Untrusted caller.' } };
    }
    const id = event.sender.id;
    if (!tokens.has(id)) event.sender.once('destroyed', () => tokens.delete(id));
    const result = app.router.call(method, input, tokens.get(id) ?? null);
    if (result.ok && method === 'auth.login') {
      const { token } = result.value as { token: string };
      tokens.set(id, token);
    }
    if (method === 'auth.logout') tokens.delete(id);
    return result;
  });

  // Each window gets what its own session may see (a window that is logged out gets nothing).
  const unsubscribe = app.onEvent((message: AppEvent) => {
    for (const w of windows()) {
      if (w.isDestroyed()) continue;
      // An ended session keeps its token: the window's next call is told why it ended.
      const decision = app.eventFor(tokens.get(w.webContents.id) ?? null, message);
      if ('send' in decision) w.webContents.send(IPC_EVENT, decision.send);
    }
  });

  return () => {
    ipcMain.removeHandler(IPC_CALL);
    unsubscribe();
  };
}
