import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../src/core/workspace';
import { citingModel, passagesIn } from '../chat/models';
import { seedDocument } from '../chat/seed';
import { cli } from '../helpers/cli';
import { type ChatRequest, type FakeOllama, startFakeOllama } from '../helpers/fake-ollama';
import { tempDir } from '../helpers/tmp';

let server: FakeOllama;
let env: NodeJS.ProcessEnv;

const long = (s: string) =>
  `${s} ${'More context about the programme and its lessons. '.repeat(5)}`;

beforeEach(async () => {
  const home = tempDir();
  const ws = openWorkspace(home);
  seedDocument(ws, {
    title: 'Course guide',
    kb: 'Course',
    chunks: [
      { text: long('The Morning Routine course costs 49 euros.') },
      { text: long('Refunds for the Morning Routine course are possible within 30 days.') },
    ],
  });
  seedDocument(ws, {
    title: 'Sleep notes',
    kb: 'Course',
    chunks: [{ text: 'The Sleep course says caffeine after noon delays sleep onset.' }],
  });
  ws.close();
  server = await startFakeOllama({
    chat: (req: ChatRequest) =>
      (req.messages[0]?.content ?? '').startsWith('You write test questions')
        ? 'Question: What does the Morning Routine course cost?\nAnswer: 49 euros'
        : citingModel(req),
  });
  env = { CREATOR_HUB_HOME: home, OLLAMA_HOST: server.url, CREATOR_HUB_EMBED_PROVIDER: 'none' };
});

afterEach(async () => {
  await server.close();
});

describe('creator-hub eval', () => {
  it('adds, generates, accepts, lists and runs, then lists regressions', async () => {
    const add = await cli(
      [
        'eval',
        'add',
        'Does caffeine delay sleep?',
        '--kb',
        'Course',
        '--doc',
        'sleep notes',
        '--phrase',
        'delays sleep onset',
      ],
      env,
    );
    expect(add.code).toBe(0);
    expect(
      (await cli(['eval', 'add', 'Who won the 1998 World Cup?', '--kb', 'Course', '--refuse'], env))
        .code,
    ).toBe(0);

    const generated = await cli(
      ['eval', 'generate', '--doc', 'Course guide', '--kb', 'Course', '--count', '1', '--json'],
      env,
    );
    const candidate = generated.json<{ candidates: { id: string; question: string }[] }>()[0]
      ?.candidates[0];
    expect(candidate?.question).toBe('What does the Morning Routine course cost?');
    const pending = await cli(['eval', 'list', '--kb', 'Course', '--candidates'], env);
    expect(pending.stdout).toContain('candidate\tWhat does the Morning Routine course cost?');
    expect((await cli(['eval', 'accept', candidate?.id ?? ''], env)).stdout).toMatch(/^Accepted/);

    const listed = (await cli(['eval', 'list', '--kb', 'Course', '--json'], env)).json<{
      cases: { status: string }[];
    }>()[0];
    expect(listed?.cases.map((c) => c.status)).toEqual(['accepted', 'accepted', 'accepted']);

    const first = await cli(['eval', 'run', '--kb', 'Course', '--json'], env);
    expect(first.code).toBe(0);
    const report = first.json<{
      run: { metrics: Record<string, number> };
      comparison: unknown;
    }>()[0];
    expect(report?.run.metrics).toMatchObject({
      cases: 3,
      hitAtK: 1,
      citationAccuracy: 1,
      refusalCorrectness: 1,
      phraseMatch: 1,
    });
    expect(report?.comparison).toBeNull();

    // The model gets worse: it now cites whichever passage came last and drops the facts.
    server.setChat((req) => `Somewhere in there [${passagesIn(req).at(-1)?.n ?? 1}].`);
    const second = await cli(['eval', 'run', '--kb', 'Course'], env);
    expect(second.stdout).toMatch(/answer phrase match +0\.0% \(-100\.0 pts\)/);
    expect(second.stdout).toMatch(/Regressions since the previous run \(2\):/);
    expect(second.stdout).toMatch(/- Does caffeine delay sleep\?: expected phrase missing/);
  });

  it('rejects bad test questions and runs nothing on an empty set', async () => {
    expect((await cli(['eval', 'add', 'Q?', '--kb', 'Course'], env)).stderr).toMatch(
      /expected document/,
    );
    expect(
      (await cli(['eval', 'add', 'Q?', '--kb', 'Course', '--doc', 'Missing'], env)).stderr,
    ).toMatch(/no document "Missing"/);
    expect((await cli(['eval', 'run', '--kb', 'Course', '--k', '0'], env)).stderr).toMatch(
      /--k must be/,
    );
    const empty = await cli(['eval', 'run', '--kb', 'Course'], env);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/no accepted test questions/);
    expect(
      (
        await cli(['eval', 'generate', '--doc', 'Course guide', '--kb', 'Course'], {
          ...env,
          CREATOR_HUB_CHAT_MODEL: 'none',
        })
      ).stderr,
    ).toMatch(/needs a chat model/);
  });
});
