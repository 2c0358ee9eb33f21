import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOllama, startFakeOllama } from '../helpers/fake-ollama';
import {
  buildRendererOnce,
  FIXTURES,
  fitsHorizontally,
  type RunningApp,
  screenshot,
  startApp,
} from './harness';

const DOCS = join(FIXTURES, 'corpus/docs');

/** A model that answers from the first passage it was given, citing it, streamed word by word. */
const citingModel = () => 'Threads let a program run independent parts **at the same time** [1].';

describe('creator flows in browser mode (fake Ollama)', { timeout: 120_000 }, () => {
  let app: RunningApp;
  let ollama: FakeOllama;

  beforeAll(async () => {
    await buildRendererOnce();
    ollama = await startFakeOllama({ chat: citingModel, pieceDelayMs: 5 });
    app = await startApp({
      env: { OLLAMA_HOST: ollama.url, CREATOR_HUB_CHAT_MODEL: 'llama3.2:3b' },
    });
    const [kb] = await app.api.handlers['kb.list']({});
    const result = await app.api.handlers['ingest.import']({
      opId: 'seed-0001',
      kbId: kb?.id ?? '',
      files: [
        { kind: 'path', path: join(DOCS, 'md/rust-book_ch16-01-threads.md') },
        { kind: 'path', path: join(DOCS, 'txt/pep-0020.rst.txt') },
      ],
    });
    expect(result.summary.ok).toBe(2);
  });
  afterAll(async () => {
    await app?.close();
    await ollama?.close();
  });

  const go = async (label: string) => {
    await app.page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: label })
      .click();
    await app.page
      .getByRole('heading', { level: 1, name: label === 'Knowledge' ? 'Default' : label })
      .waitFor();
  };

  it('asks a question, streams a cited answer, shows retrieved passages and opens the citation', async () => {
    const { page } = app;
    await go('Playground');
    await page.getByLabel('Question').fill('How do threads run code at the same time?');
    await page.getByRole('button', { name: 'Ask' }).click();
    const cite = page.locator('.bubble.bot .cite').first();
    await cite.waitFor();
    expect(await page.locator('.bubble.bot .answer-text').textContent()).toContain(
      'at the same time',
    );
    expect(await page.locator('.retrieved-list .passage').count()).toBeGreaterThan(0);
    await screenshot(page, 'playground');
    await cite.click();
    const drawer = page.getByRole('dialog', { name: 'Cited passage' });
    await drawer.locator('.chunk.focused').waitFor();
    expect(await drawer.locator('.chunk.focused').textContent()).toMatch(/thread/i);
    await screenshot(page, 'playground-citation');
    expect(await fitsHorizontally(page)).toBe(true);
    await drawer.getByRole('button', { name: 'Close document' }).click();
  });

  it('edits the persona with a live preview, saves a version and rolls back', async () => {
    const { page } = app;
    await go('Persona');
    await page.getByLabel('Name', { exact: true }).fill('Coach Ada');
    await page.getByLabel('Preview question').fill('How do threads run code at the same time?');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect
      .poll(() =>
        page
          .getByTestId('persona-preview')
          .textContent()
          .catch(() => app.pageErrors.join('\n')),
      )
      .toContain('same time');
    await page.getByLabel('Note for this version').fill('renamed');
    await page.getByRole('button', { name: 'Save version' }).click();
    await page.getByText(/Saved as version \d+/).waitFor();
    const first = await app.api.handlers['persona.get']({});
    expect(first.persona.name).toBe('Coach Ada');
    await page.getByLabel('Name', { exact: true }).fill('Coach Bea');
    await page.getByRole('button', { name: 'Save version' }).click();
    await page.getByText(`Saved as version ${first.version + 1}.`).waitFor();
    await page.getByRole('button', { name: `Roll back to version ${first.version}` }).click();
    await page.getByText(`Saved as version ${first.version + 2}.`).waitFor();
    const rolledBack = await app.api.handlers['persona.get']({});
    expect(rolledBack.persona.name).toBe('Coach Ada');
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Coach Ada');
    await screenshot(page, 'persona');
    expect(await fitsHorizontally(page)).toBe(true);
  });

  it('builds a program with two modules and reorders a step with the keyboard', async () => {
    const { page } = app;
    await go('Programs');
    await page.getByLabel('New program title').fill('Calm focus in 2 weeks');
    await page.getByRole('button', { name: 'Create program' }).click();
    await page.getByRole('heading', { name: 'Calm focus in 2 weeks' }).waitFor();
    for (const title of ['Foundations', 'Practice']) {
      await page.getByLabel('New module title').fill(title);
      await page.getByRole('button', { name: 'Add module' }).click();
      await page.getByLabel(`New step in ${title}`).waitFor();
    }
    for (const [module, step] of [
      ['Foundations', 'Breathe'],
      ['Foundations', 'Notice'],
      ['Practice', 'Daily sit'],
    ] as const) {
      await page.getByLabel(`New step in ${module}`).fill(step);
      await page.getByLabel(`New step in ${module}`).press('Enter');
      await page.locator(`[data-step="${step}"]`).waitFor();
    }
    const order = async () => {
      const list = await app.api.handlers['programs.list']({});
      const tree = await app.api.handlers['programs.get']({ programId: list[0]?.id ?? '' });
      return tree.modules.map((m) => m.steps.map((s) => s.title));
    };
    expect(await order()).toEqual([['Breathe', 'Notice'], ['Daily sit']]);
    // Keyboard drag: pick up "Notice", move it up one place, drop it.
    await page.getByRole('button', { name: 'Reorder Notice' }).focus();
    await page.keyboard.press('Space');
    await page.locator('.step-item.dragging').waitFor();
    // dnd-kit measures the drop targets in effects after the pick-up renders; an arrow key pressed
    // before that is ignored. Two animation frames later those effects have run.
    await page.evaluate(
      () =>
        new Promise<void>((resolve) =>
          requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
        ),
    );
    await page.keyboard.press('ArrowUp');
    // dnd-kit moves the item on the next frames; drop once it sits over its new place.
    await expect
      .poll(() => page.locator('.step-item.dragging').getAttribute('style'))
      .toMatch(/translate3d\(0px, -\d/);
    // Collision detection settles a frame or two after the move is drawn.
    await page.waitForTimeout(300);
    await page.keyboard.press('Space');
    await expect.poll(order).toEqual([['Notice', 'Breathe'], ['Daily sit']]);
    // Pointer drag: "Daily sit" from Practice onto "Breathe" in Foundations.
    const handle = await page.getByRole('button', { name: 'Reorder Daily sit' }).boundingBox();
    const target = await page.locator('[data-step="Breathe"]').boundingBox();
    if (!handle || !target) throw new Error('nothing to drag');
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2, handle.y - 10, { steps: 4 });
    await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 12 });
    await page.mouse.up();
    await expect.poll(order).toEqual([['Notice', 'Daily sit', 'Breathe'], []]);
    // Edit a step: a lesson in Markdown, a check-in, shown with validation in place.
    await page.locator('[data-step="Breathe"] .step-title').click();
    await page.getByLabel('Lesson (Markdown)').fill('Sit **tall**. Breathe in for 4, out for 6.');
    await page.getByLabel('Check-in type').selectOption('scale');
    await page.getByRole('button', { name: 'Save step' }).click();
    await page.getByRole('list', { name: 'Problems with this step' }).waitFor();
    await page.getByLabel('Question', { exact: true }).fill('How calm do you feel?');
    await page.getByRole('button', { name: 'Save step' }).click();
    await expect
      .poll(() => page.getByRole('list', { name: 'Problems with this step' }).count())
      .toBe(0);
    await screenshot(page, 'programs');
    expect(await fitsHorizontally(page)).toBe(true);
    await page.getByRole('tab', { name: 'Simulate a learner' }).click();
    await page.getByRole('button', { name: 'Simulate' }).click();
    await page.locator('.timeline-day').first().waitFor();
    await screenshot(page, 'programs-simulation');
    const events = await page.locator('.event').allTextContents();
    expect(events.some((e) => e.includes('Breathe'))).toBe(true);
    expect(events.some((e) => e.includes('Check-in'))).toBe(true);
  });

  it('runs an evaluation with progress and shows its scores', async () => {
    const { page } = app;
    await go('Evaluation');
    await page
      .getByLabel('Question', { exact: true })
      .fill('How do threads run code at the same time?');
    await page.getByLabel('Source document').selectOption({ label: 'rust-book_ch16-01-threads' });
    await page.getByRole('button', { name: 'Add question' }).click();
    await page.locator('.case').first().waitFor();
    await page.getByLabel('Question', { exact: true }).fill('What is the capital of Mongolia?');
    await page.getByLabel('Expected').selectOption('refuse');
    await page.getByRole('button', { name: 'Add question' }).click();
    await expect.poll(() => page.locator('.case').count()).toBe(2);
    const progress: number[] = [];
    app.api.events.subscribe((e) => {
      if (e.event === 'evals.progress') progress.push(e.payload.done);
    });
    await page.getByRole('button', { name: 'Run evaluation' }).click();
    await page.getByTestId('eval-results').waitFor();
    expect(progress).toEqual([1, 2]);
    expect(await page.locator('.results li').count()).toBe(2);
    expect(await page.getByRole('img', { name: /Scores of this run/ }).count()).toBe(1);
    await page.getByRole('button', { name: 'Run evaluation' }).click();
    await expect
      .poll(() => page.getByTestId('no-regressions').textContent(), { timeout: 20_000 })
      .toBe('None.');
    await screenshot(page, 'evaluation');
    expect(await fitsHorizontally(page)).toBe(true);
  });

  it('shows settings with the detected models, switches to the dark theme, and the other screens', async () => {
    const { page } = app;
    await go('Settings');
    await expect.poll(() => page.getByTestId('ollama-status').textContent()).toContain('Connected');
    await screenshot(page, 'settings');
    await page.getByText('Dark', { exact: true }).click();
    await expect
      .poll(() => page.evaluate(() => document.documentElement.dataset.theme))
      .toBe('dark');
    await go('Knowledge');
    await screenshot(page, 'knowledge-dark');
    await go('Playground');
    await expect.poll(() => page.getByLabel('Model').inputValue()).toBe('llama3.2:3b');
    await screenshot(page, 'playground-dark');
    await go('Publish');
    await page.getByRole('form', { name: 'Log in to your server' }).waitFor();
    await screenshot(page, 'publish-dark');
    expect(await fitsHorizontally(page)).toBe(true);
    expect(app.outside).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });
});

describe('first run without Ollama', { timeout: 120_000 }, () => {
  let app: RunningApp;
  beforeAll(async () => {
    await buildRendererOnce();
    app = await startApp({ onboarded: false });
  });
  afterAll(() => app?.close());

  it('explains what is missing and what still works, then opens the app', async () => {
    const { page } = app;
    await page.getByRole('heading', { name: 'Local AI not found' }).waitFor();
    expect(await page.locator('.onboarding').textContent()).toContain(
      'What still works without it',
    );
    await screenshot(page, 'onboarding');
    expect(await fitsHorizontally(page)).toBe(true);
    await page.getByRole('button', { name: 'Get started' }).click();
    await page.getByRole('heading', { name: 'Default' }).waitFor();
    expect((await app.api.handlers['app.info']({})).firstRun).toBe(false);
  });
});
