import type { ChatRequest } from '../helpers/fake-ollama';

/** Passages as the prompt fences them, read back the way a model would see them. */
export function passagesIn(request: ChatRequest): { n: number; text: string }[] {
  const user = request.messages.findLast((m) => m.role === 'user')?.content ?? '';
  const fence = /<<<PASSAGE (\d+) ([0-9a-f]{16})>>>\n([\s\S]*?)\n<<<END PASSAGE \1 \2>>>/g;
  return [...user.matchAll(fence)].map((m) => ({
    n: Number(m[1]),
    text: (m[3] ?? '').replace(/^Source: .*\n/, ''),
  }));
}

export function questionIn(request: ChatRequest): string {
  const user = request.messages.findLast((m) => m.role === 'user')?.content ?? '';
  return user.slice(user.lastIndexOf('\nQuestion') + 1).replace(/^Question[^:]*\):|^Question:/, '');
}

export const isRewriteRequest = (request: ChatRequest) =>
  (request.messages[0]?.content ?? '').startsWith('Rewrite the follow-up');

const words = (s: string) => new Set(s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);

/**
 * A well-behaved fake model: it answers with the first sentence of the passage sharing most words
 * with the question and cites it. Deterministic, so tests can assert on what it cites.
 */
export function citingModel(request: ChatRequest): string {
  const passages = passagesIn(request);
  const q = words(questionIn(request));
  let best = passages[0];
  let bestScore = -1;
  for (const p of passages) {
    const score = [...words(p.text)].filter((w) => q.has(w)).length;
    if (score > bestScore) {
      best = p;
      bestScore = score;
    }
  }
  if (!best) return 'No passages.';
  const sentence = best.text.split(/(?<=[.!?])\s/)[0] ?? best.text;
  return `${sentence.replace(/[.!?]$/, '')} [${best.n}].`;
}
