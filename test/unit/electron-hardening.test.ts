import type { Event, HandlerDetails, SafeStorage, Session, WindowOpenHandlerResponse } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyStoreRefusal, keyStoreWarning, KeyUnavailableError, loadOrCreateKey, safeStorageProtector, type SafeStorageLike } from '../../electron/keys';
import {
  allowOwnCameraOnly,
  denyAllPermissions,
  denyDevicePermission,
  denyPermissionCheck,
  denyPermissionRequest,
  EXTERNAL_LINK_HOSTS,
  hostForLog,
  isAllowedExternalUrl,
  lockNavigation,
  mayUseCamera,
  PERMISSIONS_POLICY,
  type NavigationLockable,
} from '../../electron/security';
import { tempDir } from '../helpers/temp';

type NavigationEvent = 'will-navigate' | 'will-redirect';
type NavigationListener = (details: Event<{ url: string }>) => void;
type OpenHandler = (details: Pick<HandlerDetails, 'url'>) => WindowOpenHandlerResponse;

/** A WebContents as far as lockNavigation sees it: events can be fired at it, as Electron would. */
function fakeContents() {
  const listeners: Record<NavigationEvent, NavigationListener[]> = { 'will-navigate': [], 'will-redirect': [] };
  let openHandler: OpenHandler | null = null;
  const contents: NavigationLockable = {
    on(event: NavigationEvent, listener: NavigationListener) {
      listeners[event].push(listener);
      return contents;
    },
    setWindowOpenHandler(handler: OpenHandler) {
      openHandler = handler;
    },
  };
  return {
    contents,
    /** True when some listener stopped it. */
    fire(event: NavigationEvent, url: string): boolean {
      let prevented = false;
      const details: Event<{ url: string }> = {
        url,
        preventDefault: () => {
          prevented = true;
        },
        get defaultPrevented() {
          return prevented;
        },
      };
      for (const listener of listeners[event]) listener(details);
      return prevented;
    },
    windowOpen(url: string): WindowOpenHandlerResponse {
      if (!openHandler) throw new Error('no window open handler was set');
      return openHandler({ url });
    },
  };
}

const DEV_APP = 'http://localhost:5173/';
const FILE_APP = 'file:///opt/clinic/resources/app.asar/out/renderer/index.html';

