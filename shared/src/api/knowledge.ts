import { z } from 'zod';
import { empty, id, method, ok, opId, shortText } from './define';

export const fingerprintSchema = z.object({
  provider: z.string(),
  model: z.string(),
  dims: z.number().int(),
});

export const knowledgeBaseSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  isDefault: z.boolean(),
  documents: z.number().int(),
  chunks: z.number().int(),
  /** Chunks still waiting for an embedding (keyword search covers them meanwhile). */
  pendingVectors: z.number().int(),
  embedding: fingerprintSchema.nullable(),
});

export const documentFormat = z.enum(['pdf', 'docx', 'txt', 'md']);

export const documentSummarySchema = z.object({
  id: z.string(),
  kbId: z.string(),
  title: z.string(),
  path: z.string(),
  format: documentFormat,
  pages: z.number().int().nullable(),
  chunks: z.number().int(),
  byteSize: z.number().int(),
  status: z.string(),
  createdAt: z.string(),
});

export const chunkSchema = z.object({
  id: z.number().int(),
  ordinal: z.number().int(),
  section: z.string(),
  page: z.number().int().nullable(),
  text: z.string(),
});

export const documentDetailSchema = documentSummarySchema.extend({
  sections: z.array(z.object({ title: z.string(), chunks: z.number().int() })),
  chunkList: z.array(chunkSchema),
  /** True when the document has more chunks than were sent. */
  truncated: z.boolean(),
});

/**
 * A file to import. Electron hands over a real path; browser mode uploads the bytes first and
 * refers to the staged upload, so the API never reads a path the user did not pick.
 */
export const fileRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: z.string().min(1).max(4096) }),
  z.object({ kind: z.literal('upload'), uploadId: z.string().regex(/^[a-f0-9-]{36}$/) }),
]);

export const importStatus = z.enum(['ok', 'rejected', 'duplicate']);

export const importResultSchema = z.object({
  name: z.string(),
  status: importStatus,
  documentId: z.string().optional(),
  chunks: z.number().int().optional(),
  reason: z.string().optional(),
});

export const searchHitSchema = z.object({
  chunkId: z.number().int(),
  documentId: z.string(),
  title: z.string(),
  path: z.string(),
  section: z.string(),
  page: z.number().int().nullable(),
  text: z.string(),
  score: z.number(),
});

export const knowledgeMethods = {
  'kb.list': method(empty, z.array(knowledgeBaseSchema)),
  'kb.create': method(
    z.object({ name: z.string().trim().min(1).max(100), description: shortText(1000).optional() }),
    knowledgeBaseSchema,
  ),
  'documents.list': method(
    z.object({
      kbId: id,
      query: shortText(200).optional(),
      format: documentFormat.optional(),
    }),
    z.array(documentSummarySchema),
  ),
  'documents.get': method(z.object({ documentId: id }), documentDetailSchema),
  'documents.remove': method(z.object({ documentId: id }), ok),
  'ingest.import': method(
    z.object({ opId, kbId: id, files: z.array(fileRefSchema).min(1).max(500) }),
    z.object({
      results: z.array(importResultSchema),
      summary: z.object({ ok: z.number(), rejected: z.number(), duplicate: z.number() }),
    }),
  ),
  'search.query': method(
    z.object({
      query: z.string().trim().min(1).max(1000),
      kbId: id.optional(),
      k: z.number().int().min(1).max(100).optional(),
      mode: z.enum(['hybrid', 'keyword', 'vector']).optional(),
    }),
    z.array(searchHitSchema),
  ),
} as const;

export type KnowledgeBaseInfo = z.infer<typeof knowledgeBaseSchema>;
export type DocumentSummary = z.infer<typeof documentSummarySchema>;
export type DocumentDetail = z.infer<typeof documentDetailSchema>;
export type FileRef = z.infer<typeof fileRefSchema>;
export type ImportResult = z.infer<typeof importResultSchema>;
export type SearchHitInfo = z.infer<typeof searchHitSchema>;
