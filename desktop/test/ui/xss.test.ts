import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOllama, startFakeOllama } from '../helpers/fake-ollama';
import { buildRendererOnce, FIXTURES, type RunningApp, startApp } from './harness';
import { AUDIT, HOOKS, xssPayloads } from './xss-corpus';

const PAYLOADS = xssPayloads();
const BATCH = 20;
const batches = Array.from({ length: Math.ceil(PAYLOADS.length / BATCH) }, (_, i) =>
  PAYLOADS.slice(i * BATCH, (i + 1) * BATCH),
);

describe('renderer XSS corpus', { timeout: 120_000 }, () => {
  let app: RunningApp;
  let ollama: FakeOllama;
  let next = 0;
  const dir = mkdtempSync(join(tmpdir(), 'creator-hub-xss-'));

  beforeAll(async () => {
    await buildRendererOnce();
    // The hostile model: each answer is the next batch of payloads.
    ollama = await startFakeOllama({
      chat: () => (batches[next++] ?? []).map((p) => p.markdown).join('\n\n'),
    });
    app = await startApp({ env: { OLLAMA_HOST: ollama.url } });
    await app.page.addInitScript(HOOKS);
    await app.page.reload();
    const body = PAYLOADS.map((p) => p.markdown).join('\n\n');
    writeFileSync(join(dir, 'hostile-notes.md'), `# Hostile notes\n\n${body}\n`);
    writeFileSync(join(dir, 'hostile-notes.txt'), `Hostile plain notes\n\n${body}\n`);
    const [kb] = await app.api.handlers['kb.list']({});
    const imported = await app.api.handlers['ingest.import']({
      opId: 'xss-seed-01',
      kbId: kb?.id ?? '',
      files: [
        { kind: 'path', path: join(FIXTURES, 'corpus/docs/md/rust-book_ch16-01-threads.md') },
        { kind: 'path', path: join(dir, 'hostile-notes.md') },
        { kind: 'path', path: join(dir, 'hostile-notes.txt') },
      ],
    });
    expect(imported.summary.ok).toBe(3);
  });
  afterAll(async () => {
    await app?.close();
    await ollama?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const executions = () =>
    app.page.evaluate(() => (window as unknown as { __xssCount: number }).__xssCount);
  const violations = () =>
    app.page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
  const audit = () => app.page.evaluate(AUDIT) as Promise<string[]>;

  it(`renders ${PAYLOADS.length} payloads as model output: 0 executions, 0 outside requests`, async () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(200);
    const { page } = app;
    expect(await executions()).toBe(0);
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: 'Playground' })
      .click();
    let seen = 0;
    for (const batch of batches) {
      await page.getByRole('button', { name: 'New chat' }).click();
      await page.getByLabel('Question').fill('How do threads run code at the same time?');
      await page.getByRole('button', { name: 'Ask' }).click();
      await page.locator('.bubble.bot .bubble-meta').waitFor();
      const text = (await page.locator('.bubble.bot .answer-text').textContent()) ?? '';
      for (const p of batch) if (text.includes(p.marker)) seen += 1;
      expect(await audit()).toEqual([]);
    }
    expect(seen).toBe(PAYLOADS.length);
    expect(next).toBe(batches.length);
    await page.waitForTimeout(300);
    expect(await executions()).toBe(0);
    expect(await violations()).toEqual([]);
    expect(app.outside).toEqual([]);
  });

  it('renders the same payloads as document text (Markdown and plain text files): 0 executions', async () => {
    const { page } = app;
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: 'Knowledge' })
      .click();
    const kbId = (await app.api.handlers['kb.list']({}))[0]?.id ?? '';
    const hostile = (await app.api.handlers['documents.list']({ kbId })).filter((d) =>
      d.path.includes('hostile-notes'),
    );
    expect(hostile.map((d) => d.format).sort()).toEqual(['md', 'txt']);
    for (const doc of hostile) {
      await page.getByRole('button', { name: doc.title, exact: true }).click();
      await page.locator('.chunk').first().waitFor();
      const text = (await page.locator('.doc-view').textContent()) ?? '';
      const markers = PAYLOADS.filter((p) => text.includes(p.marker)).length;
      expect(markers, doc.format).toBe(PAYLOADS.length);
      expect(await audit()).toEqual([]);
      await page.getByRole('button', { name: 'Close document' }).click();
    }
    await page.waitForTimeout(300);
    expect(await executions()).toBe(0);
    expect(await violations()).toEqual([]);
    expect(app.outside).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });

  it('the detectors work: a payload that really runs is counted', async () => {
    // Guard against a silent pass: executing the marker function directly must be seen.
    await app.page.evaluate(() => (window as unknown as { __pwn: () => void }).__pwn());
    expect(await executions()).toBe(1);
  });
});