describe('navigation lock (main window, print window, any other web contents)', () => {
  it('stops a redirect away from the app, as it stops a navigation', () => {
    const w = fakeContents();
    lockNavigation(w.contents, [DEV_APP]);
    expect(w.fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(w.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(w.fire('will-redirect', 'http://localhost:5173/#/queue')).toBe(false);
    expect(w.fire('will-navigate', 'http://localhost:5173/index.html')).toBe(false);
  });

  it('keeps a file:// app on its own page, not on other local files', () => {
    const w = fakeContents();
    lockNavigation(w.contents, [FILE_APP]);
    expect(w.fire('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(w.fire('will-navigate', 'file:///home/reception/Downloads/bill.html')).toBe(true);
    expect(w.fire('will-navigate', `${FILE_APP}#/billing`)).toBe(false);
  });

  it('lets the print window go nowhere at all', () => {
    const w = fakeContents();
    lockNavigation(w.contents, []);
    expect(w.fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(w.fire('will-navigate', 'file:///opt/clinic/out/renderer/print.html')).toBe(true);
    expect(w.windowOpen('https://evil.example/')).toEqual({ action: 'deny' });
  });

  it('opens no window inside the app, and sends only listed sites to the browser', () => {
    const opened: string[] = [];
    const logged: string[] = [];
    const w = fakeContents();
    lockNavigation(w.contents, [DEV_APP], { openExternal: (url) => opened.push(url), log: (m) => logged.push(m), externalHosts: ['abdm.gov.in'] });
    expect(w.windowOpen('https://abdm.gov.in/help')).toEqual({ action: 'deny' });
    expect(w.windowOpen('https://evil.example/')).toEqual({ action: 'deny' });
    expect(w.windowOpen(DEV_APP)).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://abdm.gov.in/help']);
    expect(logged).toHaveLength(2);
  });

  it('opens no https site the app does not link to (the old rule opened any)', () => {
    const opened: string[] = [];
    const w = fakeContents();
    lockNavigation(w.contents, [DEV_APP], { openExternal: (url) => opened.push(url) });
    w.windowOpen('https://evil.example/download');
    expect(opened).toEqual([]);
  });

  it('logs the host only: the rest of an address may name a patient', () => {
    const logged: string[] = [];
    const w = fakeContents();
    lockNavigation(w.contents, [DEV_APP], { openExternal: () => undefined, log: (m) => logged.push(m) });
    w.fire('will-redirect', 'https://evil.example/p?name=Ravi%20Kumar&mobile=9812345678');
    w.windowOpen('https://evil.example/p/ABHA-91-1234-5678-9012');
    expect(logged).toHaveLength(2);
    for (const line of logged) {
      expect(line).toContain('evil.example');
      expect(line).not.toMatch(/Ravi|9812345678|ABHA|\/p/);
    }
    expect(hostForLog('not a url')).toBe('an unreadable address');
  });

  it('logs a blocked navigation once when two locks sit on the same contents', () => {
    const logged: string[] = [];
    const w = fakeContents();
    lockNavigation(w.contents, [DEV_APP], { log: (m) => logged.push(m) });
    lockNavigation(w.contents, [DEV_APP], { log: (m) => logged.push(m) });
    expect(w.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(logged).toHaveLength(1);
  });

  it('is wired into both windows and every other web contents', () => {
    const main = fs.readFileSync('electron/main.ts', 'utf8');
    const print = fs.readFileSync('electron/print-window.ts', 'utf8');
    expect(main).toMatch(/lockNavigation\(win\.webContents, \[appUrl\]/);
    expect(main).toMatch(/web-contents-created[\s\S]*?will-attach-webview[\s\S]*?lockNavigation\(contents, \[appUrl\]/);
    expect(main).toContain('allowOwnCameraOnly(session.defaultSession, appUrl)');
    expect(main).toContain("'Permissions-Policy': [PERMISSIONS_POLICY]");
    expect(main).not.toMatch(/on\('will-navigate'|setWindowOpenHandler/);
    expect(print).toContain('lockNavigation(contents, [])');
  });
});

describe('external links', () => {
  const hosts = ['abdm.gov.in', '*.abdm.gov.in', 'NMC.org.in'];

  it('allows https to a listed host, or under a listed subdomain rule', () => {
    expect(isAllowedExternalUrl('https://abdm.gov.in/', hosts)).toBe(true);
    expect(isAllowedExternalUrl('https://facility.abdm.gov.in/register', hosts)).toBe(true);
    expect(isAllowedExternalUrl('https://nmc.org.in/', hosts)).toBe(true);
    expect(isAllowedExternalUrl('https://ABDM.gov.in:443/x', hosts)).toBe(true);
  });

  it('refuses other schemes, hosts that only look alike, credentials and ports', () => {
    for (const url of [
      'http://abdm.gov.in/',
      'https://evil.example/',
      'https://abdm.gov.in.evil.example/',
      'https://evilabdm.gov.in/',
      'https://www.nmc.org.in/',
      'https://abdm.gov.in@evil.example/',
      'https://user:pass@abdm.gov.in/',
      'https://abdm.gov.in:8443/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'mailto:someone@abdm.gov.in',
      'not a url',
    ]) {
      expect(isAllowedExternalUrl(url, hosts), url).toBe(false);
    }
  });

  it('lists only sites the screens link to (none today), so an arbitrary site is refused', () => {
    expect(EXTERNAL_LINK_HOSTS).toEqual([]);
    expect(isAllowedExternalUrl('https://evil.example/')).toBe(false);
  });
});

describe('permissions', () => {
  it('refuses every request and every check, and every device', () => {
    const answers: boolean[] = [];
    denyPermissionRequest(null, 'media', (granted) => answers.push(granted));
    denyPermissionRequest(null, 'clipboard-read', (granted) => answers.push(granted));
    expect(answers).toEqual([false, false]);
    expect(denyPermissionCheck()).toBe(false);
    expect(denyDevicePermission()).toBe(false);
  });

  it('sets the request, check and device handlers on the session', () => {
    const set: Record<string, unknown> = {};
    const session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'> = {
      setPermissionRequestHandler: (handler) => void (set.request = handler),
      setPermissionCheckHandler: (handler) => void (set.check = handler),
      setDevicePermissionHandler: (handler) => void (set.device = handler),
    };
    denyAllPermissions(session);
    expect(set).toEqual({ request: denyPermissionRequest, check: denyPermissionCheck, device: denyDevicePermission });
  });
});

describe('the camera for "Take photo"', () => {
  const APP = 'file:///opt/clinic/out/renderer/index.html';
  const own = { requestingUrl: `${APP}#/reception`, isMainFrame: true };

  it('is granted for video only, to the app\'s own main frame', () => {
    expect(mayUseCamera({ permission: 'media', mediaTypes: ['video'], ...own }, APP)).toBe(true);
    expect(mayUseCamera({ permission: 'media', mediaTypes: ['video'], requestingUrl: 'http://localhost:5173/#/x', isMainFrame: true }, 'http://localhost:5173/')).toBe(true);
  });

  it('is refused with the microphone, with no media type, to other pages and frames, and for other permissions', () => {
    expect(mayUseCamera({ permission: 'media', mediaTypes: ['video', 'audio'], ...own }, APP)).toBe(false);
    expect(mayUseCamera({ permission: 'media', mediaTypes: ['audio'], ...own }, APP)).toBe(false);
    expect(mayUseCamera({ permission: 'media', mediaTypes: [], ...own }, APP)).toBe(false);
    expect(mayUseCamera({ permission: 'media', mediaTypes: undefined, ...own }, APP)).toBe(false);
    expect(mayUseCamera({ permission: 'media', mediaTypes: ['video'], requestingUrl: 'https://evil.example/', isMainFrame: true }, APP)).toBe(false);
    expect(mayUseCamera({ permission: 'media', mediaTypes: ['video'], requestingUrl: 'file:///tmp/page.html', isMainFrame: true }, APP)).toBe(false);
    expect(mayUseCamera({ permission: 'media', mediaTypes: ['video'], requestingUrl: undefined, isMainFrame: true }, APP)).toBe(false);
    expect(mayUseCamera({ permission: 'media', mediaTypes: ['video'], requestingUrl: own.requestingUrl, isMainFrame: false }, APP)).toBe(false);
    for (const permission of ['display-capture', 'geolocation', 'notifications', 'clipboard-read', 'usb']) {
      expect(mayUseCamera({ permission, mediaTypes: ['video'], ...own }, APP)).toBe(false);
    }
  });

  it('is what the session\'s request and check handlers answer; devices stay refused', () => {
    type Handlers = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>;
    let request: Parameters<Handlers['setPermissionRequestHandler']>[0] = null;
    let check: Parameters<Handlers['setPermissionCheckHandler']>[0] = null;
    let device: unknown = null;
    allowOwnCameraOnly(
      {
        setPermissionRequestHandler: (h) => void (request = h),
        setPermissionCheckHandler: (h) => void (check = h),
        setDevicePermissionHandler: (h) => void (device = h),
      },
      APP,
    );
    const answers: boolean[] = [];
    const ask = (permission: 'media' | 'geolocation', mediaTypes: ('video' | 'audio')[]) =>
      request!(null as never, permission, (granted) => answers.push(granted), { ...own, mediaTypes });
    ask('media', ['video']);
    ask('media', ['video', 'audio']);
    ask('geolocation', []);
    expect(answers).toEqual([true, false, false]);
    expect(check!(null, 'media', 'file://', { ...own, mediaType: 'video' })).toBe(true);
    expect(check!(null, 'media', 'file://', { ...own, mediaType: 'audio' })).toBe(false);
    expect(check!(null, 'notifications', 'file://', own)).toBe(false);
    expect(device).toBe(denyDevicePermission);
  });

  it('is allowed by the pages\' Permissions-Policy for the app itself only, the microphone for nobody', () => {
    expect(PERMISSIONS_POLICY).toContain('camera=(self)');
    expect(PERMISSIONS_POLICY).toContain('microphone=()');
  });
});

type Backend = ReturnType<SafeStorage['getSelectedStorageBackend']>;

/** safeStorage as Chromium behaves on Linux: "v11" with a keyring, "v10" (built-in password) without. */
function fakeSafeStorage(backend: Backend) {
  const state = { backend, encrypted: 0 };
  const store: SafeStorageLike = {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => state.backend,
    encryptString: (plain) => {
      state.encrypted += 1;
      return Buffer.from(`${state.backend === 'basic_text' ? 'v10' : 'v11'}${Buffer.from(plain).toString('base64')}`, 'latin1');
    },
    decryptString: (sealed) => Buffer.from(sealed.subarray(3).toString('latin1'), 'base64').toString(),
  };
  return { state, store };
}

describe('database key on Linux without a keyring', () => {
  it('refuses to make a key under basic_text, saying what to do; an existing plain key is read, not locked away', () => {
    const { store } = fakeSafeStorage('basic_text');
    const fresh = keyStoreRefusal(store, 'linux', null);
    expect(fresh).toMatch(/basic_text/);
    expect(fresh).toMatch(/plain text/);
    expect(fresh).toMatch(/GNOME Keyring/);
    expect(fresh).toMatch(/--password-store=gnome-libsecret/);
    expect(keyStoreRefusal(store, 'linux', Buffer.from('v10abc', 'latin1'))).toBeNull();
    expect(keyStoreWarning(store, 'linux', Buffer.from('v10abc', 'latin1'))).toMatch(/written without a keyring.*as good as plain text/);
    expect(keyStoreWarning(fakeSafeStorage('gnome_libsecret').store, 'linux', Buffer.from('v10abc', 'latin1'))).toBeNull();
    expect(keyStoreRefusal(store, 'linux', Buffer.from('v11abc', 'latin1'))).toMatch(/made with a keyring this session does not reach/);
    expect(keyStoreRefusal(fakeSafeStorage('unknown').store, 'linux', null)).not.toBeNull();
  });

  it('accepts a keyring on Linux, and asks nothing of Linux on macOS and Windows', () => {
    for (const backend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'] as const) {
      expect(keyStoreRefusal(fakeSafeStorage(backend).store, 'linux', null)).toBeNull();
    }
    const notLinux = {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: (): Backend => {
        throw new Error('Linux only');
      },
    };
    expect(keyStoreRefusal(notLinux, 'darwin', null)).toBeNull();
    expect(keyStoreRefusal(notLinux, 'win32', Buffer.from('v10abc', 'latin1'))).toBeNull();
    expect(keyStoreRefusal({ ...notLinux, isEncryptionAvailable: () => false }, 'win32', null)).toMatch(/key store is not available/);
  });

  it('writes no key file under basic_text; reads one an earlier start wrote that way, with a warning', () => {
    const dir = tempDir();
    const keyFile = path.join(dir, 'db.key');
    const { state, store } = fakeSafeStorage('basic_text');
    const protector = safeStorageProtector(store, 'linux');
    expect(() => loadOrCreateKey({ keyFile, protector, dbFile: path.join(dir, 'clinic.db') })).toThrow(KeyUnavailableError);
    expect(fs.existsSync(keyFile)).toBe(false);
    expect(state.encrypted).toBe(0);
    fs.writeFileSync(keyFile, Buffer.from(`v10${Buffer.from('ab'.repeat(32)).toString('base64')}`, 'latin1'));
    const warnings: string[] = [];
    const warned = safeStorageProtector(store, 'linux', (m) => warnings.push(m));
    expect(loadOrCreateKey({ keyFile, protector: warned, dbFile: path.join(dir, 'clinic.db') }).key.toString('hex')).toBe('ab'.repeat(32));
    expect(warnings).toEqual([expect.stringMatching(/as good as plain text/)]);
  });

  it('moves a key written without a keyring into the keyring once there is one', () => {
    const dir = tempDir();
    const keyFile = path.join(dir, 'db.key');
    const hex = 'cd'.repeat(32);
    fs.writeFileSync(keyFile, Buffer.from(`v10${Buffer.from(hex).toString('base64')}`, 'latin1'));
    const { store } = fakeSafeStorage('gnome_libsecret');
    const first = loadOrCreateKey({ keyFile, protector: safeStorageProtector(store, 'linux'), dbFile: path.join(dir, 'clinic.db') });
    expect(first).toMatchObject({ created: false, reprotected: true });
    expect(first.key.toString('hex')).toBe(hex);
    expect(fs.readFileSync(keyFile).subarray(0, 3).toString('latin1')).toBe('v11');
    const again = loadOrCreateKey({ keyFile, protector: safeStorageProtector(store, 'linux'), dbFile: path.join(dir, 'clinic.db') });
    expect(again.reprotected).toBeUndefined();
    expect(again.key.toString('hex')).toBe(hex);
    // Windows and macOS seal with "v10" too: nothing to move there.
    const mac = loadOrCreateKey({ keyFile: path.join(tempDir(), 'db.key'), protector: safeStorageProtector(store, 'darwin'), dbFile: path.join(dir, 'x.db') });
    expect(mac.created).toBe(true);
  });
});
