import { describe, expect, it } from 'vitest';
import { deviceTransport } from '../../src/core/sync/account';
import { syncOnce } from '../../src/core/sync/engine';
import { publish } from '../../src/core/sync/publish';
import { tempDir } from '../helpers/tmp';
import { FAST_RETRIES, liveServerForFile, loggedInWorkspace, signup } from './harness';

const live = liveServerForFile();

describe('knowledge across desktops', () => {
  it('brings documents, chunks and their vectors to the other desktop, and deletes too', async () => {
    const account = await signup(live.current, 'knowledge');
    const a = await loggedInWorkspace(tempDir(), live.current.url, account, 'A');
    const b = await loggedInWorkspace(tempDir(), live.current.url, account, 'B');
    try {
      a.db.prepare("INSERT INTO knowledge_bases (id, name) VALUES ('kb-shared', 'Shared')").run();
      a.db
        .prepare(
          `INSERT INTO documents (id, kb_id, title, source_path, format, content_hash, stored_name, byte_size)
           VALUES ('doc-1', 'kb-shared', 'Guide', '/guide.md', 'md', 'h1', 's1', 10)`,
        )
        .run();
      const space = a.db
        .prepare(
          "INSERT INTO embedding_spaces (kb_id, provider, model, dims) VALUES ('kb-shared', 'ollama', 'nomic', 4)",
        )
        .run().lastInsertRowid;
      const vectors = [new Float32Array([1, 0, 0, 0]), new Float32Array([0, 0.6, 0.8, 0])];
      vectors.forEach((v, i) => {
        const chunk = a.db
          .prepare(
            "INSERT INTO chunks (document_id, ordinal, text, content_hash) VALUES ('doc-1', ?, ?, ?)",
          )
          .run(i, `Passage ${i} about gardening`, `c${i}`).lastInsertRowid;
        a.db
          .prepare('INSERT INTO chunk_vectors (space_id, chunk_id, vector) VALUES (?, ?, ?)')
          .run(space, chunk, Buffer.from(v.buffer));
      });
      await publish(a.db, deviceTransport(a.db, FAST_RETRIES));
      await syncOnce(b.db, deviceTransport(b.db, FAST_RETRIES));

      expect(b.db.prepare('SELECT id, title FROM documents').all()).toEqual([
        { id: 'doc-1', title: 'Guide' },
      ]);
      const got = b.db
        .prepare(
          `SELECT c.ordinal, c.text, v.vector, s.model, s.dims FROM chunks c
           JOIN chunk_vectors v ON v.chunk_id = c.id JOIN embedding_spaces s ON s.id = v.space_id
           ORDER BY c.ordinal`,
        )
        .all() as { ordinal: number; text: string; vector: Buffer; model: string; dims: number }[];
      expect(got.map((r) => [r.ordinal, r.model, r.dims])).toEqual([
        [0, 'nomic', 4],
        [1, 'nomic', 4],
      ]);
      // Stored the local way: zero-padded to whole bytes of the binary prefilter (002_vectors).
      const stored = new Float32Array(new Uint8Array(got[1]?.vector ?? []).buffer);
      expect(Array.from(stored.subarray(0, 4))).toEqual(Array.from(vectors[1] ?? []));
      // Full-text search on B finds the received chunks (its own FTS triggers ran on apply).
      expect(
        b.db
          .prepare("SELECT count(*) AS n FROM chunks_fts WHERE chunks_fts MATCH 'gardening'")
          .get(),
      ).toEqual({ n: 2 });
      // B sent nothing back: applying remote rows does not re-enter its outbox.
      expect(
        b.db
          .prepare(
            "SELECT count(*) AS n FROM sync_outbox WHERE table_name IN ('documents', 'chunks')",
          )
          .get(),
      ).toEqual({ n: 0 });

      a.db.prepare("DELETE FROM documents WHERE id = 'doc-1'").run();
      await syncOnce(a.db, deviceTransport(a.db, FAST_RETRIES));
      await syncOnce(b.db, deviceTransport(b.db, FAST_RETRIES));
      expect(b.db.prepare('SELECT count(*) AS n FROM documents').get()).toEqual({ n: 0 });
      expect(b.db.prepare('SELECT count(*) AS n FROM chunks').get()).toEqual({ n: 0 });
    } finally {
      a.close();
      b.close();
    }
  });
});
