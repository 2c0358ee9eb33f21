import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../desktop/src/core/db/open';
import { newId } from '../../desktop/src/core/ids';
import { type ChunkingOptions, chunkBlocks } from '../../desktop/src/core/ingest/chunk';
import { textBlocks } from '../../desktop/src/core/ingest/text';
import type { Chunk } from '../../desktop/src/core/ingest/types';

/** SQuAD v1.1 dev subset (CC BY-SA 4.0, see NOTICE.md): 48 Wikipedia articles, 1,000 questions. */
export const SQUAD_DIR = join(import.meta.dirname, '..', 'fixtures', 'squad');

export interface Article {
  file: string;
  title: string;
  text: string;
}

export interface Question {
  id: string;
  question: string;
  gold_file: string;
  all_answers: string[];
}

export function loadArticles(): Article[] {
  const dir = join(SQUAD_DIR, 'articles');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => ({
      file: `articles/${f}`,
      title: f.replace(/\.txt$/, '').replaceAll('_', ' '),
      text: readFileSync(join(dir, f), 'utf8'),
    }));
}

export function loadQuestions(): Question[] {
  return readFileSync(join(SQUAD_DIR, 'questions.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Question);
}

/** Every n-th question, so a subsample still covers every article. */
export const subsample = <T>(items: T[], n: number): T[] =>
  n >= items.length ? items : items.filter((_, i) => i % Math.ceil(items.length / n) === 0);

/** The product chunker (structure-aware, sentence boundaries) with given options. */
export const structuredChunks = (text: string, options: ChunkingOptions): Chunk[] =>
  chunkBlocks(textBlocks(text), options);

/** The naive baseline: fixed character windows, like a default text splitter. */
export function fixedChunks(text: string, size: number, overlap: number): Chunk[] {
  const chunks: Chunk[] = [];
  for (let start = 0; start < text.length; start += size - overlap) {
    chunks.push({
      ordinal: chunks.length,
      text: text.slice(start, start + size),
      section: '',
      page: null,
    });
    if (start + size >= text.length) break;
  }
  return chunks;
}

/** Stores articles as documents whose source_path is the article file (the gold key). */
export function storeArticles(
  db: Db,
  kbId: string,
  articles: Article[],
  chunker: (text: string) => Chunk[],
  withTitles: boolean,
): number {
  const insertDoc = db.prepare(
    `INSERT INTO documents (id, kb_id, title, source_path, format, content_hash, stored_name,
                            byte_size, chunk_count) VALUES (?, ?, ?, ?, 'txt', ?, ?, ?, ?)`,
  );
  const insertChunk = db.prepare(
    `INSERT INTO chunks (document_id, ordinal, section, page, text, content_hash)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  let total = 0;
  db.transaction(() => {
    for (const a of articles) {
      const id = newId();
      const chunks = chunker(a.text);
      insertDoc.run(
        id,
        kbId,
        withTitles ? a.title : '',
        a.file,
        id,
        id,
        a.text.length,
        chunks.length,
      );
      for (const c of chunks) {
        insertChunk.run(
          id,
          c.ordinal,
          withTitles ? c.section : '',
          c.page,
          c.text,
          `${id}:${c.ordinal}`,
        );
      }
      total += chunks.length;
    }
  })();
  return total;
}

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ');

/** 1-based rank of the first hit from the gold article containing an answer, or undefined. */
export function firstHit(hits: { path: string; text: string }[], q: Question): number | undefined {
  const answers = q.all_answers.map(norm);
  const i = hits.findIndex(
    (h) => h.path === q.gold_file && answers.some((a) => norm(h.text).includes(a)),
  );
  return i < 0 ? undefined : i + 1;
}

export interface QualityFigures {
  questions: number;
  recallAt1: number;
  recallAt4: number;
  recallAt10: number;
  mrrAt10: number;
}

export function summarize(ranks: (number | undefined)[]): QualityFigures {
  const n = ranks.length;
  const within = (k: number) => ranks.filter((r) => r !== undefined && r <= k).length / n;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    questions: n,
    recallAt1: round(within(1)),
    recallAt4: round(within(4)),
    recallAt10: round(within(10)),
    mrrAt10: round(
      ranks.reduce<number>((s, r) => s + (r !== undefined && r <= 10 ? 1 / r : 0), 0) / n,
    ),
  };
}
