import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/core/ingest/ingest';
import { createInProcessParser } from '../../src/core/ingest/parser';
import { openWorkspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';
import { chunksOf, fixture, partialDocuments } from './fixtures';

async function ingestOne(path: string) {
  const ws = openWorkspace(tempDir());
  const [result] = await ingestPaths(ws, [path], { parser: createInProcessParser() });
  if (result?.status !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return { ws, chunks: chunksOf(ws.db, result.documentId), id: result.documentId };
}

describe('TXT and Markdown ingestion', () => {
  it('keeps the text, chapters and paragraphs of a Gutenberg novel (UTF-8 with BOM)', async () => {
    const { ws, chunks } = await ingestOne(
      fixture('docs/txt/gutenberg_pride-and-prejudice_pg1342.txt'),
    );
    const opening = chunks.find((c) => c.text.includes('It is a truth universally acknowledged'));
    expect(opening?.section).toBe('Chapter 1');
    expect(opening?.text).toContain(
      'It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife.',
    );
    expect(chunks[0]?.text.charCodeAt(0)).not.toBe(0xfeff);
    expect(chunks.some((c) => c.section === 'Chapter 61')).toBe(true);
    expect(chunks.every((c) => c.page === null)).toBe(true);
    ws.close();
  });

  it('turns reStructuredText underlines into a section path', async () => {
    const { ws, chunks } = await ingestOne(fixture('docs/txt/pep-0257.rst.txt'));
    const docstring = chunks.find((c) => c.text.includes('A docstring is a string literal'));
    expect(docstring?.section).toBe('Specification › What is a Docstring?');
    ws.close();
  });

  it('keeps Markdown headings as sections and drops mdBook directives', async () => {
    const { ws, chunks } = await ingestOne(
      fixture('docs/md/rust-book_ch04-01-what-is-ownership.md'),
    );
    const stack = chunks.find((c) => c.text.includes('Both the stack and the heap are parts of'));
    expect(stack?.section).toBe('What Is Ownership? › The Stack and the Heap');
    // A sub-section shorter than minChars shares its chunk with the next one, under their parent.
    const rules = chunks.find((c) => c.text.includes('- Each value in Rust has an owner.'));
    expect(rules?.section).toBe('What Is Ownership?');
    expect(rules?.text).toContain('Ownership Rules\nFirst, let’s take a look');
    const move = chunks.find((c) => c.section.endsWith('Variables and Data Interacting with Move'));
    expect(move?.section).toBe(
      'What Is Ownership? › Memory and Allocation › Variables and Data Interacting with Move',
    );
    expect(chunks.some((c) => c.text.includes('{{#'))).toBe(false);
    expect(chunks.some((c) => c.text.includes('<Listing'))).toBe(false);
    const title = ws.db.prepare('SELECT title FROM documents').get() as { title: string };
    expect(title.title).toBe('rust-book_ch04-01-what-is-ownership');
    ws.close();
  });

  it.each([
    ['tricky/txt/fake-text-utf-16-le.txt', 'This is a test document to use for unit tests.'],
    ['tricky/txt/fake-text-utf-16-be.txt', 'This is a test document to use for unit tests.'],
    ['tricky/txt/fake-text-utf-32.txt', 'This is a test document to use for unit tests.'],
    ['tricky/txt/umlauts_latin1.md', 'äöüß'],
  ])('decodes %s', async (path, expected) => {
    const { ws, chunks } = await ingestOne(fixture(path));
    expect(chunks.map((c) => c.text).join('\n')).toContain(expected);
    ws.close();
  });

  it('ingests every real TXT and MD document with whole documents only', async () => {
    const ws = openWorkspace(tempDir());
    const paths = ['txt', 'md'].flatMap((dir) =>
      readdirSync(fixture('docs', dir)).map((f) => fixture('docs', dir, f)),
    );
    const results = await ingestPaths(ws, paths, { parser: createInProcessParser() });
    expect(results.map((r) => r.status)).toEqual(paths.map(() => 'ok'));
    expect(partialDocuments(ws.db)).toEqual([]);
    ws.close();
  });
});
