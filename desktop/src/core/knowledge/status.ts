import type { Workspace } from '../workspace';

export interface KnowledgeBaseStatus {
  id: string;
  name: string;
  documents: number;
  chunks: number;
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
    .all() as KnowledgeBaseStatus[];
  return { home: ws.home, knowledgeBases };
}
