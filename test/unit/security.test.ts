import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, isAppUrl, secureWindowOptions } from '../../electron/security';
import fs from 'node:fs';

describe('Electron window security', () => {
  it('runs the renderer sandboxed, isolated and without Node', () => {
    const prefs = secureWindowOptions('/app/preload.cjs').webPreferences!;
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      preload: '/app/preload.cjs',
    });
  });

  it('keeps navigation inside the app', () => {
    expect(isAppUrl('file:///opt/app/out/renderer/index.html#/staff', 'file:///opt/app/out/renderer/index.html')).toBe(true);
    expect(isAppUrl('file:///etc/passwd', 'file:///opt/app/out/renderer/index.html')).toBe(false);
    expect(isAppUrl('https://evil.example/', 'http://localhost:5173/')).toBe(false);
    expect(isAppUrl('http://localhost:5173/#/x', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('not a url', 'http://localhost:5173/')).toBe(false);
  });

  it('allows scripts only from the app itself, in Electron and in the page', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe/);
    const html = fs.readFileSync('renderer/index.html', 'utf8');
    expect(html).toContain("script-src 'self'");
  });

  it('exposes only call and on through the preload', () => {
    const preload = fs.readFileSync('electron/preload.ts', 'utf8');
    expect(preload.match(/exposeInMainWorld/g)).toHaveLength(1);
    expect(preload).toMatch(/call:/);
    expect(preload).toMatch(/on:/);
  });
});
