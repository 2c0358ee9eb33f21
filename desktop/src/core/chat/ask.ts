import type { Db } from '../db/open';
import { type Answer, type AnswerInput, answerQuestion, type ChatDeps } from './answer';
import { addMessage, createConversation, getConversation, listMessages } from './conversations';
import type { PreviousTurn } from './rewrite';

export interface AskInput extends Omit<AnswerInput, 'previous'> {
  /** Continue this conversation; a new one is started when absent. */
  conversationId?: string;
}

export interface AskResult extends Answer {
  conversationId: string;
  messageId: string;
}

function previousTurn(db: Db, conversationId: string): PreviousTurn | undefined {
  const messages = listMessages(db, conversationId);
  const answer = messages.findLast((m) => m.role === 'assistant');
  const question = messages.findLast((m) => m.role === 'user');
  if (!answer || !question) return undefined;
  return { question: question.retrievalQuery ?? question.content, answer: answer.content };
}

/** Answers a question within a stored conversation and stores both turns. */
export async function ask(deps: ChatDeps, input: AskInput): Promise<AskResult> {
  const { db } = deps;
  const conversation = input.conversationId ? getConversation(db, input.conversationId) : undefined;
  const kbId = input.kbId ?? conversation?.kbId ?? undefined;
  const previous = conversation ? previousTurn(db, conversation.id) : undefined;
  const answer = await answerQuestion(deps, { ...input, kbId, previous });
  const conversationId = conversation?.id ?? createConversation(db, { kbId }).id;
  const stored = db.transaction(() => {
    addMessage(db, {
      conversationId,
      role: 'user',
      content: input.question.trim(),
      retrievalQuery: answer.retrievalQuery,
    });
    return addMessage(db, {
      conversationId,
      role: 'assistant',
      content: answer.answer,
      mode: answer.mode,
      refused: answer.refused,
      citations: answer.citations,
      model: answer.model,
      personaVersion: answer.personaVersion,
      status: answer.status,
    });
  })();
  return { ...answer, conversationId, messageId: stored.id };
}
