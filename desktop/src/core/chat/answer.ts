import type { Db } from '../db/open';
import { ANSWER_TOKEN_CAP } from '../persona/schema';
import { currentPersona, type PersonaVersion } from '../persona/store';
import type { SearchHit } from '../search/types';
import { type Citation, createCitationStream, mapCitations } from './citations';
import type { AnswerMode, MessageStatus } from './conversations';
import { extractiveAnswer } from './extractive';
import { toInertText } from './inert';
import { type ChatModel, LlmError } from './llm';
import { assemblePrompt, type PromptPassage } from './prompt';
import { type PreviousTurn, standaloneQuery } from './rewrite';
import { assessSupport, DEFAULT_SUPPORT_POLICY, type SupportPolicy } from './support';

/** Finds passages for a standalone query; tests pass a real search over real rows. */
export type Retrieve = (query: string, options: { kbId?: string }) => Promise<SearchHit[]>;

export interface ChatDeps {
  db: Db;
  retrieve: Retrieve;
  /** Absent when no language model is configured: answers are then extractive. */
  model?: ChatModel;
  policy?: SupportPolicy;
  /** Passages put in the prompt (default 5). */
  passages?: number;
  /** Answer with this persona instead of the workspace's current one (a live preview). */
  persona?: PersonaVersion;
}

export interface AnswerInput {
  question: string;
  kbId?: string;
  /** The conversation's previous exchange, for follow-up questions. */
  previous?: PreviousTurn;
  /** Where the learner is, e.g. their current program step (see stepContextPrompt). */
  situation?: string;
  signal?: AbortSignal;
  /** Receives the answer as it streams, already inert and with citations mapped. */
  onToken?: (text: string) => void;
}

export interface Answer {
  answer: string;
  citations: Citation[];
  refused: boolean;
  mode: AnswerMode;
  status: MessageStatus;
  /** The query retrieval used (the question, or its standalone rewrite). */
  retrievalQuery: string;
  /** Support score of the retrieved passages, 0..1 (see support.ts). */
  support: number;
  /** Why the answer is not what was asked for (model unreachable, cancelled...), for the user. */
  notice?: string;
  /** The passages retrieved, best first (the ones put in the prompt). */
  hits: SearchHit[];
  personaVersion: number;
  model: string | null;
}

const MAX_QUESTION_CHARS = 4000;

export class AskError extends Error {
  constructor(
    readonly code: 'empty_question' | 'question_too_long',
    message: string,
  ) {
    super(message);
    this.name = 'AskError';
  }
}

interface Generated {
  text: string;
  citations: Citation[];
  mode: AnswerMode;
  status: MessageStatus;
  notice?: string;
}

/** Streams the model's answer; falls back to extractive when the model fails before any text. */
async function generate(
  model: ChatModel,
  persona: PersonaVersion,
  input: AnswerInput,
  standalone: string,
  passages: PromptPassage[],
): Promise<Generated> {
  const prompt = assemblePrompt({
    persona: persona.persona,
    question: input.question,
    standaloneQuestion: standalone,
    hits: passages.map((p) => p.hit),
    ...(input.situation ? { situation: input.situation } : {}),
  });
  const cite = createCitationStream(prompt.passages);
  let raw = '';
  const emit = (text: string) => {
    if (text) input.onToken?.(text);
  };
  try {
    for await (const piece of model.stream(prompt.turns, {
      signal: input.signal,
      numPredict: ANSWER_TOKEN_CAP[persona.persona.answerLength],
    })) {
      const safe = toInertText(piece);
      raw += safe;
      emit(cite.push(safe));
    }
    emit(cite.flush());
  } catch (error) {
    const llm = error instanceof LlmError ? error : new LlmError('failed', String(error));
    if (llm.code === 'aborted') {
      const partial = mapCitations(raw, prompt.passages);
      return { ...partial, mode: 'llm', status: 'cancelled', notice: llm.message };
    }
    if (raw.length > 0) {
      const partial = mapCitations(raw, prompt.passages);
      return { ...partial, mode: 'llm', status: 'failed', notice: llm.message };
    }
    const fallback = extractiveAnswer(standalone, passages);
    emit(fallback.text);
    return { ...fallback, mode: 'extractive', status: 'complete', notice: llm.message };
  }
  const mapped = mapCitations(raw, prompt.passages);
  return { text: mapped.text.trim(), citations: mapped.citations, mode: 'llm', status: 'complete' };
}

/** A model that gives the refusal text (even with stray citations) has refused. */
function isRefusal(text: string, refusal: string): boolean {
  const plain = (s: string) =>
    s
      .replace(/\[\d[\d,; ]*\]/g, '')
      .replace(/\s+/g, ' ')
      .trim();
  return plain(text).length > 0 && plain(text).startsWith(plain(refusal).slice(0, 60));
}

/**
 * Answers one question: rewrites a follow-up into a standalone query, retrieves, refuses when the
 * passages do not support an answer, otherwise streams a cited answer from the model (or quotes
 * the passages when no model answers). Stores nothing: see ask() for conversations.
 */
export async function answerQuestion(deps: ChatDeps, input: AnswerInput): Promise<Answer> {
  const question = input.question.trim();
  if (question.length === 0) throw new AskError('empty_question', 'the question is empty');
  if (question.length > MAX_QUESTION_CHARS) {
    throw new AskError(
      'question_too_long',
      `the question is longer than ${MAX_QUESTION_CHARS} characters`,
    );
  }
  const { db, model } = deps;
  const { kbId } = input;
  const persona = deps.persona ?? currentPersona(db);
  const { query } = await standaloneQuery(question, input.previous, model, input.signal);
  const hits = (await deps.retrieve(query, { kbId })).slice(0, deps.passages ?? 5);
  const passages = hits.map((hit, i) => ({ n: i + 1, hit }));
  const support = assessSupport(db, query, hits, deps.policy ?? DEFAULT_SUPPORT_POLICY);

  let result: Generated;
  let refused = false;
  if (!support.supported) {
    refused = true;
    const mode = model ? 'llm' : 'extractive';
    result = { text: persona.persona.refusal, citations: [], mode, status: 'complete' };
    input.onToken?.(result.text);
  } else if (model) {
    result = await generate(model, persona, { ...input, question }, query, passages);
    if (result.mode === 'llm' && isRefusal(result.text, persona.persona.refusal)) {
      refused = true;
      result = { ...result, text: persona.persona.refusal, citations: [] };
    }
  } else {
    result = { ...extractiveAnswer(query, passages), mode: 'extractive', status: 'complete' };
    input.onToken?.(result.text);
  }
  return {
    answer: result.text,
    citations: result.citations,
    refused,
    mode: result.mode,
    status: result.status,
    retrievalQuery: query,
    support: support.coverage,
    ...(result.notice ? { notice: result.notice } : {}),
    hits,
    personaVersion: persona.version,
    model: result.mode === 'llm' ? (model?.model ?? null) : null,
  };
}
