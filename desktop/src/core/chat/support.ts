import type { Db } from '../db/open';
import type { SearchHit } from '../search/types';

/**
 * Question words and function words: they say nothing about whether the knowledge base covers a
 * question, so they carry no weight in the support score.
 */
const STOP_WORDS = new Set(
  (
    'a about above after again all also am an and any are as at be because been before being ' +
    'between both but by can could did do does doing down during each few for from further had ' +
    'has have having he her here hers him his how i if in into is it its itself just me more ' +
    'most my no nor not of off on once only or other our out over own same she should so some ' +
    'such than that the their them then there these they this those through to too under until ' +
    'up very was we were what when where which while who whom whose why will with would you ' +
    'your tell give name list describe explain many much kind type called known'
  ).split(' '),
);

const MAX_TERMS = 24;

/** The content words of a question, lower-cased and de-duplicated. */
export function contentTerms(question: string): string[] {
  const words =
    question
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words)]
    .filter((w) => !STOP_WORDS.has(w) && w.length <= 64)
    .slice(0, MAX_TERMS);
}

export interface SupportAssessment {
  /**
   * Share of the question's content, weighted by rarity (IDF), found in the best-covering
   * retrieved passage: 0 = none of it, 1 = all of it.
   */
  coverage: number;
  /** The search engine's score for its top hit (scale depends on the search mode). */
  topScore: number | null;
  supported: boolean;
}

export interface SupportPolicy {
  /** Minimum coverage for an answer; below it the persona's refusal is given. */
  minCoverage: number;
}

/** Calibrated on the SQuAD dev subset and out-of-domain questions: see docs/answer-quality.md. */
export const DEFAULT_SUPPORT_POLICY: SupportPolicy = { minCoverage: 0.55 };

/**
 * Scores how well the retrieved passages support a question. It uses the full-text index itself
 * (same tokenizer and stemmer as search) for both document frequencies and per-passage matches, so
 * "run" in a question matches "running" in a passage exactly as keyword search does.
 */
export function assessSupport(
  db: Db,
  question: string,
  hits: readonly SearchHit[],
  policy: SupportPolicy = DEFAULT_SUPPORT_POLICY,
): SupportAssessment {
  const topScore = hits[0]?.score ?? null;
  const terms = contentTerms(question);
  if (terms.length === 0 || hits.length === 0) return { coverage: 0, topScore, supported: false };

  // Rarity is estimated over the whole workspace (counts and frequencies alike): cheap, and the
  // same word weighs the same whichever knowledge base is asked.
  const total = (db.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n;
  // One pass over each term's postings gives both its document frequency and which retrieved
  // passages contain it.
  const perTerm = db.prepare(
    `SELECT count(*) AS df,
            json_group_array(rowid) FILTER (WHERE rowid IN (SELECT value FROM json_each(@ids))) AS hits
       FROM chunks_fts WHERE chunks_fts MATCH @match`,
  );
  const ids = JSON.stringify(hits.map((h) => h.chunkId));
  const weightByHit = new Map<number, number>();
  let totalWeight = 0;
  for (const term of terms) {
    const row = perTerm.get({ ids, match: `"${term}"` }) as { df: number; hits: string };
    const df = row.df;
    // BM25's IDF: a word absent from the knowledge base weighs most, a word in every chunk least.
    const idf = Math.log(1 + (total - df + 0.5) / (df + 0.5));
    totalWeight += idf;
    for (const id of JSON.parse(row.hits) as number[]) {
      weightByHit.set(id, (weightByHit.get(id) ?? 0) + idf);
    }
  }
  const best = Math.max(0, ...weightByHit.values());
  const coverage = totalWeight > 0 ? best / totalWeight : 0;
  return { coverage, topScore, supported: coverage >= policy.minCoverage };
}
