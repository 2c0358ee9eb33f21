import { type Citation, toCitation } from './citations';
import type { PromptPassage } from './prompt';
import { contentTerms } from './support';

export const EXTRACTIVE_LABEL =
  'No language model is reachable, so here are the most relevant passages from your documents:';

/** How many passages an extractive answer quotes, and how long each quote may be. */
const MAX_QUOTES = 3;
const MAX_QUOTE_CHARS = 400;

/** A crude stem, enough to match "rivers" with "river" when picking a sentence to quote. */
const stem = (word: string) => word.replace(/(ing|ed|es|s)$/u, '');

function sentencesOf(text: string): string[] {
  return text
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}"“(])/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The passage's sentence sharing most question words, with its neighbour when it is short. */
function bestQuote(text: string, stems: ReadonlySet<string>): string {
  const sentences = sentencesOf(text);
  let bestIndex = 0;
  let bestScore = -1;
  sentences.forEach((s, i) => {
    const words = new Set((s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map(stem));
    const score = [...stems].filter((w) => words.has(w)).length;
    if (score > bestScore) {
      bestScore = score;
      bestIndex = i;
    }
  });
  let quote = sentences[bestIndex] ?? text;
  const next = sentences[bestIndex + 1];
  if (quote.length < 120 && next) quote = `${quote} ${next}`;
  return quote.length > MAX_QUOTE_CHARS ? `${quote.slice(0, MAX_QUOTE_CHARS - 1)}…` : quote;
}

/**
 * The answer given without a language model: the best sentences of the top passages, quoted with
 * their citations and labelled, so nobody mistakes them for a composed answer.
 */
export function extractiveAnswer(
  question: string,
  passages: readonly PromptPassage[],
): { text: string; citations: Citation[] } {
  const stems = new Set(contentTerms(question).map(stem));
  const quoted = passages.slice(0, MAX_QUOTES);
  const lines = quoted.map(({ n, hit }) => `“${bestQuote(hit.text, stems)}” [${n}]`);
  return {
    text: [EXTRACTIVE_LABEL, '', ...lines].join('\n'),
    citations: quoted.map((p) => toCitation(p.n, p)),
  };
}
