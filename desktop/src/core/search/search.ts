import type { Db } from '../db/open';
import { type EmbeddingSpace, servingSpace } from '../embed/spaces';
import type { Workspace } from '../workspace';
import { convexFusion, type Fused, type ModelCosine } from './fuse';
import { hydrate } from './hydrate';
import { keywordCandidates, keywordSearch } from './keyword';
import type { SearchDeps, SearchHit, SearchQuery } from './types';
import { exactScores, type VectorCandidate, vectorSearch } from './vector';

export const DEFAULT_K = 10;
export const MAX_K = 100;
/**
 * How deep each list feeding the fusion is, so a chunk ranked low by one side can still win. The
 * vector list is shallower: its cost grows with the exactly rescored candidates, and every keyword
 * candidate is scored by its vector anyway (depth 10, 20 and 50 gave the same figures on the dev set).
 */
const KEYWORD_DEPTH = 50;
const VECTOR_DEPTH = 10;

export function clampK(k: number | undefined): number {
  if (k === undefined || !Number.isFinite(k)) return DEFAULT_K;
  return Math.min(MAX_K, Math.max(1, Math.floor(k)));
}

/**
 * Searches the chunks of a workspace. 'hybrid' fuses BM25 and vector ranks; 'vector' and 'hybrid'
 * fall back to keywords (telling deps.onNotice) when no complete vector space or embedder exists.
 */
export async function search(
  ws: Workspace,
  query: SearchQuery,
  deps: SearchDeps = {},
): Promise<SearchHit[]> {
  const k = clampK(query.k);
  const mode = query.mode ?? 'hybrid';
  if (mode === 'keyword') return keywordSearch(ws.db, query.query, query, k);
  const hybrid = mode === 'hybrid';
  const vector = await vectorSide(ws.db, query, hybrid ? Math.max(VECTOR_DEPTH, k) : k, deps);
  if (vector === undefined) return keywordSearch(ws.db, query.query, query, k);
  const ranked: Fused[] = hybrid
    ? fuse(ws.db, query, k, vector)
    : vector.ranked.map((c, i) => ({ ...c, vectorRank: i + 1 }));
  const hits = hydrate(
    ws.db,
    ranked.map((r) => r.chunkId),
  );
  return ranked.flatMap((r) => {
    const hit = hits.get(r.chunkId);
    return hit ? [{ ...hit, ...r }] : [];
  });
}

/** The keyword list fused with the vector list, every candidate scored by its exact cosine. */
function fuse(db: Db, query: SearchQuery, k: number, vector: VectorSide): Fused[] {
  const keyword = keywordCandidates(db, query.query, query, Math.max(KEYWORD_DEPTH, k));
  const cosine = new Map(vector.ranked.map((c) => [c.chunkId, c]));
  for (const c of vector.score(keyword.map((h) => h.chunkId).filter((id) => !cosine.has(id)))) {
    cosine.set(c.chunkId, c);
  }
  return convexFusion(keyword, vector.ranked, cosine).slice(0, k);
}

interface VectorSide {
  /** The nearest chunks by cosine, best first. */
  ranked: ModelCosine[];
  /** Exact cosines of other chunks, in the space of each one's knowledge base. */
  score: (chunkIds: number[]) => ModelCosine[];
}

/** Vector candidates over the serving spaces in scope, or undefined when none can be used. */
async function vectorSide(
  db: Db,
  query: SearchQuery,
  limit: number,
  deps: SearchDeps,
): Promise<VectorSide | undefined> {
  const spaces = spacesInScope(db, query);
  if (spaces.length === 0) {
    deps.onNotice?.('no knowledge base in scope has complete vectors yet; using keywords only');
    return undefined;
  }
  if (!deps.embedderFor || query.query.trim() === '') return undefined;
  const queryVectors = new Map<string, Float32Array>();
  const used: { space: EmbeddingSpace; vector: Float32Array; model: string }[] = [];
  for (const space of spaces) {
    const key = `${space.provider}\u0000${space.model}\u0000${space.dims}`;
    let vector = queryVectors.get(key);
    if (!vector) {
      const embedder = deps.embedderFor(space);
      if (!embedder) continue;
      try {
        [vector] = await embedder.embed([query.query], 'query');
      } catch (error) {
        deps.onNotice?.(
          `vector search skipped: ${error instanceof Error ? error.message : String(error)}`,
        );
        continue;
      }
      if (!vector || vector.length !== space.dims) continue;
      queryVectors.set(key, vector);
    }
    used.push({ space, vector, model: key });
  }
  if (used.length === 0) return undefined;
  const withModel = (model: string, cs: VectorCandidate[]) => cs.map((c) => ({ ...c, model }));
  const ranked = used
    .flatMap(({ space, vector, model }) =>
      withModel(model, vectorSearch(db, space, vector, limit, query.documentId)),
    )
    .sort((a, b) => b.score - a.score || a.chunkId - b.chunkId)
    .slice(0, limit);
  return {
    ranked,
    score: (chunkIds) =>
      chunkIds.length === 0
        ? []
        : used.flatMap(({ space, vector, model }) =>
            withModel(model, exactScores(db, space, vector, chunkIds)),
          ),
  };
}

function spacesInScope(db: Db, query: SearchQuery): EmbeddingSpace[] {
  let kbIds: string[];
  if (query.documentId) {
    const row = db.prepare('SELECT kb_id FROM documents WHERE id = ?').get(query.documentId) as
      | { kb_id: string }
      | undefined;
    kbIds = row && (!query.kbId || row.kb_id === query.kbId) ? [row.kb_id] : [];
  } else if (query.kbId) {
    kbIds = [query.kbId];
  } else {
    kbIds = (db.prepare('SELECT id FROM knowledge_bases').all() as { id: string }[]).map(
      (r) => r.id,
    );
  }
  return kbIds.flatMap((id) => {
    const space = servingSpace(db, id);
    return space ? [space] : [];
  });
}
