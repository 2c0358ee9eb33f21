import type { Workspace } from '../workspace';
import { keywordSearch } from './keyword';
import type { SearchDeps, SearchHit, SearchQuery } from './types';

export const DEFAULT_K = 10;
export const MAX_K = 100;

export function clampK(k: number | undefined): number {
  if (k === undefined || !Number.isFinite(k)) return DEFAULT_K;
  return Math.min(MAX_K, Math.max(1, Math.floor(k)));
}

/**
 * Searches the chunks of a workspace. Keyword-only for now; hybrid and vector modes fall back to
 * keywords when no vectors can be used.
 */
export async function search(
  ws: Workspace,
  query: SearchQuery,
  _deps: SearchDeps = {},
): Promise<SearchHit[]> {
  const k = clampK(query.k);
  return keywordSearch(ws.db, query.query, query, k);
}
