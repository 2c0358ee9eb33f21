import { z } from 'zod';
import { id, method, ok, opId } from './define';

export const citationSchema = z.object({
  n: z.number().int(),
  chunkId: z.number().int().optional(),
  documentId: z.string(),
  title: z.string(),
  section: z.string(),
  page: z.number().int().nullable(),
  text: z.string(),
});

export const retrievedSchema = z.object({
  chunkId: z.number().int(),
  documentId: z.string(),
  title: z.string(),
  section: z.string(),
  page: z.number().int().nullable(),
  text: z.string(),
  score: z.number(),
});

export const answerSchema = z.object({
  conversationId: z.string(),
  answer: z.string(),
  citations: z.array(citationSchema),
  refused: z.boolean(),
  mode: z.enum(['llm', 'extractive']),
  model: z.string().nullable(),
  /** Why the answer is not what was asked for (model unreachable, cancelled...). */
  notice: z.string().nullable(),
  /** What retrieval found for this answer, with scores, for the inspection panel. */
  retrieved: z.array(retrievedSchema),
});

export const messageSchema = z.object({
  id: z.string(),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  refused: z.boolean(),
  mode: z.enum(['llm', 'extractive']).nullable(),
  citations: z.array(citationSchema),
  createdAt: z.string(),
});

export const chatMethods = {
  'chat.ask': method(
    z.object({
      opId,
      question: z.string().trim().min(1).max(4000),
      conversationId: id.optional(),
      kbId: id.optional(),
      model: z.string().max(200).optional(),
    }),
    answerSchema,
  ),
  'chat.cancel': method(z.object({ opId }), ok),
  'chat.conversations': method(
    z.object({}).strict(),
    z.array(z.object({ id: z.string(), title: z.string(), updatedAt: z.string() })),
  ),
  'chat.messages': method(z.object({ conversationId: id }), z.array(messageSchema)),
} as const;

export type Citation = z.infer<typeof citationSchema>;
export type Retrieved = z.infer<typeof retrievedSchema>;
export type Answer = z.infer<typeof answerSchema>;
export type ChatMessageInfo = z.infer<typeof messageSchema>;
