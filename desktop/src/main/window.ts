import { BrowserWindow, type WebPreferences } from 'electron';
import { APP_URL } from './origin';
import { type ExternalOpener, hardenWebContents } from './security';

/**
 * The only webPreferences any window gets. Isolated, sandboxed renderer with no Node, web security
 * on, no webview tag, no remote content in the preload; spellcheck off so no dictionary downloads.
 */
export function hardenedWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

export interface WindowOptions {
  preload: string;
  openExternal: ExternalOpener;
  /** Where the window starts; the app origin unless a test says otherwise. */
  url?: string;
}

/** The one window factory: every window of the app is made here, hardened the same way. */
export function createMainWindow(options: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'Creator Hub',
    backgroundColor: '#f6f7f9',
    webPreferences: hardenedWebPreferences(options.preload),
  });
  hardenWebContents(win.webContents, options.openExternal);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(options.url ?? APP_URL);
  return win;
}
