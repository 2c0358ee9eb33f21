import { Ollama } from 'ollama';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeOllama, startFakeOllama } from './fake-ollama';

// The fake is itself a test double: check it speaks the protocol the real client expects.
describe('fake Ollama server through the real ollama client', () => {
  let fake: FakeOllama;
  afterEach(() => fake.close());

  it('embeds in batches, streams chat, lists, shows and pulls models', async () => {
    fake = await startFakeOllama({ chat: () => ['Hello ', 'world'] });
    const client = new Ollama({ host: fake.url });
    const { embeddings } = await client.embed({
      model: 'nomic-embed-text',
      input: ['a b', 'a b', 'z'],
    });
    expect(embeddings).toHaveLength(3);
    expect(embeddings[0]).toHaveLength(768);
    expect(embeddings[0]).toEqual(embeddings[1]);
    expect(embeddings[0]).not.toEqual(embeddings[2]);
    const pieces: string[] = [];
    for await (const part of await client.chat({
      model: 'llama3.2:3b',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    })) {
      pieces.push(part.message.content);
    }
    expect(pieces.join('')).toBe('Hello world');
    expect((await client.list()).models.map((m) => m.name)).toContain('nomic-embed-text:latest');
    expect((await client.show({ model: 'nomic-embed-text' })).capabilities).toEqual(['embedding']);
    await expect(client.embed({ model: 'mxbai-embed-large', input: 'x' })).rejects.toThrow(
      /not found/,
    );
    const statuses: string[] = [];
    for await (const p of await client.pull({ model: 'nomic-embed-text:v1.5', stream: true })) {
      statuses.push(p.status);
    }
    expect(statuses.at(-1)).toBe('success');
    fake.failNext(1, 503);
    await expect(client.embed({ model: 'nomic-embed-text', input: 'x' })).rejects.toThrow();
    expect((await client.embed({ model: 'nomic-embed-text', input: 'x' })).embeddings).toHaveLength(
      1,
    );
  });
});
