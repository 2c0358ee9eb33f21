import type { Embedder, Fingerprint } from '../embed/types';

export type SearchMode = 'hybrid' | 'keyword' | 'vector';
export const SEARCH_MODES: readonly SearchMode[] = ['hybrid', 'keyword', 'vector'];

export interface SearchQuery {
  query: string;
  /** Only this knowledge base; all knowledge bases when absent. */
  kbId?: string;
  /** Only this document. */
  documentId?: string;
  /** How many hits to return (default 10, at most 100). */
  k?: number;
  /** Default 'hybrid'. 'vector' and 'hybrid' fall back to keyword when no vectors can be used. */
  mode?: SearchMode;
}

export interface SearchHit {
  chunkId: number;
  documentId: string;
  title: string;
  /** The document's original path as ingested. */
  path: string;
  /** Heading path joined with ' › ' ('' when none). */
  section: string;
  page: number | null;
  text: string;
  /** Higher is better. Hybrid: fused score in [0, 1] (fuse.ts); keyword: -bm25; vector: cosine. */
  score: number;
  /** 1-based rank in the keyword list, when the chunk was in it. */
  keywordRank?: number;
  /** 1-based rank in the vector list, when the chunk was in it. */
  vectorRank?: number;
}

export interface SearchDeps {
  /**
   * Returns an embedder for a knowledge base's serving fingerprint, or undefined when none is
   * available (search then uses keywords only). Absent: keyword search only.
   */
  embedderFor?: (fingerprint: Fingerprint) => Embedder | undefined;
  /** Told why the vector side was skipped (embedder unreachable, no vectors yet...). */
  onNotice?: (message: string) => void;
}
