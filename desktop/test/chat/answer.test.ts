import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AskError, answerQuestion, type ChatDeps } from '../../src/core/chat/answer';
import { ask } from '../../src/core/chat/ask';
import { listMessages } from '../../src/core/chat/conversations';
import { EXTRACTIVE_LABEL } from '../../src/core/chat/extractive';
import { createOllamaChatModel } from '../../src/core/chat/llm';
import { defaultPersona, updatePersona } from '../../src/core/persona/store';
import { openWorkspace, type Workspace } from '../../src/core/workspace';
import { type FakeOllama, startFakeOllama } from '../helpers/fake-ollama';
import { tempDir } from '../helpers/tmp';
import { citingModel, isRewriteRequest } from './models';
import { type SeededDocument, searchRetrieve, seedDocument } from './seed';

let ws: Workspace;
let server: FakeOllama;
let guide: SeededDocument;

beforeEach(async () => {
  ws = openWorkspace(tempDir());
  guide = seedDocument(ws, {
    title: 'Course guide',
    chunks: [
      {
        text: 'The Morning Routine course costs 49 euros and includes twelve video lessons.',
        section: 'Pricing',
        page: 2,
      },
      {
        text: 'Refunds for the Morning Routine course are available within 30 days of purchase.',
        section: 'Refunds',
        page: 3,
      },
    ],
  });
  seedDocument(ws, {
    title: 'Sleep notes',
    chunks: [{ text: 'A dark, cool bedroom and a consistent bedtime improve sleep quality.' }],
  });
  server = await startFakeOllama({ chat: citingModel });
});

afterEach(async () => {
  ws.close();
  await server.close();
});

const model = (url = server.url, idleTimeoutMs = 5000) =>
  createOllamaChatModel({
    host: url,
    model: 'llama3.2:3b',
    numCtx: 8192,
    numPredict: 500,
    idleTimeoutMs,
    totalTimeoutMs: 10_000,
  });

const deps = (over: Partial<ChatDeps> = {}): ChatDeps => ({
  db: ws.db,
  retrieve: searchRetrieve(ws),
  model: model(),
  ...over,
});

const chatRequests = () => server.requests.filter((r) => r.path === '/api/chat');

