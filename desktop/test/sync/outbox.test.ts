import { type Change, contentKey, formatHlc } from '@creator-hub/shared/sync/index';
import { describe, expect, it } from 'vitest';
import { applyPage } from '../../src/core/sync/apply';
import { installSync } from '../../src/core/sync/install';
import { oldestBatch, sealBatch } from '../../src/core/sync/seal';
import { getCursor } from '../../src/core/sync/state';
import { openWorkspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';
import { addStep, createProgram, renameStep, steps } from './steps';

const outboxCount = (db: ReturnType<typeof openWorkspace>['db']) =>
  (db.prepare('SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n;

const hlc = (ms: number) => formatHlc({ ms, counter: 0 });

function remoteStep(seq: number, id: string, moduleId: string, title: string): Change {
  return {
    seq,
    table: 'program_steps',
    op: 'upsert',
    key: id,
    hlc: hlc(1_800_000_000_000 + seq),
    device: 'other-device',
    data: { id, module_id: moduleId, position: 'b0', title },
  };
}

describe('outbox triggers and sealed batches (real SQLite file)', () => {
  it('queues existing rows once when sync is first used, then every change by trigger', () => {
    const ws = openWorkspace(tempDir());
    const { moduleId } = createProgram(ws.db);
    installSync(ws.db);
    const first = outboxCount(ws.db);
    expect(first).toBeGreaterThanOrEqual(3); // default knowledge base, program, module
    installSync(ws.db);
    expect(outboxCount(ws.db)).toBe(first);
    const id = addStep(ws.db, moduleId, 'One');
    renameStep(ws.db, id, 'Two');
    ws.db.prepare('DELETE FROM program_steps WHERE id = ?').run(id);
    const ops = ws.db
      .prepare("SELECT op FROM sync_outbox WHERE table_name = 'program_steps' ORDER BY seq")
      .all() as { op: string }[];
    expect(ops.map((o) => o.op)).toEqual(['upsert', 'upsert', 'delete']);
    ws.close();
  });

  it('seals contiguous ids, coalesces edits of a row, and keeps the exact bytes until acknowledged', () => {
    const ws = openWorkspace(tempDir());
    installSync(ws.db);
    const { moduleId } = createProgram(ws.db);
    const id = addStep(ws.db, moduleId, 'v1');
    for (let i = 2; i <= 5; i++) renameStep(ws.db, id, `v${i}`);
    const b1 = sealBatch(ws.db, { maxMutations: 2 });
    const b2 = sealBatch(ws.db, { maxMutations: 100 });
    expect(b1 && b2).toBeTruthy();
    expect(b1?.firstMid).toBe(1);
    expect(b2?.firstMid).toBe((b1?.lastMid ?? 0) + 1);
    const sent = JSON.parse(b2?.body ?? '{}') as {
      mutations: { table: string; data: { title: string } }[];
    };
    const stepMutations = sent.mutations.filter((m) => m.table === 'program_steps');
    expect(stepMutations).toHaveLength(1);
    expect(stepMutations[0]?.data.title).toBe('v5');
    expect(oldestBatch(ws.db)?.body).toBe(b1?.body);
    expect(oldestBatch(ws.db)?.body).toBe(b1?.body);
    expect(outboxCount(ws.db)).toBe(0);
    expect(sealBatch(ws.db)).toBeUndefined();
    ws.close();
  });

  it('keys insert-only rows by content and sends a stored vector with its chunk, once', () => {
    const ws = openWorkspace(tempDir());
    installSync(ws.db);
    const kb = ws.db.prepare('SELECT id FROM knowledge_bases').get() as { id: string };
    ws.db
      .prepare(
        `INSERT INTO documents (id, kb_id, title, source_path, format, content_hash, stored_name, byte_size)
         VALUES ('d1', ?, 'Doc', '/x.txt', 'txt', 'h', 's', 1)`,
      )
      .run(kb.id);
    const chunk = ws.db
      .prepare(
        "INSERT INTO chunks (document_id, ordinal, text, content_hash) VALUES ('d1', 0, 'alpha', 'c0')",
      )
      .run();
    const space = ws.db
      .prepare(
        "INSERT INTO embedding_spaces (kb_id, provider, model, dims) VALUES (?, 'ollama', 'nomic', 2)",
      )
      .run(kb.id);
    const vector = Buffer.from(new Float32Array([0.6, 0.8]).buffer);
    ws.db
      .prepare('INSERT INTO chunk_vectors (space_id, chunk_id, vector) VALUES (?, ?, ?)')
      .run(space.lastInsertRowid, chunk.lastInsertRowid, vector);
    const batch = sealBatch(ws.db);
    const sent = JSON.parse(batch?.body ?? '{}') as {
      mutations: {
        table: string;
        key: string;
        data: Record<string, unknown>;
        embedding?: { fingerprint: string };
      }[];
    };
    const chunks = sent.mutations.filter((m) => m.table === 'chunks');
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.key).toBe(contentKey(chunks[0]?.data ?? {}));
    expect(chunks[0]?.data).not.toHaveProperty('id');
    expect(chunks[0]?.embedding?.fingerprint).toBe('ollama/nomic@2');
    expect(outboxCount(ws.db)).toBe(0);
    ws.close();
  });
});

describe('applying remote changes', () => {
  it('applies a page and its cursor together, without re-entering the outbox', () => {
    const ws = openWorkspace(tempDir());
    installSync(ws.db);
    const { moduleId } = createProgram(ws.db);
    while (sealBatch(ws.db)) ws.db.prepare('DELETE FROM sync_batches').run();
    const stats = applyPage(
      ws.db,
      'content',
      [remoteStep(1, 'r1', moduleId, 'Remote')],
      'cursor-1',
    );
    expect(stats.applied).toBe(1);
    expect(steps(ws.db)).toEqual([{ id: 'r1', title: 'Remote' }]);
    expect(getCursor(ws.db, 'content')).toBe('cursor-1');
    expect(outboxCount(ws.db)).toBe(0);
    // After the apply, local edits are captured again.
    renameStep(ws.db, 'r1', 'Local');
    expect(outboxCount(ws.db)).toBe(1);
    ws.close();
  });

  it('rolls back the whole page and keeps the old cursor when a change is malformed', () => {
    const ws = openWorkspace(tempDir());
    installSync(ws.db);
    const { moduleId } = createProgram(ws.db);
    applyPage(ws.db, 'content', [], 'cursor-0');
    const bad: Change = {
      ...remoteStep(2, 'x', moduleId, 'x'),
      table: 'sync_conflicts',
      data: { nonsense: true },
    };
    expect(() =>
      applyPage(ws.db, 'content', [remoteStep(1, 'r1', moduleId, 'Remote'), bad], 'cursor-2'),
    ).toThrow();
    expect(steps(ws.db)).toEqual([]);
    expect(getCursor(ws.db, 'content')).toBe('cursor-0');
    ws.close();
  });

  it('turns a row the workspace refuses into a conflict and applies the rest of the page', () => {
    const ws = openWorkspace(tempDir());
    installSync(ws.db);
    const { moduleId } = createProgram(ws.db);
    const orphan = remoteStep(1, 'orphan', 'no-such-module', 'Orphan');
    const stats = applyPage(ws.db, 'content', [orphan, remoteStep(2, 'ok', moduleId, 'Fine')], 'c');
    expect(stats).toMatchObject({ applied: 1, failed: 1 });
    expect(steps(ws.db)).toEqual([{ id: 'ok', title: 'Fine' }]);
    const conflict = ws.db.prepare('SELECT kind, row_key FROM sync_conflicts').get();
    expect(conflict).toEqual({ kind: 'apply_failed', row_key: 'orphan' });
    ws.close();
  });

  it('defers a remote version of a row whose local edit is not yet acknowledged', () => {
    const ws = openWorkspace(tempDir());
    installSync(ws.db);
    const { moduleId } = createProgram(ws.db);
    const id = addStep(ws.db, moduleId, 'Mine');
    const stats = applyPage(ws.db, 'content', [remoteStep(1, id, moduleId, 'Theirs')], 'c1');
    expect(stats.deferred).toBe(1);
    expect(steps(ws.db)).toEqual([{ id, title: 'Mine' }]);
    sealBatch(ws.db);
    expect(
      applyPage(ws.db, 'content', [remoteStep(2, id, moduleId, 'Theirs')], 'c2').deferred,
    ).toBe(1);
    ws.close();
  });

  it('keeps rows of the activity stream in the mirror', () => {
    const ws = openWorkspace(tempDir());
    installSync(ws.db);
    const change: Change = {
      seq: 1,
      table: 'learners',
      op: 'upsert',
      key: 'l1',
      hlc: hlc(1),
      device: 'server',
      data: { id: 'l1', name: 'Ada' },
    };
    applyPage(ws.db, 'activity', [change], 'a1');
    expect(ws.db.prepare('SELECT table_name, data FROM sync_mirror').all()).toEqual([
      { table_name: 'learners', data: '{"id":"l1","name":"Ada"}' },
    ]);
    ws.close();
  });
});
