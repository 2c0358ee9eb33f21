import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../src/core/workspace';
import { cli } from '../helpers/cli';
import { type FakeOllama, startFakeOllama } from '../helpers/fake-ollama';
import { tempDir } from '../helpers/tmp';
import { citingModel, isRewriteRequest } from './models';

let home: string;
let server: FakeOllama;
let env: NodeJS.ProcessEnv;

const filler = (topic: string) =>
  Array.from(
    { length: 14 },
    (_, i) =>
      `Note ${i + 1} on ${topic}: the team reviews this part of the programme every season.`,
  ).join(' ');

const GUIDE = `# Course guide

## Pricing

The Morning Routine course costs 49 euros and includes twelve video lessons. ${filler('pricing')}

## Refunds

Refunds for the Morning Routine course are available within 30 days of purchase. ${filler('refunds')}
`;

let template: string;

/** Ingests once through the real command; each test gets a copy of that workspace. */
beforeAll(async () => {
  template = tempDir(); // removed when this file is done
  const docs = tempDir();
  writeFileSync(join(docs, 'guide.md'), GUIDE);
  const env = { CREATOR_HUB_HOME: template, CREATOR_HUB_EMBED_PROVIDER: 'none' };
  const ingested = await cli(['ingest', join(docs, 'guide.md'), '--kb', 'Course'], env);
  expect(ingested.code).toBe(0);
});

beforeEach(async () => {
  home = tempDir();
  cpSync(template, home, { recursive: true });
  server = await startFakeOllama({ chat: citingModel });
  env = {
    CREATOR_HUB_HOME: home,
    OLLAMA_HOST: server.url,
    CREATOR_HUB_EMBED_PROVIDER: 'none',
  };
});

afterEach(async () => {
  await server.close();
});

const ANSWER_KEYS = ['answer', 'citations', 'refused', 'mode'];
const CITATION_KEYS = ['n', 'documentId', 'title', 'section', 'page', 'text'];

describe('creator-hub ask', () => {
  it('prints exactly the documented JSON, with citations mapped to the ingested document', async () => {
    const result = await cli(
      ['ask', 'How much does the course cost?', '--kb', 'Course', '--json'],
      env,
    );
    expect(result.code).toBe(0);
    const [out] = result.json<Record<string, unknown>>();
    expect(Object.keys(out ?? {})).toEqual(ANSWER_KEYS);
    expect(out).toMatchObject({ refused: false, mode: 'llm' });
    expect(out?.answer).toMatch(/49 euros/);
    const citations = out?.citations as Record<string, unknown>[];
    expect(citations).toHaveLength(1);
    expect(Object.keys(citations[0] ?? {})).toEqual(CITATION_KEYS);
    expect(citations[0]).toMatchObject({
      title: 'Course guide',
      section: 'Course guide › Pricing',
      page: null,
    });
    const ws = openWorkspace(home);
    const doc = ws.db.prepare('SELECT id FROM documents').get() as { id: string };
    ws.close();
    expect(citations[0]?.documentId).toBe(doc.id);
  });

  it('refuses an unsupported question and answers extractively when Ollama is down', async () => {
    const refused = await cli(
      ['ask', 'Who painted the Mona Lisa?', '--kb', 'Course', '--json'],
      env,
    );
    expect(refused.json()[0]).toMatchObject({ refused: true, citations: [] });

    await server.close();
    const down = await cli(['ask', 'When are refunds available?', '--kb', 'Course', '--json'], env);
    expect(down.code).toBe(0);
    const out = down.json<{ mode: string; answer: string; citations: unknown[] }>()[0];
    expect(out?.mode).toBe('extractive');
    expect(out?.answer).toContain('30 days');
    expect(out?.citations.length).toBeGreaterThan(0);
    expect(down.stderr).toMatch(/not reachable/);
  });

  it('streams the answer as text with its sources, and fails clearly on bad input', async () => {
    const result = await cli(['ask', 'How much does the course cost?', '--kb', 'Course'], env);
    expect(result.stdout).toMatch(
      /49 euros .*\[1\]\.\n\nSources:\n\[1\] Course guide › Pricing\n$/,
    );
    const unknownKb = await cli(['ask', 'Hi?', '--kb', 'Nope', '--json'], env);
    expect(unknownKb.code).toBe(1);
    expect(unknownKb.stderr).toMatch(/no knowledge base named "Nope"/);
    const empty = await cli(['ask', ' ', '--kb', 'Course'], env);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/question is empty/);
  });
});

describe('creator-hub chat', () => {
  it('greets, streams answers, keeps the conversation for follow-ups, and exits', async () => {
    server.setChat((req) =>
      isRewriteRequest(req)
        ? 'When are refunds for the Morning Routine course available?'
        : citingModel(req),
    );
    const input = Readable.from([
      'How much does the Morning Routine course cost?\n',
      'And can I get my money back on it?\n',
      '/exit\n',
      'never asked\n',
    ]);
    const result = await cli(['chat', '--kb', 'Course'], env, input);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^Companion: Hi!/);
    expect(result.stdout).toMatch(
      /Companion: Course guide\nPricing\nThe Morning Routine course costs 49/,
    );
    expect(result.stdout).toMatch(
      /Companion: Refunds\nRefunds for the Morning Routine course .*30 days/,
    );
    expect(result.stdout).not.toContain('never asked');
    const conversation = /conversation: (\S+)/.exec(result.stderr)?.[1];
    const ws = openWorkspace(home);
    const rows = ws.db
      .prepare('SELECT role FROM messages WHERE conversation_id = ? ORDER BY id')
      .all(conversation) as { role: string }[];
    ws.close();
    expect(rows.map((r) => r.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  });

  it('starts a new conversation on /new and refuses to run without input', async () => {
    const input = Readable.from([
      'What does the course cost?\n',
      `${'x'.repeat(10_000)}\n`,
      '/new\n',
      'Any refunds?\n',
    ]);
    const result = await cli(['chat', '--kb', 'Course'], env, input);
    expect(result.stdout).toContain('(new conversation)');
    expect(result.stderr).toMatch(/error: the question is longer than 4000 characters/);
    const ws = openWorkspace(home);
    const count = ws.db.prepare('SELECT count(*) AS n FROM conversations').get() as { n: number };
    ws.close();
    expect(count.n).toBe(2);
    const models = await cli(['chat', '--list-models'], env);
    expect(models.stdout).toMatch(/^llama3\.2:3b\t1B\tfake\t\(in use\)\n/m);
    const noInput = await cli(['chat'], env);
    expect(noInput.code).toBe(1);
    expect(noInput.stderr).toMatch(/interactive input/);
  });
});
