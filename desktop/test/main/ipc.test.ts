import { API_METHOD_NAMES, type ApiResult, ipcChannel } from '@creator-hub/shared/api/index';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeIpcMain } from './electron-mock';

vi.mock('electron', () => ({}));
const { registerApiIpc } = await import('../../src/main/ipc');

const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });
const TRUSTED = frame('app://creator-hub/index.html');

describe('IPC bridge in the main process', () => {
  let ipc: ReturnType<typeof fakeIpcMain>;
  const call = vi.fn(
    async (_name: string, payload: unknown): Promise<ApiResult<unknown>> => ({
      ok: true,
      value: payload,
    }),
  );
  const invoke = (channel: string, event: unknown, payload: unknown) => {
    const handler = ipc.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(event, payload) as Promise<ApiResult<unknown>>;
  };

  beforeEach(() => {
    call.mockClear();
    ipc = fakeIpcMain();
    registerApiIpc(ipc as never, call);
  });

  it('registers exactly one handler per contract method, on its own channel', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(API_METHOD_NAMES.map(ipcChannel).sort());
    expect(ipc.handlers.size).toBeGreaterThan(40);
  });

  it('passes validated payloads from the app frame to the core', async () => {
    const result = await invoke('api:kb.create', TRUSTED, { name: '  Courses ' });
    expect(result).toEqual({ ok: true, value: { name: 'Courses' } });
    expect(call).toHaveBeenCalledExactlyOnceWith('kb.create', { name: 'Courses' });
  });

  it('refuses callers that are not the app top frame', async () => {
    for (const event of [
      frame('https://evil.example/'),
      frame('file:///home/user/x.html'),
      frame('app://creator-hub/index.html', { url: 'app://creator-hub/' }),
      frame('app://other/index.html'),
      frame('http://127.0.0.1:5173/'),
      { senderFrame: null },
      {},
    ]) {
      const result = await invoke('api:kb.list', event, {});
      expect(result.ok).toBe(false);
    }
    expect(call).not.toHaveBeenCalled();
  });

  it('refuses payloads that fail the method schema, naming the field', async () => {
    const cases: [string, unknown][] = [
      ['api:kb.create', { name: 42 }],
      ['api:kb.create', { name: '' }],
      ['api:kb.create', 'not an object'],
      ['api:documents.get', { documentId: 'x'.repeat(100) }],
      ['api:chat.ask', { opId: 'short', question: 'hi' }],
      ['api:ingest.import', { opId: 'op-12345678', kbId: 'k', files: [{ kind: 'path' }] }],
      [
        'api:ingest.import',
        { opId: 'op-12345678', kbId: 'k', files: [{ kind: 'upload', uploadId: '../../etc' }] },
      ],
      ['api:app.openExternal', { url: 'http://example.com' }],
      ['api:app.openExternal', { url: 'javascript:alert(1)' }],
      ['api:settings.update', { ollamaHost: 'file:///etc/passwd' }],
    ];
    for (const [channel, payload] of cases) {
      const result = await invoke(channel, TRUSTED, payload);
      expect(result.ok, channel).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('invalid_input');
    }
    const named = await invoke('api:kb.create', TRUSTED, { name: 42 });
    expect(named.ok === false && named.error.issues?.[0]?.path).toBe('name');
    expect(call).not.toHaveBeenCalled();
  });
});
