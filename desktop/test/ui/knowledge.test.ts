import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildRendererOnce,
  FIXTURES,
  fitsHorizontally,
  type RunningApp,
  screenshot,
  startApp,
} from './harness';

const DOCS = join(FIXTURES, 'corpus/docs');

describe('Knowledge screen in browser mode', { timeout: 120_000 }, () => {
  let app: RunningApp;
  beforeAll(async () => {
    await buildRendererOnce();
    app = await startApp({});
  });
  afterAll(() => app?.close());

  it('imports real documents with per-file progress, shows a rejected file with its reason', async () => {
    const { page } = app;
    await page.getByRole('heading', { name: 'Default' }).waitFor();
    await page
      .getByTestId('file-input')
      .setInputFiles([
        join(DOCS, 'txt/pep-0020.rst.txt'),
        join(DOCS, 'md/rust-book_ch16-01-threads.md'),
        join(FIXTURES, 'corpus/malformed/png-image-renamed.txt'),
      ]);
    const rows = page.locator('.import-row');
    await expect.poll(() => rows.count()).toBe(3);
    // Every file reaches its final state; its progress bar is full.
    await expect
      .poll(() => page.locator('.import-row[data-status="ok"]').count(), { timeout: 20_000 })
      .toBe(2);
    const rejected = page.locator('.import-row[data-status="rejected"]');
    await expect.poll(() => rejected.count()).toBe(1);
    expect(await rejected.locator('.import-name').textContent()).toBe('png-image-renamed.txt');
    const reason = (await rejected.locator('.import-reason').textContent()) ?? '';
    expect(reason.length).toBeGreaterThan(5);
    for (const bar of await rows.getByRole('progressbar').all()) {
      expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    }
    await expect.poll(() => page.locator('.doc-table tbody tr').count()).toBe(2);
    expect(await page.getByTestId('kb-stats').textContent()).toMatch(/^2 documents/);
    await screenshot(page, 'knowledge');
    expect(await fitsHorizontally(page)).toBe(true);
  });

  it('filters documents, opens one with its chunks, removes it with undo', async () => {
    const { page } = app;
    await page.getByLabel('Search documents').fill('threads');
    await expect.poll(() => page.locator('.doc-table tbody tr').count()).toBe(1);
    await page
      .getByRole('button', { name: /Using Threads|threads/i })
      .first()
      .click();
    await page.locator('.chunk').first().waitFor();
    expect(await page.locator('.chunk').count()).toBeGreaterThan(1);
    expect(await page.locator('.doc-view').textContent()).toContain('thread');
    await screenshot(page, 'knowledge-document');
    await page.getByRole('button', { name: 'Close document' }).click();
    await page.getByLabel('Search documents').fill('');
    await expect.poll(() => page.locator('.doc-table tbody tr').count()).toBe(2);

    const firstTitle = await page
      .locator('.doc-table tbody tr td button.link')
      .first()
      .textContent();
    await page.getByRole('button', { name: `Remove ${firstTitle}` }).click();
    await expect.poll(() => page.locator('.doc-table tbody tr').count()).toBe(1);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.locator('.doc-table tbody tr').count()).toBe(2);
    const count = () =>
      (app.ws.db.prepare('SELECT count(*) AS n FROM documents').get() as { n: number }).n;
    expect(count()).toBe(2);
    await page.getByRole('button', { name: `Remove ${firstTitle}` }).click();
    await expect.poll(count, { timeout: 15_000 }).toBe(1);
    expect(app.outside).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });
});
