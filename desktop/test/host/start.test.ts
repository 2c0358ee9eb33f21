import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt } from '../../src/host/renderer-build';

const START = resolve(import.meta.dirname, '../../bin/start.mjs');

describe('npm start without the Electron binary', () => {
  const home = mkdtempSync(join(tmpdir(), 'creator-hub-start-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGTERM');
    rmSync(home, { recursive: true, force: true });
  });

  it('starts browser mode, says why, prints the URL with its token, honours CREATOR_HUB_HOME', async () => {
    await ensureRendererBuilt();
    child = spawn(process.execPath, [START], {
      env: {
        ...process.env,
        BROWSER: 'none',
        CREATOR_HUB_HOME: home,
        OLLAMA_HOST: 'http://127.0.0.1:9',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const url = await new Promise<string>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`no URL printed:\n${out}`)), 45_000);
      child?.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(out);
        if (m?.[1] && out.includes('Open the link above')) {
          clearTimeout(timer);
          ok(m[1]);
        }
      });
      child?.stderr?.on('data', (d: Buffer) => {
        out += d.toString();
      });
    });
    expect(out).toMatch(/browser mode: .*Electron/i);
    expect(out).toContain(`Workspace: ${home}`);
    expect(out).toContain('Open the link above');
    const [origin, token] = url.split('/#token=') as [string, string];
    const info = await fetch(`${origin}/api/app.info`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(info.status).toBe(200);
    expect(((await info.json()) as { home: string }).home).toBe(home);
    expect((await fetch(`${origin}/api/app.info`, { method: 'POST', body: '{}' })).status).toBe(
      401,
    );
    expect((await fetch(`${origin}/`)).headers.get('content-security-policy')).toContain(
      "script-src 'self'",
    );
  });
});
