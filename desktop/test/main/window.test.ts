import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, fakeEvent } from './electron-mock';

vi.mock('electron', async () => {
  const mock = await import('./electron-mock');
  return { BrowserWindow: mock.FakeBrowserWindow };
});

const { createMainWindow, hardenedWebPreferences } = await import('../../src/main/window');
const { APP_URL } = await import('../../src/main/origin');

describe('the one window factory', () => {
  const opener = vi.fn(async (_url: string) => true);
  let win: FakeBrowserWindow;
  beforeEach(() => {
    FakeBrowserWindow.created.length = 0;
    opener.mockClear();
    createMainWindow({ preload: '/app/out/preload/index.cjs', openExternal: opener });
    const made = FakeBrowserWindow.created[0];
    if (!made) throw new Error('no window was created');
    win = made;
  });

  it('creates windows with hardened webPreferences and loads the app origin', () => {
    expect(FakeBrowserWindow.created).toHaveLength(1);
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      preload: '/app/out/preload/index.cjs',
    });
    expect(prefs).toEqual(hardenedWebPreferences('/app/out/preload/index.cjs'));
    // Nothing that loosens the sandbox is set anywhere.
    expect(Object.keys(prefs)).not.toContain('enableRemoteModule');
    expect(win.loadURL).toHaveBeenCalledWith(APP_URL);
    expect(APP_URL.startsWith('app://creator-hub/')).toBe(true);
    expect(win.options.minWidth).toBe(1024);
    expect(win.options.minHeight).toBe(700);
  });

  it('denies navigation and redirects away from the app origin', () => {
    for (const [url, allowed] of [
      ['app://creator-hub/index.html', true],
      ['app://creator-hub/assets/x.js', true],
      ['https://evil.example/', false],
      ['http://127.0.0.1:3000/', false],
      ['file:///etc/passwd', false],
      ['app://other-host/index.html', false],
      ['javascript:alert(1)', false],
      ['not a url', false],
    ] as const) {
      for (const name of ['will-navigate', 'will-redirect']) {
        const event = fakeEvent();
        win.webContents.emit(name, event, url);
        expect(event.preventDefault, `${name} ${url}`).toHaveBeenCalledTimes(allowed ? 0 : 1);
      }
    }
  });

  it('never opens a window; hands https links to the confirming opener only', () => {
    const handler = win.webContents.windowOpenHandler;
    if (!handler) throw new Error('no window open handler');
    for (const url of [
      'https://example.com/a',
      'http://example.com',
      'file:///x',
      'javascript:alert(1)',
      'app://creator-hub/index.html',
    ]) {
      expect(handler({ url })).toEqual({ action: 'deny' });
    }
    expect(opener).toHaveBeenCalledTimes(1);
    expect(opener).toHaveBeenCalledWith('https://example.com/a');
  });

  it('refuses to attach webviews', () => {
    const event = fakeEvent();
    win.webContents.emit('will-attach-webview', event, {}, {});
    expect(event.preventDefault).toHaveBeenCalled();
  });
});
