import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/core/ingest/ingest';
import { sweepOrphanOriginals } from '../../src/core/ingest/originals';
import { createInProcessParser } from '../../src/core/ingest/parser';
import { findKnowledgeBase } from '../../src/core/knowledge/bases';
import {
  documentChunks,
  getDocument,
  listDocuments,
  removeDocument,
} from '../../src/core/knowledge/documents';
import { openWorkspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';
import { partialDocuments } from './fixtures';

const parser = createInProcessParser();
const prose = (topic: string, n: number) =>
  Array.from({ length: n }, (_, i) => `Paragraph ${i} about ${topic}. It has two sentences.`).join(
    '\n\n',
  );

describe('ingestPaths', () => {
  it('deduplicates by content within a knowledge base, not across knowledge bases', async () => {
    const ws = openWorkspace(tempDir());
    const dir = tempDir();
    writeFileSync(join(dir, 'a.md'), '# Notes\n\nSame content.');
    writeFileSync(join(dir, 'b.txt'), '# Notes\n\nSame content.');
    const [a, b] = await ingestPaths(ws, [join(dir, 'a.md'), join(dir, 'b.txt')], { parser });
    expect(a?.status).toBe('ok');
    expect(b).toEqual({
      path: join(dir, 'b.txt'),
      status: 'duplicate',
      documentId: a?.status === 'ok' ? a.documentId : '',
    });
    const [other] = await ingestPaths(ws, [join(dir, 'b.txt')], { parser, kb: 'Other' });
    expect(other?.status).toBe('ok');
    expect(readdirSync(ws.originalsDir)).toHaveLength(2);
    ws.close();
  });

  it('replaces the chunks of a changed file at the same path, keeping the document id', async () => {
    const ws = openWorkspace(tempDir());
    const file = join(tempDir(), 'notes.md');
    writeFileSync(file, `# Old\n\n${prose('apples', 40)}`);
    const [first] = await ingestPaths(ws, [file], { parser });
    if (first?.status !== 'ok') throw new Error('first ingest failed');
    const oldStored = getDocument(ws.db, first.documentId).storedName;
    writeFileSync(file, `# New\n\n${prose('pears', 3)}`);
    const [second] = await ingestPaths(ws, [file], { parser });
    expect(second).toMatchObject({ status: 'ok', documentId: first.documentId, replaced: true });
    const chunks = documentChunks(ws.db, first.documentId);
    expect(chunks.every((c) => c.section === 'New' && !c.text.includes('apples'))).toBe(true);
    expect(getDocument(ws.db, first.documentId).chunks).toBe(chunks.length);
    const fts = ws.db
      .prepare("SELECT count(*) AS n FROM chunks_fts WHERE chunks_fts MATCH 'apples'")
      .get() as { n: number };
    expect(fts.n).toBe(0);
    expect(existsSync(join(ws.originalsDir, oldStored))).toBe(false);
    expect(readdirSync(ws.originalsDir)).toEqual([getDocument(ws.db, first.documentId).storedName]);
    expect(partialDocuments(ws.db)).toEqual([]);
    ws.close();
  });

  it('stores the original byte for byte under a generated name', async () => {
    const ws = openWorkspace(tempDir());
    const file = join(tempDir(), 'My Notes (final).txt');
    writeFileSync(file, prose('storage', 5));
    const [r] = await ingestPaths(ws, [file], { parser });
    if (r?.status !== 'ok') throw new Error('ingest failed');
    const stored = getDocument(ws.db, r.documentId).storedName;
    expect(stored).toMatch(/^[0-9a-f-]{36}\.txt$/);
    expect(readFileSync(join(ws.originalsDir, stored))).toEqual(readFileSync(file));
    ws.close();
  });

  it('walks folders recursively, skipping hidden and unsupported files and folder links', async () => {
    const ws = openWorkspace(tempDir());
    const root = tempDir();
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    mkdirSync(join(root, '.hidden'));
    writeFileSync(join(root, 'a', 'b', 'deep.md'), '# Deep\n\ntext');
    writeFileSync(join(root, 'a', 'top.txt'), 'top text');
    writeFileSync(join(root, '.hidden', 'secret.md'), 'secret');
    writeFileSync(join(root, 'a', 'photo.jpg'), 'not really');
    symlinkSync(root, join(root, 'a', 'loop'));
    const results = await ingestPaths(ws, [root], { parser });
    expect(results.map((r) => [r.path.slice(root.length), r.status])).toEqual([
      ['/a/b/deep.md', 'ok'],
      ['/a/top.txt', 'ok'],
    ]);
    ws.close();
  });

  it('reports progress per file and refuses unsupported, missing and oversized files', async () => {
    const ws = openWorkspace(tempDir());
    const dir = tempDir();
    writeFileSync(join(dir, 'big.txt'), 'x'.repeat(5000));
    writeFileSync(join(dir, 'sheet.xlsx'), 'PK');
    const progress: number[] = [];
    const results = await ingestPaths(
      ws,
      [join(dir, 'big.txt'), join(dir, 'sheet.xlsx'), join(dir, 'gone.md')],
      {
        parser,
        limits: { maxBytes: 4096 },
        onProgress: (p) => progress.push(p.done * 10 + p.total),
      },
    );
    expect(results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual([
      'too_large',
      'unsupported',
      'unreadable',
    ]);
    expect(progress).toEqual([13, 23, 33]);
    expect(readdirSync(ws.originalsDir)).toEqual([]);
    expect(listDocuments(ws.db)).toEqual([]);
    ws.close();
  });

  it('removes a document with its chunks, index entries and stored original', async () => {
    const ws = openWorkspace(tempDir());
    const file = join(tempDir(), 'gone.md');
    writeFileSync(file, `# Topic\n\n${prose('zebras', 10)}`);
    const [r] = await ingestPaths(ws, [file], { parser });
    if (r?.status !== 'ok') throw new Error('ingest failed');
    const removed = await removeDocument(ws, r.documentId);
    expect(removed.title).toBe('Topic');
    expect(documentChunks(ws.db, r.documentId)).toEqual([]);
    const fts = ws.db
      .prepare("SELECT count(*) AS n FROM chunks_fts WHERE chunks_fts MATCH 'zebras'")
      .get() as { n: number };
    expect(fts.n).toBe(0);
    expect(readdirSync(ws.originalsDir)).toEqual([]);
    await expect(removeDocument(ws, r.documentId)).rejects.toThrow(/no document/);
    expect(listDocuments(ws.db, { kbId: findKnowledgeBase(ws.db).id })).toEqual([]);
    ws.close();
  });

  it('sweeps originals orphaned by a crash once they are an hour old, never referenced ones', async () => {
    const ws = openWorkspace(tempDir());
    const file = join(tempDir(), 'kept.md');
    writeFileSync(file, '# Kept\n\nA document.');
    const [r] = await ingestPaths(ws, [file], { parser });
    if (r?.status !== 'ok') throw new Error('ingest failed');
    const kept = getDocument(ws.db, r.documentId).storedName;
    const old = join(ws.originalsDir, 'orphan-old.md');
    const fresh = join(ws.originalsDir, 'orphan-fresh.md');
    writeFileSync(old, 'left by a crash');
    writeFileSync(fresh, 'being copied by another process');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(old, twoHoursAgo, twoHoursAgo);
    utimesSync(join(ws.originalsDir, kept), twoHoursAgo, twoHoursAgo);
    expect(await sweepOrphanOriginals(ws.db, ws.originalsDir)).toBe(1);
    expect(readdirSync(ws.originalsDir).sort()).toEqual(['orphan-fresh.md', kept].sort());
    ws.close();
  });
});
