import type { Change } from '@creator-hub/shared/sync/index';
import { describe, expect, it } from 'vitest';
import { ensureDefaultKnowledgeBase } from '../../src/core/knowledge/bases';
import { applyPage } from '../../src/core/sync/apply';
import { installSync } from '../../src/core/sync/install';
import { openWorkspace, type Workspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';

// UUIDv7-shaped ids in a known order: SMALL < MINE < LARGE.
const SMALL = '00000000-0000-7000-8000-000000000001';
const MINE = '00000000-0000-7000-8000-000000000002';
const LARGE = '00000000-0000-7000-8000-000000000003';

function workspace(): { ws: Workspace; kb: string } {
  const ws = openWorkspace(tempDir());
  installSync(ws.db);
  const kb = ensureDefaultKnowledgeBase(ws.db).id;
  ws.db
    .prepare(
      `INSERT INTO documents (id, kb_id, title, source_path, format, content_hash, stored_name, byte_size)
       VALUES (?, ?, 'Handbook', '/handbook.md', 'md', 'same-hash', 's-mine', 10)`,
    )
    .run(MINE, kb);
  ws.db
    .prepare(
      "INSERT INTO chunks (document_id, ordinal, text, content_hash) VALUES (?, 0, 'x', 'c')",
    )
    .run(MINE);
  ws.db
    .prepare(
      `INSERT INTO eval_cases (id, kb_id, question, kind, expected_documents)
       VALUES ('case-mine', ?, 'What?', 'answer', ?)`,
    )
    .run(kb, JSON.stringify([MINE]));
  ws.db.prepare('DELETE FROM sync_outbox').run();
  return { ws, kb };
}

const change = (table: string, key: string, data: Record<string, unknown>): Change => ({
  seq: 1,
  table,
  op: 'upsert',
  key,
  hlc: '001800000000000-000000',
  device: 'other-device',
  data,
});

const remoteDoc = (id: string, kb: string) =>
  change('documents', id, {
    id,
    kb_id: kb,
    title: 'Handbook',
    source_path: '/elsewhere/handbook.md',
    format: 'md',
    content_hash: 'same-hash',
    stored_name: `s-${id}`,
    byte_size: 10,
  });

const expected = (ws: Workspace, id: string) =>
  JSON.parse(
    (
      ws.db.prepare('SELECT expected_documents AS e FROM eval_cases WHERE id = ?').get(id) as {
        e: string;
      }
    ).e,
  );

const outbox = (ws: Workspace) =>
  ws.db.prepare('SELECT table_name AS t, op, row_key AS k FROM sync_outbox ORDER BY seq').all();

describe('the same file imported into one knowledge base on two desktops', () => {
  it('gives way to an older remote twin: deleted and sent, its cases expect the twin', () => {
    const { ws, kb } = workspace();
    try {
      const stats = applyPage(ws.db, 'content', [remoteDoc(SMALL, kb)], 'c1');
      expect(stats.failed).toBe(0);
      expect(ws.db.prepare('SELECT id FROM documents').all()).toEqual([{ id: SMALL }]);
      expect(expected(ws, 'case-mine')).toEqual([SMALL]);
      // Its owner sends the delete (and its chunks' with it), and the case's owner its rewrite.
      expect(outbox(ws)).toEqual([
        { t: 'chunks', op: 'delete', k: '' },
        { t: 'documents', op: 'delete', k: MINE },
        { t: 'eval_cases', op: 'upsert', k: 'case-mine' },
      ]);
    } finally {
      ws.close();
    }
  });

  it("rewrites another device's case without sending it: its owner does", () => {
    const { ws, kb } = workspace();
    try {
      ws.db
        .prepare(
          `INSERT INTO sync_versions (table_name, row_key, hlc, device)
           VALUES ('eval_cases', 'case-mine', '001700000000000-000000', 'other-device')`,
        )
        .run();
      ws.db
        .prepare(
          `INSERT INTO eval_cases (id, kb_id, question, kind, expected_documents)
           VALUES ('case-odd', ?, 'Odd?', 'answer', '[not json')`,
        )
        .run(kb);
      ws.db.prepare('DELETE FROM sync_outbox').run();
      const stats = applyPage(ws.db, 'content', [remoteDoc(SMALL, kb)], 'c1');
      expect(stats.failed).toBe(0);
      expect(expected(ws, 'case-mine')).toEqual([SMALL]);
      expect(outbox(ws)).toEqual([
        { t: 'chunks', op: 'delete', k: '' },
        { t: 'documents', op: 'delete', k: MINE },
      ]);
    } finally {
      ws.close();
    }
  });

  it('takes a newer remote twin as the one here: not stored, its chunks and cases follow', () => {
    const { ws, kb } = workspace();
    try {
      const stats = applyPage(
        ws.db,
        'content',
        [
          remoteDoc(LARGE, kb),
          change('chunks', 'chunk-hash', {
            document_id: LARGE,
            ordinal: 0,
            section: '',
            page: null,
            text: 'x',
            content_hash: 'c',
          }),
          change('eval_cases', 'case-theirs', {
            id: 'case-theirs',
            kb_id: kb,
            question: 'Where?',
            kind: 'answer',
            expected_documents: JSON.stringify([LARGE, 'other-doc']),
            status: 'accepted',
          }),
        ],
        'c1',
      );
      expect(stats).toMatchObject({ failed: 0, applied: 3 });
      expect(ws.db.prepare('SELECT id FROM documents').all()).toEqual([{ id: MINE }]);
      expect(ws.db.prepare('SELECT count(*) AS n FROM chunks').get()).toEqual({ n: 1 });
      expect(expected(ws, 'case-theirs')).toEqual([MINE, 'other-doc']);
      expect(expected(ws, 'case-mine')).toEqual([MINE]);
      expect(outbox(ws)).toEqual([]);
    } finally {
      ws.close();
    }
  });

  it('leaves an eval case whose expected documents are not JSON as it came', () => {
    const { ws, kb } = workspace();
    try {
      const stats = applyPage(
        ws.db,
        'content',
        [
          change('eval_cases', 'case-odd', {
            id: 'case-odd',
            kb_id: kb,
            question: 'Odd?',
            kind: 'answer',
            expected_documents: '[not json',
          }),
        ],
        'c1',
      );
      expect(stats).toMatchObject({ failed: 0, applied: 1 });
      expect(
        ws.db.prepare("SELECT expected_documents AS e FROM eval_cases WHERE id = 'case-odd'").get(),
      ).toEqual({ e: '[not json' });
    } finally {
      ws.close();
    }
  });
});
