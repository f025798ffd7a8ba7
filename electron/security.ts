import type { BrowserWindowConstructorOptions } from 'electron';

type WebPreferences = NonNullable<BrowserWindowConstructorOptions['webPreferences']>;

/** Every page the app shows is untrusted UI: no Node, isolated from any preload, inside Chromium's sandbox. */
export const LOCKED_DOWN: WebPreferences = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
};

export function secureWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Clinic Workstation',
    webPreferences: { ...LOCKED_DOWN, preload: preloadPath, spellcheck: true },
  };
}

/** Sent with every page the app serves, in Electron and in the browser host alike. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Mantine sets CSS variables and positions through inline styles.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Navigation may only stay on the app's own pages. */
export function isAppUrl(target: string, appUrl: string): boolean {
  try {
    const t = new URL(target);
    const a = new URL(appUrl);
    if (a.protocol === 'file:') return t.protocol === 'file:' && t.pathname === a.pathname;
    return t.origin === a.origin;
  } catch {
    return false;
  }
}
