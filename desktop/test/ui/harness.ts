import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createDesktopApi, type DesktopApi } from '../../src/core/api/create-api';
import { openWorkspace, type Workspace } from '../../src/core/workspace';
import { ensureRendererBuilt, RENDERER_OUT } from '../../src/host/renderer-build';
import { type Host, startHost } from '../../src/host/server';

export const FIXTURES = resolve(import.meta.dirname, '../fixtures');
export const SCREENS_DIR = resolve(import.meta.dirname, '../../../test-artifacts/screens');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface RunningApp {
  ws: Workspace;
  api: DesktopApi;
  host: Host;
  browser: Browser;
  page: Page;
  /** Every request the page tried to send anywhere but this host (all were blocked). */
  outside: string[];
  /** Messages the page logged with console.error, and uncaught page errors. */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function buildRendererOnce(): Promise<void> {
  await ensureRendererBuilt();
}

/**
 * Browser mode as a user gets it: a real workspace, the real API and host on 127.0.0.1, Debian's
 * Chromium. Requests to any other host are blocked and recorded, so a test can assert there were none.
 */
export async function startApp(options: {
  /** A fresh temporary workspace, removed on close, unless given. */
  home?: string;
  env?: NodeJS.ProcessEnv;
  onboarded?: boolean;
  viewport?: { width: number; height: number };
}): Promise<RunningApp> {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'creator-hub-ui-'));
  const ws = openWorkspace(home);
  if (options.onboarded !== false) {
    ws.db
      .prepare("INSERT OR IGNORE INTO settings (key, value) VALUES ('app.onboarded', '1')")
      .run();
  }
  const api = createDesktopApi({ ws, env: { OLLAMA_HOST: 'http://127.0.0.1:9', ...options.env } });
  const host = await startHost({ api, home, rendererDir: RENDERER_OUT });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1024, height: 700 },
  });
  const outside: string[] = [];
  const pageErrors: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' && url.port === String(host.port)) return route.continue();
    if (url.protocol === 'data:') return route.continue();
    outside.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('response', async (r) => {
    if (r.status() >= 500)
      pageErrors.push(`${r.status()} ${r.url()} ${await r.text().catch(() => '')}`);
  });
  page.on('console', (m) => {
    // Chromium logs every 4xx; those are answers the UI shows (e.g. a refused edit), not faults.
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) pageErrors.push(m.text());
  });
  await page.goto(host.openUrl);
  return {
    ws,
    api,
    host,
    browser,
    page,
    outside,
    pageErrors,
    async close() {
      await browser.close();
      await host.close();
      api.close();
      ws.close();
      if (!options.home) rmSync(home, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  const path = join(SCREENS_DIR, `${name}.png`);
  await page.evaluate(() => document.querySelector('.content')?.scrollTo(0, 0));
  await page.screenshot({ path });
  return path;
}

/** True when nothing on the page overflows the viewport horizontally (no layout break). */
export async function fitsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(
    () => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1,
  );
}
