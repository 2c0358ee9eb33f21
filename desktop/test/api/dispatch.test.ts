import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDesktopApi, type DesktopApi } from '../../src/core/api/create-api';
import { dispatch } from '../../src/core/api/dispatch';
import { openWorkspace, type Workspace } from '../../src/core/workspace';

describe('the API dispatcher every transport goes through', () => {
  let home: string;
  let ws: Workspace;
  let api: DesktopApi;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'creator-hub-api-'));
    ws = openWorkspace(home);
    api = createDesktopApi({ ws, env: { OLLAMA_HOST: 'http://127.0.0.1:9' } });
  });
  afterEach(() => {
    ws.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('refuses names outside the contract, including prototype keys', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 'kb.list ', '']) {
      const r = await dispatch(api.handlers, name, {});
      expect(r).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    }
  });

  it('validates input and names the field', async () => {
    const r = await dispatch(api.handlers, 'kb.create', { name: '' });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ path: 'name' }] },
    });
    const extra = await dispatch(api.handlers, 'app.info', { sneaky: 1 });
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('checks the answer against the output schema before it leaves', async () => {
    const broken = {
      ...api.handlers,
      'kb.list': async () => [{ id: 1 }] as never,
    };
    const r = await dispatch(broken, 'kb.list', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'failed' } });
  });

  it('turns core errors into codes a user can act on', async () => {
    expect(await dispatch(api.handlers, 'documents.get', { documentId: 'missing' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await dispatch(api.handlers, 'persona.rollback', { version: 99 })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    const noServer = await dispatch(api.handlers, 'publish.releases', {});
    expect(noServer.ok).toBe(false);
  });

  it('serves the settings round trip and the first-run flag', async () => {
    const info = await dispatch(api.handlers, 'app.info', {});
    expect(info).toMatchObject({
      ok: true,
      value: { firstRun: true, ollama: { reachable: false } },
    });
    await dispatch(api.handlers, 'app.finishOnboarding', {});
    expect(await dispatch(api.handlers, 'app.info', {})).toMatchObject({
      value: { firstRun: false },
    });
    const saved = await dispatch(api.handlers, 'settings.update', {
      theme: 'dark',
      chatModel: 'qwen2.5:7b',
    });
    expect(saved).toMatchObject({ ok: true, value: { theme: 'dark', chatModel: 'qwen2.5:7b' } });
    expect(await dispatch(api.handlers, 'settings.get', {})).toMatchObject({
      value: { theme: 'dark' },
    });
    expect(await dispatch(api.handlers, 'settings.update', { theme: 'neon' })).toMatchObject({
      ok: false,
    });
  });
});
