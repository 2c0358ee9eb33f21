import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/core/db/open';
import {
  completeIfDone,
  countPending,
  ensureSpace,
  pendingVectors,
  targetSpace,
  vecTable,
} from '../../src/core/embed/spaces';
import { toBlob, toUnitVector } from '../../src/core/embed/vectors';
import { ensureDefaultKnowledgeBase } from '../../src/core/knowledge/bases';
import { applyPage } from '../../src/core/sync/apply';
import { installSync } from '../../src/core/sync/install';
import { openWorkspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';

// Smaller than any id made now: the remote default wins the merge.
const EARLIER = '00000000-0000-7000-8000-000000000001';
const FP = { provider: 'test', model: 'tiny', dims: 8 };

function documentWithChunks(db: Db, id: string, kb: string, texts: string[]): number[] {
  db.prepare(
    `INSERT INTO documents (id, kb_id, title, source_path, format, content_hash, stored_name, byte_size)
     VALUES (?, ?, ?, ?, 'md', ?, ?, 10)`,
  ).run(id, kb, id, `/${id}.md`, `hash-${id}`, `s-${id}`);
  const insert = db.prepare(
    'INSERT INTO chunks (document_id, ordinal, text, content_hash) VALUES (?, ?, ?, ?)',
  );
  return texts.map((text, i) => Number(insert.run(id, i, text, `${id}-${i}`).lastInsertRowid));
}

function storeVector(db: Db, spaceId: number, chunkId: number) {
  const v = toUnitVector(Array.from({ length: FP.dims }, (_, i) => (i === chunkId % 8 ? 1 : 0.1)));
  db.prepare('INSERT INTO chunk_vectors (space_id, chunk_id, vector) VALUES (?, ?, ?)').run(
    spaceId,
    chunkId,
    toBlob(v),
  );
}

const count = (db: Db, sql: string, ...args: unknown[]) =>
  (db.prepare(sql).get(...args) as { n: number }).n;

describe('the local Default giving way to a remote one that has a space of the same model', () => {
  it('moves its vectors into that space, drops its own, and counts what neither had as pending', () => {
    const ws = openWorkspace(tempDir());
    try {
      const { db } = ws;
      installSync(db);
      const local = ensureDefaultKnowledgeBase(db).id;
      // The remote default is here already, not yet as a default (it arrived before the flag).
      db.prepare("INSERT INTO knowledge_bases (id, name, is_default) VALUES (?, 'Earlier', 0)").run(
        EARLIER,
      );
      const [theirs = 0] = documentWithChunks(db, 'doc-theirs', EARLIER, ['theirs']);
      const [kept = 0, missing = 0] = documentWithChunks(db, 'doc-mine', local, ['one', 'two']);
      const remoteSpace = ensureSpace(db, EARLIER, FP);
      storeVector(db, remoteSpace.id, theirs);
      expect(completeIfDone(db, remoteSpace)).toBe(true);
      const localSpace = ensureSpace(db, local, FP);
      storeVector(db, localSpace.id, kept);
      // As if all this were sent already: nothing of the row waits to go out.
      db.prepare('DELETE FROM sync_outbox').run();

      const stats = applyPage(
        db,
        'content',
        [
          {
            seq: 1,
            table: 'knowledge_bases',
            op: 'upsert',
            key: EARLIER,
            hlc: '001800000000000-000000',
            device: 'other-device',
            data: { id: EARLIER, name: 'Default', description: '', is_default: 1 },
          },
        ],
        'c1',
      );
      expect(stats.failed).toBe(0);
      expect(db.prepare('SELECT id, is_default FROM knowledge_bases').all()).toEqual([
        { id: EARLIER, is_default: 1 },
      ]);
      // One space left, still ready, holding the vector made under the local default.
      expect(db.prepare('SELECT id, kb_id, status FROM embedding_spaces').all()).toEqual([
        { id: remoteSpace.id, kb_id: EARLIER, status: 'ready' },
      ]);
      expect(db.prepare('SELECT chunk_id FROM chunk_vectors ORDER BY chunk_id').all()).toEqual([
        { chunk_id: theirs },
        { chunk_id: kept },
      ]);
      expect(count(db, `SELECT count(*) AS n FROM ${vecTable(remoteSpace.id)}`)).toBe(2);
      // The dropped space leaves no prefilter table nor triggers behind.
      expect(
        count(
          db,
          'SELECT count(*) AS n FROM sqlite_master WHERE name LIKE ?',
          `${vecTable(localSpace.id)}%`,
        ),
      ).toBe(0);
      // The chunk that had no vector is pending in the surviving space, so the embedder fills it.
      expect(targetSpace(db, EARLIER)?.id).toBe(remoteSpace.id);
      expect(countPending(db, EARLIER, remoteSpace.id)).toBe(1);
      expect(pendingVectors(db)).toEqual(new Map([[EARLIER, 1]]));
      expect(
        db
          .prepare(
            'SELECT c.id FROM chunks c WHERE NOT EXISTS (SELECT 1 FROM chunk_vectors v WHERE v.chunk_id = c.id)',
          )
          .all(),
      ).toEqual([{ id: missing }]);
    } finally {
      ws.close();
    }
  });
});
