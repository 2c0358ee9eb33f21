import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createDesktopApi, type DesktopApi } from '../../src/core/api/create-api';
import { openWorkspace, type Workspace } from '../../src/core/workspace';
import { type Host, startHost } from '../../src/host/server';

/** A raw HTTP request, so tests can send what fetch refuses to (wrong Host, huge bodies...). */
function raw(
  host: Host,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
  },
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString(),
            headers: res.headers,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('browser-mode host', () => {
  let ws: Workspace;
  let api: DesktopApi;
  let host: Host;
  let home: string;
  let renderer: string;

  beforeEach(async () => {
    home = mkdtempSync(join(tmpdir(), 'creator-hub-host-'));
    renderer = mkdtempSync(join(tmpdir(), 'creator-hub-renderer-'));
    mkdirSync(join(renderer, 'assets'), { recursive: true });
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(home, 'secret.txt'), 'do not serve');
    ws = openWorkspace(home);
    api = createDesktopApi({ ws, env: { OLLAMA_HOST: 'http://127.0.0.1:9' } });
    host = await startHost({
      api,
      home,
      rendererDir: renderer,
      maxJsonBytes: 10_000,
      maxUploadBytes: 50_000,
    });
  });
  afterEach(async () => {
    await host.close();
    ws.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(renderer, { recursive: true, force: true });
  });

  const call = (name: string, body: unknown, token: string | null = host.token) =>
    fetch(`${host.url}/api/${name}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('listens on 127.0.0.1 only, with a random token per launch', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.openUrl).toBe(`${host.url}/#token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(40);
    const other = await startHost({ api, home, rendererDir: renderer });
    expect(other.token).not.toBe(host.token);
    await other.close();
  });

  it('answers API calls with the token and refuses them without it or with a wrong one', async () => {
    const ok = await call('kb.list', {});
    expect(ok.status).toBe(200);
    const kbs = (await ok.json()) as { name: string }[];
    expect(kbs.map((k) => k.name)).toEqual(['Default']);
    expect((await call('kb.list', {}, null)).status).toBe(401);
    expect((await call('kb.list', {}, `${host.token.slice(0, -1)}x`)).status).toBe(401);
    expect((await call('kb.list', {}, 'short')).status).toBe(401);
    expect(
      (await fetch(`${host.url}/upload?name=a.txt`, { method: 'POST', body: 'x' })).status,
    ).toBe(401);
  });

  it('validates payloads against the contract and names the bad field', async () => {
    const bad = await call('kb.create', { name: 42 });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; issues: { path: string }[] } };
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.issues[0]?.path).toBe('name');
    expect((await call('documents.get', { documentId: 'x'.repeat(65) })).status).toBe(400);
    expect((await call('ingest.import', { opId: 'bad op id!', kbId: 'k', files: [] })).status).toBe(
      400,
    );
    expect((await call('no.such.method', {})).status).toBe(404);
    expect((await call('__proto__', {})).status).toBe(404);
    expect((await call('documents.get', { documentId: 'missing' })).status).toBe(404);
    const created = await call('kb.create', { name: 'Courses' });
    expect(created.status).toBe(200);
    expect(((await created.json()) as { name: string }).name).toBe('Courses');
  });

  it('refuses malformed, oversized, wrongly typed bodies and other methods with 4xx', async () => {
    expect((await call('kb.list', '{not json')).status).toBe(400);
    expect((await call('kb.list', '[1,2')).status).toBe(400);
    const huge = JSON.stringify({ name: 'x'.repeat(20_000) });
    expect((await call('kb.create', huge)).status).toBe(413);
    const chunked = await raw(host, {
      method: 'POST',
      path: '/api/kb.list',
      headers: {
        Authorization: `Bearer ${host.token}`,
        'Content-Type': 'application/json',
        'Transfer-Encoding': 'chunked',
      },
      body: Buffer.alloc(30_000, 0x20),
    });
    expect(chunked.status).toBe(413);
    const text = await fetch(`${host.url}/api/kb.list`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'text/plain' },
      body: '{}',
    });
    expect(text.status).toBe(415);
    expect(
      (
        await fetch(`${host.url}/api/kb.list`, {
          headers: { Authorization: `Bearer ${host.token}` },
        })
      ).status,
    ).toBe(405);
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    expect((await call('kb.list', deep)).status).toBe(400);
  });

  it('refuses a foreign Host header (DNS rebinding) and a cross-site Origin', async () => {
    const rebinding = await raw(host, { path: '/', headers: { Host: 'evil.example:80' } });
    expect(rebinding.status).toBe(421);
    const api = await raw(host, {
      method: 'POST',
      path: '/api/kb.list',
      headers: {
        Host: `attacker.test:${host.port}`,
        Authorization: `Bearer ${host.token}`,
        'Content-Type': 'application/json',
      },
      body: '{}',
    });
    expect(api.status).toBe(421);
    const cross = await call('kb.list', {});
    expect(cross.status).toBe(200);
    const foreign = await fetch(`${host.url}/api/kb.list`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${host.token}`,
        'Content-Type': 'application/json',
        Origin: 'https://evil.example',
      },
      body: '{}',
    });
    expect(foreign.status).toBe(403);
  });

  it('serves the renderer with a strict CSP and never a file outside it', async () => {
    const index = await fetch(`${host.url}/`);
    expect(index.status).toBe(200);
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(await (await fetch(`${host.url}/assets/app.js`)).text()).toBe('console.log(1)');
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%00',
    ]) {
      const res = await raw(host, { path });
      expect(res.body).not.toContain('do not serve');
    }
    expect((await raw(host, { method: 'DELETE', path: '/' })).status).toBe(405);
  });

  it('stages uploads under the workspace, refuses oversized ones, and imports them', async () => {
    const up = await fetch(`${host.url}/upload?name=${encodeURIComponent('../../notes.md')}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${host.token}` },
      body: '# Notes\n\nBreathing exercises help with stage fright.\n',
    });
    expect(up.status).toBe(200);
    const staged = (await up.json()) as { uploadId: string; name: string };
    expect(staged.name).toBe('notes.md');
    const tooBig = await fetch(`${host.url}/upload?name=big.txt`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${host.token}` },
      body: Buffer.alloc(60_000, 0x61),
    });
    expect(tooBig.status).toBe(413);
    const kbId = ((await (await call('kb.list', {})).json()) as { id: string }[])[0]?.id;
    const imported = await call('ingest.import', {
      opId: 'op-upload-1',
      kbId,
      files: [{ kind: 'upload', uploadId: staged.uploadId }],
    });
    expect(imported.status).toBe(200);
    const result = (await imported.json()) as {
      summary: { ok: number };
      results: { name: string }[];
    };
    expect(result.summary.ok).toBe(1);
    expect(result.results[0]?.name).toBe('notes.md');
    const again = await call('ingest.import', {
      opId: 'op-upload-2',
      kbId,
      files: [{ kind: 'upload', uploadId: staged.uploadId }],
    });
    expect(again.status).toBe(404);
  });

  it('streams events over a WebSocket that needs the token', async () => {
    const refused = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${host.port}/events`);
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('open', () => resolve(101));
    });
    expect(refused).toBe(401);
    const wrongOrigin = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${host.port}/events?token=${host.token}`, {
        origin: 'https://evil.example',
      });
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('open', () => resolve(101));
    });
    expect(wrongOrigin).toBe(403);

    const socket = new WebSocket(`ws://127.0.0.1:${host.port}/events?token=${host.token}`);
    await new Promise((resolve) => socket.on('open', resolve));
    const received = new Promise<unknown>((resolve) =>
      socket.on('message', (d) => resolve(JSON.parse(String(d)))),
    );
    api.events.emit('chat.token', { opId: 'op-1234567', token: 'Hello' });
    expect(await received).toEqual({
      event: 'chat.token',
      payload: { opId: 'op-1234567', token: 'Hello' },
    });
    // An oversized message from the page closes the socket instead of being buffered.
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.send('x'.repeat(10_000));
    expect(await closed).toBe(1009);
  });
});
