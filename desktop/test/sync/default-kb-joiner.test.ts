import { describe, expect, it } from 'vitest';
import { compactChanges } from '../../../sync-server/src/sync/pull';
import { addEvalCase } from '../../src/core/evals/cases';
import { listKnowledgeBases } from '../../src/core/knowledge/bases';
import { deviceTransport } from '../../src/core/sync/account';
import { listConflicts } from '../../src/core/sync/conflicts';
import { pushAll, syncOnce } from '../../src/core/sync/engine';
import type { Workspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';
import { ingestNote, view } from './default-kb-helpers';
import { FAST_RETRIES, liveServerForFile, loggedInWorkspace, signup } from './harness';

// Desktops that join after the server compacted its change log start from a snapshot: they see
// the server's rows only, never the changes nor the aliases the first two desktops made on merging.

const live = liveServerForFile();

const transport = (ws: Workspace) => deviceTransport(ws.db, FAST_RETRIES);
const sync = (ws: Workspace) => syncOnce(ws.db, transport(ws));

/** Eval cases with the documents they expect. */
const cases = (ws: Workspace) =>
  (
    ws.db.prepare('SELECT id, kb_id, expected_documents FROM eval_cases ORDER BY id').all() as {
      id: string;
      kb_id: string;
      expected_documents: string;
    }[]
  ).map((c) => ({ ...c, expected_documents: JSON.parse(c.expected_documents) as string[] }));

const documentIds = (ws: Workspace) =>
  (ws.db.prepare('SELECT id FROM documents ORDER BY id').all() as { id: string }[]).map(
    (d) => d.id,
  );

const pending = (ws: Workspace) =>
  (ws.db.prepare('SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n;

/**
 * Two desktops make their rows, sync until nothing is left to send, the server drops its whole
 * change log, and a third desktop joins from the snapshot.
 */
async function afterCompaction(
  label: string,
  make: (a: Workspace, b: Workspace) => Promise<[Workspace, Workspace]>,
  check: (a: Workspace, b: Workspace, c: Workspace) => void,
) {
  const account = await signup(live.current, label);
  const a = await loggedInWorkspace(tempDir(), live.current.url, account, 'A');
  const b = await loggedInWorkspace(tempDir(), live.current.url, account, 'B');
  try {
    const [first, second] = await make(a, b);
    await pushAll(first.db, transport(first));
    await pushAll(second.db, transport(second));
    for (const ws of [a, b, a, b, a]) await sync(ws);
    expect([pending(a), pending(b)]).toEqual([0, 0]);
    await live.current.db.withTenant(account.tenantId, (tx) =>
      compactChanges(tx, 'content', 1_000_000),
    );
    const c = await loggedInWorkspace(tempDir(), live.current.url, account, 'C');
    try {
      expect((await sync(c)).pull.content.snapshots).toBe(1);
      await sync(c);
      for (const ws of [a, b, c]) expect(listConflicts(ws.db)).toEqual([]);
      expect(view(b)).toEqual(view(a));
      expect(view(c)).toEqual(view(a));
      check(a, b, c);
    } finally {
      c.close();
    }
  } finally {
    a.close();
    b.close();
  }
}

describe('a desktop joining from a snapshot after two desktops merged', () => {
  for (const first of ['A', 'B'] as const) {
    it(`has one Default, one copy of a file both imported, and the same eval cases (${first} pushes first)`, async () => {
      await afterCompaction(
        `joiner-twins-${first}`,
        async (a, b) => {
          const guide = 'The same handbook, imported on both desktops before they synced.';
          for (const [ws, own] of [
            [a, 'Alpha'],
            [b, 'Beta'],
          ] as const) {
            const handbook = await ingestNote(ws, 'Handbook', guide);
            const other = await ingestNote(ws, own, `Only on desktop ${own}.`);
            const kb = listKnowledgeBases(ws.db)[0]?.id ?? '';
            addEvalCase(ws.db, kb, {
              question: `What does the handbook say (${own})?`,
              kind: 'answer',
              expectedDocuments: [handbook, other],
            });
          }
          return first === 'A' ? [a, b] : [b, a];
        },
        (a, b, c) => {
          expect(view(a).map((kb) => [kb.isDefault, kb.documents])).toEqual([
            [true, ['Alpha', 'Beta', 'Handbook']],
          ]);
          const seen = cases(a);
          expect(seen).toHaveLength(2);
          expect(cases(b)).toEqual(seen);
          expect(cases(c)).toEqual(seen);
          // Both cases expect the one handbook kept, which every desktop has.
          const handbook = c.db.prepare("SELECT id FROM documents WHERE title = 'Handbook'").all();
          expect(handbook).toHaveLength(1);
          for (const ws of [a, b, c]) {
            const ids = documentIds(ws);
            for (const kase of cases(ws)) {
              expect(kase.kb_id).toBe(view(ws)[0]?.id);
              for (const doc of kase.expected_documents) expect(ids).toContain(doc);
            }
          }
        },
      );
    });
  }

  it('sees knowledge bases of one name told apart as "Recipes (2)"', async () => {
    await afterCompaction(
      'joiner-names',
      async (a, b) => {
        await ingestNote(a, 'Bread', 'Flour, water, salt and a long proof.', 'Recipes');
        await ingestNote(b, 'Soup', 'Onions cooked slowly in butter.', 'recipes');
        return [a, b];
      },
      (a) => {
        expect(view(a).map((kb) => [kb.name, kb.documents])).toEqual([
          ['Default', []],
          ['Recipes', ['Bread']],
          ['recipes (2)', ['Soup']],
        ]);
      },
    );
  });
});
