import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LiveServer, signup, startLiveServer } from '../sync/harness';
import {
  buildRendererOnce,
  FIXTURES,
  fitsHorizontally,
  type RunningApp,
  screenshot,
  startApp,
} from './harness';

describe('Publish screen against a real local sync server (PostgreSQL)', {
  timeout: 120_000,
}, () => {
  let app: RunningApp;
  let live: LiveServer;

  beforeAll(async () => {
    await buildRendererOnce();
    live = await startLiveServer();
    app = await startApp({});
    const [kb] = await app.api.handlers['kb.list']({});
    const seeded = await app.api.handlers['ingest.import']({
      opId: 'publish-seed',
      kbId: kb?.id ?? '',
      files: [{ kind: 'path', path: join(FIXTURES, 'corpus/docs/txt/pep-0020.rst.txt') }],
    });
    expect(seeded.summary.ok).toBe(1);
  });
  afterAll(async () => {
    await app?.close();
    await live?.close();
  });

  it('logs in, publishes with progress, publishes again and rolls back', async () => {
    const { page } = app;
    const account = await signup(live.current, 'ui');
    const progress: string[] = [];
    app.api.events.subscribe((e) => {
      if (e.event === 'sync.progress') progress.push(e.payload.phase);
    });
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: 'Publish' })
      .click();
    await page.getByLabel('Server address').fill(live.current.url);
    await page.getByLabel('E-mail').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await screenshot(page, 'publish-login');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('region', { name: 'Sync status' }).waitFor();
    expect(Number(await page.getByTestId('pending').textContent())).toBeGreaterThan(0);

    await page.getByLabel('Release note').fill('first release');
    await page
      .getByRole('region', { name: 'Sync status' })
      .getByRole('button', { name: 'Publish' })
      .click();
    await page.getByText('Published release v1.').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('pending').textContent()).toBe('0');
    expect(progress).toContain('sending');
    expect(progress.at(-1)).toBe('done');

    await app.api.handlers['persona.save']({
      persona: { ...(await app.api.handlers['persona.get']({})).persona, name: 'Coach Ada' },
    });
    await page
      .getByRole('region', { name: 'Sync status' })
      .getByRole('button', { name: 'Publish' })
      .click();
    await page.getByText('Published release v2.').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Roll back to v1' }).click();
    await page.getByText('Now serving a copy of v1.').waitFor();
    const releases = await app.api.handlers['publish.releases']({});
    expect(releases.map((r) => [r.version, r.kind, r.active])).toEqual(
      expect.arrayContaining([
        [3, 'rollback', true],
        [2, 'publish', false],
        [1, 'publish', false],
      ]),
    );
    await screenshot(page, 'publish');
    expect(await fitsHorizontally(page)).toBe(true);
    expect(app.outside).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });
});
