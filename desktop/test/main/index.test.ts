import { EventEmitter } from 'node:events';
import { API_METHOD_NAMES } from '@creator-hub/shared/api/index';
import { describe, expect, it, vi } from 'vitest';
import type { fakeIpcMain, fakeSession } from './electron-mock';

// The whole main entry wired against a stand-in Electron: what it registers, and in which way.
const electron = vi.hoisted(() => ({
  registered: [] as unknown[],
  handled: [] as string[],
  sandboxed: 0,
  forked: [] as { path: string; options: Record<string, unknown> }[],
  dialogAnswer: 0,
  opened: [] as string[],
  appEvents: new Map<string, (...args: unknown[]) => void>(),
}));
const ipc = vi.hoisted(() => ({ current: null as null | ReturnType<typeof fakeIpcMain> }));
const session = vi.hoisted(() => ({ current: null as null | ReturnType<typeof fakeSession> }));

vi.mock('electron', async () => {
  const mock = await import('./electron-mock');
  const { EventEmitter: Emitter } = await import('node:events');
  ipc.current = mock.fakeIpcMain();
  session.current = mock.fakeSession();
  class FakeUtility extends Emitter {
    postMessage = vi.fn();
    kill = vi.fn();
  }
  return {
    app: {
      enableSandbox: () => {
        electron.sandboxed += 1;
      },
      whenReady: () => Promise.resolve(),
      getVersion: () => '9.9.9',
      on: (name: string, fn: (...args: unknown[]) => void) => electron.appEvents.set(name, fn),
      quit: vi.fn(),
    },
    BrowserWindow: mock.FakeBrowserWindow,
    dialog: { showMessageBox: async () => ({ response: electron.dialogAnswer }) },
    ipcMain: ipc.current,
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => electron.registered.push(...schemes),
      handle: (scheme: string) => electron.handled.push(scheme),
    },
    session: { defaultSession: session.current },
    shell: {
      openExternal: async (url: string) => {
        electron.opened.push(url);
      },
    },
    utilityProcess: {
      fork: (path: string, _args: string[], options: Record<string, unknown>) => {
        electron.forked.push({ path, options });
        return new FakeUtility();
      },
    },
  };
});

await import('../../src/main/index');
const { FakeBrowserWindow } = await import('./electron-mock');
await new Promise((r) => setTimeout(r, 10));

describe('Electron main entry', () => {
  it('registers the app scheme as secure and standard, sandboxes every renderer, serves the app protocol', () => {
    expect(electron.registered).toEqual([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true }),
      }),
    ]);
    expect(electron.sandboxed).toBe(1);
    expect(electron.handled).toEqual(['app']);
  });

  it('denies permissions on the default session', () => {
    expect(session.current?.setPermissionRequestHandler).toHaveBeenCalledOnce();
    expect(session.current?.setPermissionCheckHandler).toHaveBeenCalledOnce();
  });

  it('runs the core in a utility process, not in main', () => {
    expect(electron.forked).toHaveLength(1);
    expect(electron.forked[0]?.path).toMatch(/src[/\\]main[/\\]core-process\.ts$/);
    expect(electron.forked[0]?.options.execArgv).toEqual(['--import', 'tsx']);
  });

  it('opens one hardened window with the bundled CommonJS preload', () => {
    expect(FakeBrowserWindow.created).toHaveLength(1);
    const prefs = FakeBrowserWindow.created[0]?.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(String(prefs.preload)).toMatch(/preload[/\\]index\.cjs$/);
  });

  it('bridges every API method, and opens https links only after the user agrees', async () => {
    expect(ipc.current?.handlers.size).toBe(API_METHOD_NAMES.length);
    const open = ipc.current?.handlers.get('api:app.openExternal');
    const trusted = { senderFrame: { url: 'app://creator-hub/index.html', parent: null } };
    electron.dialogAnswer = 1;
    expect(await open?.(trusted, { url: 'https://example.com/a' })).toEqual({
      ok: true,
      value: { opened: false },
    });
    electron.dialogAnswer = 0;
    expect(await open?.(trusted, { url: 'https://example.com/b' })).toEqual({
      ok: true,
      value: { opened: true },
    });
    expect(await open?.(trusted, { url: 'file:///etc/passwd' })).toMatchObject({ ok: false });
    expect(electron.opened).toEqual(['https://example.com/b']);
  });

  it('hardens any other web contents created later', () => {
    const created = electron.appEvents.get('web-contents-created');
    const contents = new (class extends EventEmitter {
      handler: ((d: { url: string }) => unknown) | null = null;
      setWindowOpenHandler(h: (d: { url: string }) => unknown) {
        this.handler = h;
      }
    })();
    created?.({}, contents);
    expect(contents.handler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    const event = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', event);
    expect(event.preventDefault).toHaveBeenCalled();
  });
});
