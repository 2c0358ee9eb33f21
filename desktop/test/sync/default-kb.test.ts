import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Account } from '../../../sync-server/test/helpers/server';
import { deviceTransport } from '../../src/core/sync/account';
import { listConflicts } from '../../src/core/sync/conflicts';
import { pushAll, syncOnce } from '../../src/core/sync/engine';
import type { Workspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';
import { ingestNote, view } from './default-kb-helpers';
import { FAST_RETRIES, liveServerForFile, loggedInWorkspace, signup } from './harness';

const live = liveServerForFile();

const transport = (ws: Workspace) => deviceTransport(ws.db, FAST_RETRIES);
const sync = (ws: Workspace, pullLimit?: number) => syncOnce(ws.db, transport(ws), { pullLimit });

/** Two fresh workspaces logged into one new account: each made its own `Default`. */
async function freshPair(label: string): Promise<[Workspace, Workspace]> {
  const account = await signup(live.current, label);
  accounts.set(label, account);
  const a = await loggedInWorkspace(tempDir(), live.current.url, account, 'A');
  const b = await loggedInWorkspace(tempDir(), live.current.url, account, 'B');
  return [a, b];
}

const chunkCount = (ws: Workspace) =>
  (ws.db.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n;

/** Each syncs once more: whatever the merge sent reaches the other, and nothing changes. */
async function settle(a: Workspace, b: Workspace) {
  await sync(a);
  await sync(b);
  await sync(a);
  const pending = (ws: Workspace) =>
    (ws.db.prepare('SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n;
  expect([pending(a), pending(b)]).toEqual([0, 0]);
}

/** A third desktop joining later sees what the first two see. */
/**
 * A third desktop logs into the pair's account and syncs: it sees what `seen` shows, with no
 * conflict, and as many chunks as `like` when given.
 */
async function expectJoinerSees(label: string, seen: ReturnType<typeof view>, like?: Workspace) {
  const account = accounts.get(label);
  if (!account) throw new Error(`no account ${label}`);
  const c = await loggedInWorkspace(tempDir(), live.current.url, account, 'C');
  try {
    await sync(c);
    await sync(c);
    expect(view(c)).toEqual(seen);
    expect(listConflicts(c.db)).toEqual([]);
    if (like) expect(chunkCount(c)).toBe(chunkCount(like));
  } finally {
    c.close();
  }
}

const accounts = new Map<string, Account>();

/** The server's current rows: ids of default knowledge bases and the knowledge bases of documents. */
async function onServer(label: string) {
  const account = accounts.get(label);
  if (!account) throw new Error(`no account ${label}`);
  const Row = z.object({ id: z.string() });
  return live.current.db.withTenant(account.tenantId, async (tx) => ({
    defaults: (
      await tx.rows(
        Row,
        `SELECT row_key AS id FROM sync_rows WHERE table_name = 'knowledge_bases'
         AND NOT deleted AND data->>'is_default' = '1'`,
      )
    ).map((r) => r.id),
    documentKbs: (
      await tx.rows(
        Row,
        `SELECT DISTINCT data->>'kb_id' AS id FROM sync_rows
         WHERE table_name = 'documents' AND NOT deleted`,
      )
    ).map((r) => r.id),
  }));
}

describe('the Default knowledge base of two fresh desktops', () => {
  for (const first of ['A', 'B'] as const) {
    // With B first, pages of one change: a default, its documents and chunks arrive apart.
    const pullLimit = first === 'B' ? 1 : undefined;
    it(`is one Default holding both documents after one sync each (${first} pushes first)`, async () => {
      const label = `default-${first}`;
      const [a, b] = await freshPair(label);
      try {
        await ingestNote(a, 'Alpha', 'Notes written on the first desktop about sourdough.');
        await ingestNote(b, 'Beta', 'Notes written on the second desktop about kimchi.');
        const [p, q] = first === 'A' ? [a, b] : [b, a];
        await pushAll(p.db, transport(p));
        await pushAll(q.db, transport(q));
        await sync(a, pullLimit);
        await sync(b, pullLimit);

        const seen = view(a);
        expect(seen).toEqual([
          {
            id: expect.any(String),
            name: 'Default',
            isDefault: true,
            documents: ['Alpha', 'Beta'],
          },
        ]);
        expect(view(b)).toEqual(seen);
        for (const ws of [a, b]) expect(listConflicts(ws.db)).toEqual([]);
        expect(chunkCount(a)).toBe(chunkCount(b));
        expect(chunkCount(a)).toBeGreaterThanOrEqual(2);

        await settle(a, b);
        expect(view(a)).toEqual(seen);
        expect(view(b)).toEqual(seen);
        for (const ws of [a, b]) expect(listConflicts(ws.db)).toEqual([]);
        // B, whose default gave way, sent the moves and the delete: the server holds one default.
        expect(await onServer(label)).toEqual({
          defaults: [seen[0]?.id],
          documentKbs: [seen[0]?.id],
        });
        await expectJoinerSees(label, seen, a);
      } finally {
        a.close();
        b.close();
      }
    });
  }

  it('keeps one copy of a file both desktops imported into their Default', async () => {
    const label = 'default-same-file';
    const [a, b] = await freshPair(label);
    try {
      const guide = 'The same handbook, imported on both desktops before they synced.';
      await ingestNote(a, 'Handbook', guide);
      await ingestNote(b, 'Handbook', guide);
      await ingestNote(b, 'Beta', 'Only on the second desktop.');
      await pushAll(b.db, transport(b));
      await pushAll(a.db, transport(a));
      await sync(a);
      await sync(b);

      const seen = view(a);
      expect(seen.map((kb) => kb.documents)).toEqual([['Beta', 'Handbook']]);
      expect(view(b)).toEqual(seen);
      for (const ws of [a, b]) expect(listConflicts(ws.db)).toEqual([]);
      expect(chunkCount(b)).toBe(chunkCount(a));
      await settle(a, b);
      expect(view(a)).toEqual(seen);
      expect(view(b)).toEqual(seen);
      for (const ws of [a, b]) expect(listConflicts(ws.db)).toEqual([]);
      expect(chunkCount(b)).toBe(chunkCount(a));
      await expectJoinerSees(label, seen, a);
    } finally {
      a.close();
      b.close();
    }
  });

  it('keeps one empty Default without any conflict when both push first', async () => {
    const [a, b] = await freshPair('default-empty');
    try {
      await pushAll(a.db, transport(a));
      await pushAll(b.db, transport(b));
      await sync(a);
      await sync(b);
      const seen = view(a);
      expect(seen).toEqual([
        { id: expect.any(String), name: 'Default', isDefault: true, documents: [] },
      ]);
      expect(view(b)).toEqual(seen);
      for (const ws of [a, b]) expect(listConflicts(ws.db)).toEqual([]);
      await settle(a, b);
      expect(view(b)).toEqual(seen);
      for (const ws of [a, b]) expect(listConflicts(ws.db)).toEqual([]);
    } finally {
      a.close();
      b.close();
    }
  });
});

describe('knowledge bases with one name made on two desktops', () => {
  it('keeps both, the newer as "Recipes (2)", each with its documents', async () => {
    const label = 'same-name';
    const [a, b] = await freshPair(label);
    try {
      await ingestNote(a, 'Bread', 'Flour, water, salt and a long proof.', 'Recipes');
      await ingestNote(b, 'Soup', 'Onions cooked slowly in butter.', 'recipes');
      await pushAll(a.db, transport(a));
      await pushAll(b.db, transport(b));
      await sync(a);
      await sync(b);

      const seen = view(a);
      expect(seen.map((kb) => [kb.name, kb.documents])).toEqual([
        ['Default', []],
        ['Recipes', ['Bread']],
        ['recipes (2)', ['Soup']],
      ]);
      expect(view(b)).toEqual(seen);
      for (const ws of [a, b]) expect(listConflicts(ws.db)).toEqual([]);

      await settle(a, b);
      expect(view(a)).toEqual(seen);
      expect(view(b)).toEqual(seen);
      for (const ws of [a, b]) expect(listConflicts(ws.db)).toEqual([]);
      await expectJoinerSees(label, seen);
    } finally {
      a.close();
      b.close();
    }
  });
});
