import { pendingVectors, servingSpace } from '../embed/spaces';
import type { Fingerprint } from '../embed/types';
import type { Workspace } from '../workspace';

export interface KnowledgeBaseStatus {
  id: string;
  name: string;
  documents: number;
  chunks: number;
  /** Chunks still waiting for a vector (filled by `creator-hub embed` or the app in the background). */
  pendingVectors: number;
  /** The fingerprint search uses for this knowledge base, or null before anything was embedded. */
  embedding: Fingerprint | null;
}

export interface WorkspaceStatus {
  home: string;
  knowledgeBases: KnowledgeBaseStatus[];
}

export function workspaceStatus(ws: Workspace): WorkspaceStatus {
  const knowledgeBases = ws.db
    .prepare(
      `SELECT kb.id, kb.name,
              count(d.id) AS documents,
              coalesce(sum(d.chunk_count), 0) AS chunks
         FROM knowledge_bases kb LEFT JOIN documents d ON d.kb_id = kb.id
        GROUP BY kb.id ORDER BY kb.is_default DESC, kb.name`,
    )
    .all() as Omit<KnowledgeBaseStatus, 'pendingVectors' | 'embedding'>[];
  const pending = pendingVectors(ws.db);
  return {
    home: ws.home,
    knowledgeBases: knowledgeBases.map((kb) => {
      const space = servingSpace(ws.db, kb.id);
      return {
        ...kb,
        pendingVectors: pending.get(kb.id) ?? 0,
        embedding: space
          ? { provider: space.provider, model: space.model, dims: space.dims }
          : null,
      };
    }),
  };
}
