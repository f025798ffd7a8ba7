import type { BrowserWindowConstructorOptions, Event, HandlerDetails, PermissionCheckHandlerHandlerDetails, PermissionRequest, Session, WindowOpenHandlerResponse } from 'electron';

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

/**
 * Sent with every page beside the CSP: the camera (the attach dialog's "Take photo") for the app's
 * own pages only, never for a frame of another origin; the other powerful features for nobody.
 */
export const PERMISSIONS_POLICY = 'camera=(self), microphone=(), geolocation=(), display-capture=(), usb=(), serial=(), hid=(), payment=()';

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

// ---------------------------------------------------------------------------------------------
// Navigation: every window stays on the app's own pages

/**
 * What lockNavigation needs of a WebContents. Not Pick<WebContents, 'on'>: its overloads return
 * the whole WebContents, which no small fake could; WebContents itself satisfies this.
 */
export interface NavigationLockable {
  on(event: 'will-navigate', listener: (details: Event<{ url: string }>) => void): unknown;
  // eslint-disable-next-line @typescript-eslint/unified-signatures -- one overload per event, as in WebContents: a single union signature would not accept WebContents
  on(event: 'will-redirect', listener: (details: Event<{ url: string }>) => void): unknown;
  setWindowOpenHandler(handler: (details: Pick<HandlerDetails, 'url'>) => WindowOpenHandlerResponse): void;
}

export interface NavigationLockOptions {
  /** Given only links that pass isAllowedExternalUrl; without it no link leaves the app. */
  openExternal?: (url: string) => void;
  /** The sites links may go to; EXTERNAL_LINK_HOSTS unless a test says otherwise. */
  externalHosts?: readonly string[];
  /** Told what was refused, by host only: a path or query may carry a patient's details. */
  log?: (message: string) => void;
}

/**
 * Keeps a window's pages on appUrls (none at all for a page the main process loads itself):
 * clicked links and scripts (will-navigate), server redirects, including those of loads the main
 * process started (will-redirect), and window.open, which never opens a window inside the app.
 */
export function lockNavigation(contents: NavigationLockable, appUrls: readonly string[], options: NavigationLockOptions = {}): void {
  const guard = (what: string) => (details: Event<{ url: string }>) => {
    // Another lock on the same contents got there first; one log line is enough.
    if (details.defaultPrevented) return;
    if (appUrls.some((appUrl) => isAppUrl(details.url, appUrl))) return;
    details.preventDefault();
    options.log?.(`Blocked ${what} to ${hostForLog(details.url)}: only the app's own pages are shown.`);
  };
  contents.on('will-navigate', guard('a navigation'));
  contents.on('will-redirect', guard('a redirect'));
  contents.setWindowOpenHandler(({ url }) => {
    if (options.openExternal && isAllowedExternalUrl(url, options.externalHosts)) options.openExternal(url);
    else options.log?.(`Did not open ${hostForLog(url)}: not one of the sites the app links to.`);
    return { action: 'deny' };
  });
}

// ---------------------------------------------------------------------------------------------
// External links: only to the sites the app itself links to

/**
 * Hosts a link may open in the user's browser: "example.gov.in" is that host exactly,
 * "*.example.gov.in" any host under it (not the domain itself). Empty on purpose: no screen links
 * outside the app today (grep renderer/ for "https://" or "href"); a screen that gains such a
 * link adds its host here, and anything else a page asks for stays closed.
 */
export const EXTERNAL_LINK_HOSTS: readonly string[] = [];

export function isAllowedExternalUrl(target: string, hosts: readonly string[] = EXTERNAL_LINK_HOSTS): boolean {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return false;
  }
  // user:password@ can make a link read like a trusted site; a port reaches a different service.
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') return false;
  const host = url.hostname;
  return hosts.some((rule) => {
    const wanted = rule.toLowerCase();
    return wanted.startsWith('*.') ? host.endsWith(wanted.slice(1)) : host === wanted;
  });
}

/** The host only, for logs: the rest of an address may hold a name, a phone number or an ABHA id. */
export function hostForLog(target: string): string {
  try {
    const url = new URL(target);
    return url.host === '' ? `a ${url.protocol} address` : url.host;
  } catch {
    return 'an unreadable address';
  }
}

// ---------------------------------------------------------------------------------------------
// Permissions: the app needs only the camera (video, no microphone) for "Take photo", on its own
// pages; nothing else of the browser's (location, notifications, USB, screen capture, ...)

/**
 * The one grant: 'media' for video only (a request naming no media type, or audio, is refused),
 * from the app's own main frame. `mediaTypes` is what a request asks for, or a check's one type.
 */
export function mayUseCamera(ask: { permission: string; mediaTypes: readonly string[] | undefined; requestingUrl: string | undefined; isMainFrame: boolean }, appUrl: string): boolean {
  if (ask.permission !== 'media' || !ask.isMainFrame) return false;
  if (ask.requestingUrl === undefined || !isAppUrl(ask.requestingUrl, appUrl)) return false;
  return ask.mediaTypes !== undefined && ask.mediaTypes.length > 0 && ask.mediaTypes.every((t) => t === 'video');
}

type RequestDetails = PermissionRequest & { mediaTypes?: readonly string[] };

/** The session's handlers: the camera for the app's own pages, every other permission and device refused. */
export function allowOwnCameraOnly(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>,
  appUrl: string,
): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details: RequestDetails) =>
    callback(mayUseCamera({ permission, mediaTypes: details.mediaTypes, requestingUrl: details.requestingUrl, isMainFrame: details.isMainFrame }, appUrl)),
  );
  session.setPermissionCheckHandler((_contents, permission, _origin, details: PermissionCheckHandlerHandlerDetails) =>
    mayUseCamera({ permission, mediaTypes: details.mediaType ? [details.mediaType] : undefined, requestingUrl: details.requestingUrl, isMainFrame: details.isMainFrame }, appUrl),
  );
  session.setDevicePermissionHandler(denyDevicePermission);
}

/** Permission requests (a page asking the user, e.g. getUserMedia): always refused. */
export function denyPermissionRequest(_contents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}

/** Permission checks (e.g. navigator.permissions.query, or an API testing before it asks): always "no". */
export function denyPermissionCheck(): boolean {
  return false;
}

/** Devices already granted elsewhere (HID, serial, USB): none may be used. */
export function denyDevicePermission(): boolean {
  return false;
}

/** Without the check handler a page could still learn and use what Chromium grants by default. */
export function denyAllPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>): void {
  session.setPermissionRequestHandler(denyPermissionRequest);
  session.setPermissionCheckHandler(denyPermissionCheck);
  session.setDevicePermissionHandler(denyDevicePermission);
}
