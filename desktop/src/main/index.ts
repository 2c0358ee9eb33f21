import { join } from 'node:path';
import { IPC_EVENT_CHANNEL } from '@creator-hub/shared/api/index';
import {
  app,
  type BrowserWindow,
  dialog,
  ipcMain,
  protocol,
  session,
  shell,
  utilityProcess,
} from 'electron';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './app-protocol';
import { createCoreClient } from './core-client';
import { registerApiIpc } from './ipc';
import { APP_SCHEME } from './origin';
import { createExternalOpener, denyAllPermissions } from './security';
import { createMainWindow } from './window';

// Electron main: windows, the app protocol and the IPC bridge. All product logic is in the core,
// which runs in a utility process (see core-process.ts) straight from its TypeScript through tsx,
// like the CLI, so its migrations and parser worker files stay where the core expects them.
const OUT = join(import.meta.dirname, '..');
const DESKTOP = join(OUT, '..');

protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();

let win: BrowserWindow | null = null;

const openExternal = createExternalOpener({
  confirm: async (url) => {
    const { response } = await dialog.showMessageBox({
      type: 'question',
      buttons: ['Open in browser', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      message: 'Open this link in your browser?',
      detail: url,
    });
    return response === 0;
  },
  open: (url) => shell.openExternal(url),
});

async function start(): Promise<void> {
  denyAllPermissions(session.defaultSession);
  protocol.handle(APP_SCHEME, createAppProtocolHandler(join(OUT, 'renderer')));

  const child = utilityProcess.fork(join(DESKTOP, 'src/main/core-process.ts'), [], {
    serviceName: 'Creator Hub core',
    cwd: DESKTOP,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, CREATOR_HUB_VERSION: app.getVersion() },
  });
  const core = createCoreClient(child);
  registerApiIpc(ipcMain, async (name, payload) => {
    // Opening a browser is the shell's job: it needs a dialog and the system browser.
    if (name === 'app.openExternal') {
      const opened = await openExternal((payload as { url: string }).url);
      return { ok: true, value: { opened } };
    }
    return core.call(name, payload);
  });
  core.onEvent((envelope) => win?.webContents.send(IPC_EVENT_CHANNEL, envelope));

  win = createMainWindow({ preload: join(OUT, 'preload/index.cjs'), openExternal });
  win.on('closed', () => {
    win = null;
  });
  app.on('before-quit', () => core.stop());
}

// Any window created some other way (devtools aside) gets the same treatment.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});
app.on('window-all-closed', () => app.quit());
void app.whenReady().then(start);
