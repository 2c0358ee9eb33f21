import { basename } from 'node:path';
import type { ApiHandlers, FileRef, ImportResult } from '@creator-hub/shared/api/index';
import { embedderForFingerprint } from '../embed/config';
import { ingestPaths } from '../ingest/ingest';
import { createKnowledgeBase, getKnowledgeBase } from '../knowledge/bases';
import { removeDocument } from '../knowledge/documents';
import { search } from '../search/search';
import type { ApiContext } from './context';
import { documentDetailView, knowledgeBasesView, listDocumentsView } from './documents-view';
import { embedInBackground } from './embed-handlers';
import { coreEnv } from './settings-store';
import { discardUpload, resolveUpload } from './uploads';

type KnowledgeHandlers = Pick<
  ApiHandlers,
  | 'kb.list'
  | 'kb.create'
  | 'documents.list'
  | 'documents.get'
  | 'documents.remove'
  | 'ingest.import'
  | 'search.query'
>;

async function toPath(home: string, ref: FileRef): Promise<string> {
  return ref.kind === 'path' ? ref.path : resolveUpload(home, ref.uploadId);
}

export function knowledgeHandlers(ctx: ApiContext): KnowledgeHandlers {
  const { db } = ctx.ws;
  const kbById = (kbId: string) => getKnowledgeBase(db, kbId);
  return {
    'kb.list': async () => knowledgeBasesView(db),
    'kb.create': async ({ name, description }) => {
      const kb = createKnowledgeBase(db, name, { description: description ?? '' });
      const view = knowledgeBasesView(db).find((k) => k.id === kb.id);
      if (!view) throw new Error('the new knowledge base vanished');
      return view;
    },
    'documents.list': async (filter) => listDocumentsView(db, filter),
    'documents.get': async ({ documentId }) => documentDetailView(db, documentId),
    'documents.remove': async ({ documentId }) => {
      await removeDocument(ctx.ws, documentId);
      return { ok: true };
    },
    'ingest.import': async ({ opId, kbId, files }) => {
      const kb = kbById(kbId);
      const paths = await Promise.all(files.map((f) => toPath(ctx.ws.home, f)));
      const names = paths.map((p) => basename(p));
      const total = paths.length;
      for (const [index, name] of names.entries()) {
        ctx.events.emit('ingest.progress', {
          opId,
          index,
          total,
          name,
          phase: index === 0 ? 'parsing' : 'queued',
          fraction: 0,
        });
      }
      const results: ImportResult[] = [];
      const emitPhase = (index: number, total: number, name: string, item?: ImportResult) =>
        ctx.events.emit('ingest.progress', {
          opId,
          index,
          total,
          name,
          phase: item ? 'done' : 'parsing',
          fraction: item ? 1 : 0,
          ...(item ? { status: item.status } : {}),
          ...(item?.reason ? { reason: item.reason } : {}),
        });
      try {
        await ingestPaths(ctx.ws, paths, {
          kb: kb.name,
          onProgress: ({ done, total: all, result }) => {
            const name = basename(result.path);
            const item: ImportResult =
              result.status === 'rejected'
                ? { name, status: 'rejected', reason: result.reason }
                : result.status === 'duplicate'
                  ? { name, status: 'duplicate', documentId: result.documentId }
                  : { name, status: 'ok', documentId: result.documentId, chunks: result.chunks };
            results.push(item);
            emitPhase(done - 1, all, name, item);
            const next = names[done];
            if (next !== undefined && done < all) emitPhase(done, all, next);
          },
        });
      } finally {
        for (const f of files)
          if (f.kind === 'upload') await discardUpload(ctx.ws.home, f.uploadId);
      }
      if (results.some((r) => r.status === 'ok')) embedInBackground(ctx, kb.id);
      const count = (s: ImportResult['status']) => results.filter((r) => r.status === s).length;
      return {
        results,
        summary: { ok: count('ok'), rejected: count('rejected'), duplicate: count('duplicate') },
      };
    },
    'search.query': async (query) =>
      search(ctx.ws, query, { embedderFor: embedderForFingerprint(coreEnv(db, ctx.env)) }),
  };
}
