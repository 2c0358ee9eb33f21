import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));
const { createAppProtocolHandler } = await import('../../src/main/app-protocol');

describe('app:// protocol', () => {
  const base = mkdtempSync(join(tmpdir(), 'creator-hub-proto-'));
  const root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html>');
  writeFileSync(join(root, 'assets', 'a.js'), 'ok');
  writeFileSync(join(base, 'secret.txt'), 'secret');
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  const handle = createAppProtocolHandler(root);

  it('serves the renderer with the strict CSP', async () => {
    const res = await handle(new Request('app://creator-hub/index.html'));
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    expect(await (await handle(new Request('app://creator-hub/assets/a.js'))).text()).toBe('ok');
    expect((await handle(new Request('app://creator-hub/'))).status).toBe(200);
  });

  it('serves nothing outside the renderer folder or for another host', async () => {
    for (const url of [
      'app://creator-hub/../secret.txt',
      'app://creator-hub/%2e%2e/secret.txt',
      'app://creator-hub/assets/..%2f..%2fsecret.txt',
      'app://creator-hub/%E0%A4%A',
      'app://other/index.html',
      'app://creator-hub/missing.js',
    ]) {
      const res = await handle(new Request(url));
      expect(res.status, url).toBe(404);
    }
  });
});