describe('ask', () => {
  it('streams a cited answer and maps the citation to document, section and page', async () => {
    const tokens: string[] = [];
    const result = await ask(deps(), {
      question: 'How much does the Morning Routine course cost?',
      onToken: (t) => tokens.push(t),
    });
    expect(result.mode).toBe('llm');
    expect(result.refused).toBe(false);
    expect(result.answer).toMatch(/49 euros .*\[\d\]\.$/);
    expect(tokens.length).toBeGreaterThan(3);
    expect(tokens.join('').trim()).toBe(result.answer);
    expect(result.citations).toHaveLength(1);
    expect(result.citations[0]).toMatchObject({
      documentId: guide.documentId,
      chunkId: guide.chunkIds[0],
      title: 'Course guide',
      section: 'Pricing',
      page: 2,
    });
    const stored = listMessages(ws.db, result.conversationId);
    expect(stored.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(stored[1]?.content).toBe(result.answer);
    expect(stored[1]?.citations).toEqual(result.citations);
  });

  it("refuses a question the documents do not support, with the persona's refusal", async () => {
    const tokens: string[] = [];
    const result = await ask(deps(), {
      question: 'What is the capital city of Mongolia?',
      onToken: (t) => tokens.push(t),
    });
    expect(result.refused).toBe(true);
    expect(result.answer).toBe(defaultPersona().refusal);
    expect(tokens.join('')).toBe(defaultPersona().refusal);
    expect(result.citations).toEqual([]);
    expect(chatRequests()).toHaveLength(0);
    expect(listMessages(ws.db, result.conversationId)[1]?.refused).toBe(true);
  });

  it('marks an answer refused when the model itself gives the refusal text', async () => {
    server.setChat(() => `${defaultPersona().refusal} [1]`);
    const result = await ask(deps(), { question: 'What do the twelve video lessons cover?' });
    expect(result.refused).toBe(true);
    expect(result.answer).toBe(defaultPersona().refusal);
    expect(result.citations).toEqual([]);
  });

  it('answers extractively, with citations and a label, when the server is down', async () => {
    await server.close();
    const result = await ask(deps(), { question: 'How much does the course cost?' });
    expect(result.mode).toBe('extractive');
    expect(result.answer.startsWith(EXTRACTIVE_LABEL)).toBe(true);
    expect(result.answer).toContain('49 euros');
    expect(result.citations[0]?.chunkId).toBe(guide.chunkIds[0]);
    expect(result.notice).toMatch(/not reachable/);
  });

  it('answers extractively when the model fails or when no model is configured', async () => {
    server.failNext(1, 500);
    const failed = await ask(deps(), { question: 'When are refunds available?' });
    expect(failed.mode).toBe('extractive');
    expect(failed.citations[0]?.section).toBe('Refunds');
    const none = await ask(deps({ model: undefined }), { question: 'When are refunds available?' });
    expect(none.mode).toBe('extractive');
    expect(none.answer).toContain('30 days');
  });

  it('stores a cancelled answer as cancelled, with what had arrived', async () => {
    await server.close();
    server = await startFakeOllama({
      chat: () => Array.from({ length: 50 }, (_, i) => `word${i} `),
      pieceDelayMs: 15,
    });
    const controller = new AbortController();
    let seen = 0;
    const result = await ask(deps(), {
      question: 'What does the course include?',
      signal: controller.signal,
      onToken: () => {
        seen += 1;
        if (seen === 2) controller.abort();
      },
    });
    expect(result.status).toBe('cancelled');
    expect(result.answer).toMatch(/^word0 word1/);
    expect(result.answer).not.toContain('word40');
    expect(listMessages(ws.db, result.conversationId)[1]?.status).toBe('cancelled');
  });

  it('rewrites a follow-up into a standalone query with the model', async () => {
    server.setChat((req) =>
      isRewriteRequest(req)
        ? 'When are refunds for the Morning Routine course available?'
        : citingModel(req),
    );
    const first = await ask(deps(), { question: 'How much does the Morning Routine course cost?' });
    const second = await ask(deps(), {
      question: 'Can I get my money back for it?',
      conversationId: first.conversationId,
    });
    expect(second.retrievalQuery).toBe(
      'When are refunds for the Morning Routine course available?',
    );
    expect(second.citations[0]?.section).toBe('Refunds');
    const rewrite = chatRequests().find((r) => isRewriteRequest(r.body as never));
    expect(JSON.stringify(rewrite?.body)).toContain(
      'How much does the Morning Routine course cost?',
    );
  });

  it('rewrites a follow-up with the previous question when no model is available', async () => {
    const d = deps({ model: undefined });
    const first = await ask(d, { question: 'When are refunds for the course available?' });
    const second = await ask(d, {
      question: 'And the price?',
      conversationId: first.conversationId,
    });
    expect(second.retrievalQuery).toBe(
      'And the price? (When are refunds for the course available?)',
    );
    const selfContained = await ask(d, {
      question: 'How much does the Morning Routine course cost?',
      conversationId: first.conversationId,
    });
    expect(selfContained.retrievalQuery).toBe('How much does the Morning Routine course cost?');
  });

  it('applies the current persona to the prompt and records its version', async () => {
    const saved = updatePersona(ws.db, { name: 'Coach Mia', language: 'French', voice: 'Playful' });
    const result = await ask(deps(), { question: 'How much does the course cost?' });
    const messages = (chatRequests()[0]?.body.messages ?? []) as { content: string }[];
    const system = messages[0]?.content ?? '';
    expect(system).toContain('You are Coach Mia');
    expect(system).toContain('Always answer in French.');
    expect(system).toContain('Voice and tone: Playful');
    expect(listMessages(ws.db, result.conversationId)[1]?.personaVersion).toBe(saved.version);
  });

  it('answers with a persona passed in (a preview) without saving it', async () => {
    const draft = { ...defaultPersona(), name: 'Draft Dana', refusal: 'Dana does not know.' };
    const preview = deps({
      persona: { id: null, version: -1, persona: draft, note: '', createdAt: '' },
    });
    const refused = await answerQuestion(preview, { question: 'Who painted the Mona Lisa?' });
    expect(refused.answer).toBe('Dana does not know.');
    await answerQuestion(preview, { question: 'How much does the course cost?' });
    const messages = (chatRequests()[0]?.body.messages ?? []) as { content: string }[];
    expect(messages[0]?.content).toContain('You are Draft Dana');
    expect(ws.db.prepare('SELECT count(*) AS n FROM persona_versions').get()).toEqual({ n: 0 });
    expect(ws.db.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 0 });
  });

  it('puts only passages of the asked knowledge base in the prompt', async () => {
    const other = seedDocument(ws, {
      title: 'Other creator guide',
      kb: 'Other',
      chunks: [{ text: 'SECRET-B: the Morning Routine course costs 99 euros in the other base.' }],
    });
    const result = await ask(deps(), {
      question: 'How much does the Morning Routine course cost?',
      kbId: guide.kbId,
    });
    const prompt = JSON.stringify(chatRequests().map((r) => r.body));
    expect(prompt).toContain('49 euros');
    expect(prompt).not.toContain('SECRET-B');
    expect(result.citations.every((c) => c.documentId !== other.documentId)).toBe(true);
    const fromOther = await ask(deps(), {
      question: 'What does the course cost?',
      kbId: other.kbId,
    });
    expect(fromOther.answer).toContain('99 euros');
    expect(fromOther.citations.map((c) => c.documentId)).toEqual([other.documentId]);
  });

  it('rejects an empty or oversized question before doing anything', async () => {
    await expect(ask(deps(), { question: '   ' })).rejects.toBeInstanceOf(AskError);
    await expect(ask(deps(), { question: 'x'.repeat(5000) })).rejects.toThrow(/longer than/);
    expect(server.requests).toHaveLength(0);
  });
});
