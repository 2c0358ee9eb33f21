import { API_METHOD_NAMES, ipcChannel } from '@creator-hub/shared/api/index';
import { describe, expect, it, vi } from 'vitest';

const exposed = vi.hoisted(() => ({ calls: [] as [string, unknown][] }));
const ipcRenderer = vi.hoisted(() => ({
  invoke: vi.fn(async (channel: string, payload: unknown) => ({
    ok: true,
    value: { channel, payload },
  })),
  on: vi.fn(),
  removeListener: vi.fn(),
  send: vi.fn(),
  sendSync: vi.fn(),
}));
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, value: unknown) => exposed.calls.push([key, value]),
  },
  ipcRenderer,
  webUtils: { getPathForFile: () => '/home/user/notes.md' },
}));

await import('../../src/preload/index');

type Exposed = {
  api: Record<string, (input: unknown) => Promise<unknown>>;
  onEvent: (listener: (event: string, payload: unknown) => void) => () => void;
  pathForFile: (file: unknown) => string;
};

describe('preload surface', () => {
  const [[key, value]] = exposed.calls as [[string, Exposed]];

  it('exposes one object with exactly the named API methods, an event subscription and file paths', () => {
    expect(exposed.calls).toHaveLength(1);
    expect(key).toBe('creatorHub');
    expect(Object.keys(value).sort()).toEqual(['api', 'onEvent', 'pathForFile']);
    expect(Object.keys(value.api).sort()).toEqual([...API_METHOD_NAMES].sort());
    expect(Object.keys(value.api).sort()).toMatchSnapshot();
    for (const fn of Object.values(value.api)) expect(typeof fn).toBe('function');
    expect(Object.isFrozen(value.api)).toBe(true);
    // Nothing generic leaks: no ipcRenderer, no invoke/send by channel name.
    const flat = JSON.stringify(Object.keys(value)) + JSON.stringify(Object.keys(value.api));
    expect(flat).not.toMatch(/ipcRenderer|"invoke"|"send"|"sendSync"/);
  });

  it('binds each method to its own channel and forwards events', async () => {
    await value.api['kb.list']?.({});
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith(ipcChannel('kb.list'), {});
    await value.api['chat.ask']?.({ question: 'q' });
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith('api:chat.ask', { question: 'q' });
    expect(ipcRenderer.send).not.toHaveBeenCalled();
    const seen: unknown[] = [];
    const off = value.onEvent((event, payload) => seen.push([event, payload]));
    const listener = ipcRenderer.on.mock.calls[0]?.[1] as (e: unknown, env: unknown) => void;
    listener({}, { event: 'chat.token', payload: { opId: 'o', token: 't' } });
    expect(seen).toEqual([['chat.token', { opId: 'o', token: 't' }]]);
    off();
    expect(ipcRenderer.removeListener).toHaveBeenCalledWith('api-event', listener);
    expect(value.pathForFile({})).toBe('/home/user/notes.md');
  });
});
