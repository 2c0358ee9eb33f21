import { describe, expect, it } from 'vitest';
import { adminQuery } from '../../../sync-server/test/helpers/test-db';
import type { Db } from '../../src/core/db/open';
import { deviceTransport } from '../../src/core/sync/account';
import { PublishError, type PublishProgress, publish } from '../../src/core/sync/publish';
import { getState, numberState } from '../../src/core/sync/state';
import { SyncInterrupted } from '../../src/core/sync/transport';
import { tempDir } from '../helpers/tmp';
import { FAST_RETRIES, liveServerForFile, loggedInWorkspace, signup } from './harness';

const live = liveServerForFile();

/** A document with `n` chunks, each with a `dims`-d vector of model `model`. */
function addEmbeddedDocument(db: Db, id: string, n: number, model = 'nomic-embed-text', dims = 8) {
  const kb = db.prepare('SELECT id FROM knowledge_bases WHERE is_default = 1').get() as {
    id: string;
  };
  db.prepare(
    `INSERT INTO documents (id, kb_id, title, source_path, format, content_hash, stored_name, byte_size)
     VALUES (?, ?, 'Doc', '/doc.txt', 'txt', ?, ?, 1)`,
  ).run(id, kb.id, `hash-${id}`, `stored-${id}`);
  let space = db
    .prepare('SELECT id FROM embedding_spaces WHERE kb_id = ? AND model = ?')
    .get(kb.id, model) as { id: number } | undefined;
  if (!space) {
    const info = db
      .prepare(
        "INSERT INTO embedding_spaces (kb_id, provider, model, dims) VALUES (?, 'ollama', ?, ?)",
      )
      .run(kb.id, model, dims);
    space = { id: Number(info.lastInsertRowid) };
  }
  const chunk = db.prepare(
    'INSERT INTO chunks (document_id, ordinal, text, content_hash) VALUES (?, ?, ?, ?)',
  );
  const vector = db.prepare(
    'INSERT INTO chunk_vectors (space_id, chunk_id, vector) VALUES (?, ?, ?)',
  );
  for (let i = 0; i < n; i++) {
    const info = chunk.run(id, i, `chunk ${i} of ${id}`, `c-${id}-${i}`);
    const v = Float32Array.from({ length: dims }, (_, k) => Math.sin(i + k));
    vector.run(space.id, info.lastInsertRowid, Buffer.from(v.buffer));
  }
}

describe('publish', () => {
  it('can be interrupted and resumed without re-sending what arrived; one release', async () => {
    const account = await signup(live.current, 'resume');
    const ws = await loggedInWorkspace(tempDir(), live.current.url, account, 'A');
    try {
      addEmbeddedDocument(ws.db, 'd1', 60);
      const controller = new AbortController();
      const seen: PublishProgress[] = [];
      const transport = deviceTransport(ws.db, FAST_RETRIES);
      await expect(
        publish(ws.db, transport, {
          maxMutations: 10,
          signal: controller.signal,
          onProgress: (p) => {
            seen.push({ ...p });
            if (p.sentMutations >= 20) controller.abort();
          },
        }),
      ).rejects.toBeInstanceOf(SyncInterrupted);
      const releaseId = getState(ws.db, 'publish_release_id');
      expect(releaseId).toBeDefined();
      const firstRun = seen.at(-1);
      expect(firstRun?.sentBytes).toBeGreaterThan(0);
      expect(firstRun?.totalMutations).toBeGreaterThanOrEqual(62);

      const resumed: PublishProgress[] = [];
      const release = await publish(ws.db, transport, {
        maxMutations: 10,
        onProgress: (p) => resumed.push({ ...p }),
      });
      expect(release.version).toBe(1);
      expect(release.counts.chunks).toBe(60);
      // The second run sent only the rest: nothing acknowledged before was sent again.
      const sentTotal = (firstRun?.sentMutations ?? 0) + (resumed.at(-1)?.sentMutations ?? 0);
      expect(sentTotal).toBe(numberState(ws.db, 'next_mid') - 1);
      expect(resumed.at(-1)?.duplicates).toBe(0);
      const stored = await adminQuery(
        'SELECT count(*)::int AS n FROM chunk_embeddings WHERE tenant_id = $1',
        [account.tenantId],
        live.t.adminUrl,
      );
      expect(stored.rows[0]?.n).toBe(60);
      const releases = await adminQuery(
        'SELECT count(*)::int AS n FROM releases WHERE tenant_id = $1',
        [account.tenantId],
        live.t.adminUrl,
      );
      expect(releases.rows[0]?.n).toBe(1);
      // A release request whose answer was lost finds the same release when sent again.
      const again = await transport.createRelease({
        clientReleaseId: releaseId ?? '',
        note: '',
        manifest: { persona: null, programs: [], evals: [] },
      });
      expect(again.version).toBe(1);
    } finally {
      ws.close();
    }
  });

  it('refuses vectors of another model than the tenant has, and switches when told to', async () => {
    const account = await signup(live.current, 'model');
    const a = await loggedInWorkspace(tempDir(), live.current.url, account, 'A');
    const b = await loggedInWorkspace(tempDir(), live.current.url, account, 'B');
    try {
      addEmbeddedDocument(a.db, 'da', 3, 'nomic-embed-text');
      await publish(a.db, deviceTransport(a.db, FAST_RETRIES));
      addEmbeddedDocument(b.db, 'db', 3, 'mxbai-embed-large');
      const refused = publish(b.db, deviceTransport(b.db, FAST_RETRIES));
      await expect(refused).rejects.toBeInstanceOf(PublishError);
      await expect(refused).rejects.toThrow(/ollama\/nomic-embed-text@8.*--replace-model/);
      const release = await publish(b.db, deviceTransport(b.db, FAST_RETRIES), {
        replaceModel: true,
      });
      expect(release.version).toBe(2);
      const models = await adminQuery(
        'SELECT DISTINCT fingerprint FROM chunk_embeddings WHERE tenant_id = $1',
        [account.tenantId],
        live.t.adminUrl,
      );
      expect(models.rows).toEqual([{ fingerprint: 'ollama/mxbai-embed-large@8' }]);
    } finally {
      a.close();
      b.close();
    }
  });
});
