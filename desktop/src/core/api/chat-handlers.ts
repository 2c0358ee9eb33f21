import type { Answer as ApiAnswer, ApiHandlers } from '@creator-hub/shared/api/index';
import type { Answer } from '../chat/answer';
import { ask } from '../chat/ask';
import { listConversations, listMessages } from '../chat/conversations';
import { chatDepsFromEnv } from '../chat/setup';
import { type ApiContext, withAbort } from './context';
import { coreEnv } from './settings-store';

type ChatHandlers = Pick<ApiHandlers, 'chat.ask' | 'chat.conversations' | 'chat.messages'>;

/** The chat pipeline as configured in Settings (host, model), optionally with another model. */
export function chatDeps(ctx: ApiContext, model?: string) {
  const env = coreEnv(ctx.ws.db, ctx.env);
  return chatDepsFromEnv(ctx.ws, model ? { ...env, CREATOR_HUB_CHAT_MODEL: model } : env);
}

export function toApiAnswer(answer: Answer, conversationId: string): ApiAnswer {
  return {
    conversationId,
    answer: answer.answer,
    citations: answer.citations,
    refused: answer.refused,
    mode: answer.mode,
    model: answer.model,
    notice: answer.notice ?? null,
    retrieved: answer.hits.map((h) => ({
      chunkId: h.chunkId,
      documentId: h.documentId,
      title: h.title,
      section: h.section,
      page: h.page,
      text: h.text,
      score: h.score,
    })),
  };
}

export function chatHandlers(ctx: ApiContext): ChatHandlers {
  const { db } = ctx.ws;
  return {
    'chat.ask': ({ opId, question, conversationId, kbId, model }) =>
      withAbort(ctx, opId, async (signal) => {
        const result = await ask(chatDeps(ctx, model), {
          question,
          conversationId,
          kbId,
          signal,
          onToken: (token) => ctx.events.emit('chat.token', { opId, token }),
        });
        return toApiAnswer(result, result.conversationId);
      }),
    'chat.conversations': async () =>
      listConversations(db).map((c) => ({ id: c.id, title: c.title, updatedAt: c.updatedAt })),
    'chat.messages': async ({ conversationId }) =>
      listMessages(db, conversationId).map((m) => ({
        id: m.id,
        role: m.role,
        content: m.content,
        refused: m.refused,
        mode: m.mode,
        citations: m.citations,
        createdAt: m.createdAt,
      })),
  };
}
