import type { Db } from '../db/open';
import type { Workspace } from '../workspace';
import {
  completeIfDone,
  countPending,
  type EmbeddingSpace,
  ensureSpace,
  listSpaces,
  padForStorage,
  sameModel,
} from './spaces';
import { type Embedder, EmbedError } from './types';
import { toBlob } from './vectors';

export interface EmbedProgress {
  kbId: string;
  done: number;
  total: number;
}

export interface EmbedPendingOptions {
  provider: Embedder;
  /** Only this knowledge base; all when absent. */
  kbId?: string;
  /** Chunks read, embedded and stored together (one transaction each). */
  batchSize?: number;
  onProgress?: (progress: EmbedProgress) => void;
  signal?: AbortSignal;
}

export interface EmbedPendingResult {
  embedded: number;
  /** Chunks still without a vector in their knowledge base's target space. */
  pending: number;
  /** Why embedding stopped early; what was stored before it stays stored. */
  error?: EmbedError;
}

interface PendingRow {
  id: number;
  text: string;
  section: string;
  title: string;
  content_hash: string;
}

/** What the model sees: the document and section give a chunk its context. */
export function textToEmbed(row: { title: string; section: string; text: string }): string {
  const header = [row.title, row.section].filter((s) => s.trim() !== '').join(' › ');
  return header ? `${header}\n\n${row.text}` : row.text;
}

/**
 * Gives every chunk without a vector one, knowledge base by knowledge base, in batches. A provider
 * whose model differs from the knowledge base's current one starts a new space (a model switch);
 * search keeps using the previous complete space until this one is complete.
 */
export async function embedPending(
  ws: Workspace,
  options: EmbedPendingOptions,
): Promise<EmbedPendingResult> {
  const { db } = ws;
  const kbIds = options.kbId
    ? [options.kbId]
    : (db.prepare('SELECT id FROM knowledge_bases ORDER BY id').all() as { id: string }[]).map(
        (r) => r.id,
      );
  let embedded = 0;
  let error: EmbedError | undefined;
  for (const kbId of kbIds) {
    try {
      embedded += await embedKnowledgeBase(db, kbId, options);
    } catch (caught) {
      if (!(caught instanceof EmbedError)) throw caught;
      error = caught;
      embedded += caught instanceof PartialEmbed ? caught.embedded : 0;
      break;
    }
  }
  const pending = kbIds.reduce((sum, kbId) => {
    const target = listSpaces(db, kbId)[0];
    return sum + countPending(db, kbId, target?.id);
  }, 0);
  return error ? { embedded, pending, error: unwrap(error) } : { embedded, pending };
}

/** Carries how much was stored before an error, without losing the error's code. */
class PartialEmbed extends EmbedError {
  constructor(
    override readonly cause: EmbedError,
    readonly embedded: number,
  ) {
    super(cause.code, cause.message, cause.transient);
  }
}
const unwrap = (e: EmbedError): EmbedError => (e instanceof PartialEmbed ? e.cause : e);

async function embedKnowledgeBase(
  db: Db,
  kbId: string,
  options: EmbedPendingOptions,
): Promise<number> {
  const { provider } = options;
  const batchSize = options.batchSize ?? 64;
  let space: EmbeddingSpace | undefined = listSpaces(db, kbId).find((s) => sameModel(s, provider));
  const total = countPending(db, kbId, space?.id);
  if (total === 0) {
    if (space) completeIfDone(db, ensureSpace(db, kbId, space));
    return 0;
  }
  // CROSS JOIN keeps the walk in chunk id order from the cursor: each batch costs its own size,
  // where the planner's default (by document, then sort) costs the whole knowledge base.
  const select = db.prepare(
    `SELECT c.id, c.text, c.section, c.content_hash, d.title
       FROM chunks c CROSS JOIN documents d ON d.id = c.document_id
      WHERE d.kb_id = @kbId AND c.id > @after AND NOT EXISTS (
            SELECT 1 FROM chunk_vectors v WHERE v.space_id = @spaceId AND v.chunk_id = c.id)
      ORDER BY c.id LIMIT @limit`,
  );
  // Only a chunk that still exists with the text that was embedded gets the vector.
  const insert = db.prepare(
    `INSERT OR IGNORE INTO chunk_vectors (space_id, chunk_id, vector)
     SELECT ?, id, ? FROM chunks WHERE id = ? AND content_hash = ?`,
  );
  let done = 0;
  let after = 0;
  options.onProgress?.({ kbId, done, total });
  for (;;) {
    if (options.signal?.aborted) {
      throw new PartialEmbed(new EmbedError('aborted', 'embedding was cancelled'), done);
    }
    const rows = select.all({
      kbId,
      after,
      spaceId: space?.id ?? null,
      limit: batchSize,
    }) as PendingRow[];
    if (rows.length === 0) break;
    let vectors: Float32Array[];
    try {
      vectors = await provider.embed(rows.map(textToEmbed), 'document');
    } catch (caught) {
      if (caught instanceof EmbedError) throw new PartialEmbed(caught, done);
      throw caught;
    }
    const dims = vectors[0]?.length ?? 0;
    if (vectors.length !== rows.length || vectors.some((v) => v.length !== dims) || dims === 0) {
      throw new PartialEmbed(
        new EmbedError('bad_response', `${provider.model} returned vectors of inconsistent size`),
        done,
      );
    }
    if (space === undefined || space.dims !== dims) {
      // First batch of a new fingerprint (or the model changed width under the same name).
      space = ensureSpace(db, kbId, { provider: provider.provider, model: provider.model, dims });
    }
    const spaceId = space.id;
    db.transaction(() => {
      rows.forEach((row, i) => {
        const vector = vectors[i] as Float32Array;
        insert.run(spaceId, toBlob(padForStorage(vector)), row.id, row.content_hash);
      });
    })();
    done += rows.length;
    after = rows.at(-1)?.id ?? after;
    options.onProgress?.({ kbId, done: Math.min(done, total), total });
  }
  if (space) completeIfDone(db, space);
  return done;
}
