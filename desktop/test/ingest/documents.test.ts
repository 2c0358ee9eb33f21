import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IngestResult, ingestPaths } from '../../src/core/ingest/ingest';
import { openWorkspace, type Workspace } from '../../src/core/workspace';
import { type ChunkRow, chunksOf, fixture, partialDocuments } from './fixtures';

// Real PDF and DOCX documents through the real parser process, ingested once for all checks.
let ws: Workspace;
let home: string;
const results = new Map<string, IngestResult>();

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'creator-hub-docs-'));
  ws = openWorkspace(home);
  const paths = [
    fixture('docs/pdf'),
    fixture('docs/docx'),
    fixture('tricky/pdf'),
    fixture('tricky/docx'),
  ];
  for (const r of await ingestPaths(ws, paths)) {
    results.set(r.path.slice(r.path.lastIndexOf('/') + 1), r);
  }
}, 120_000);

afterAll(() => {
  ws.close();
  rmSync(home, { recursive: true, force: true });
});

function chunks(file: string): ChunkRow[] {
  const r = results.get(file);
  if (r?.status !== 'ok') throw new Error(`${file}: ${JSON.stringify(r)}`);
  return chunksOf(ws.db, r.documentId);
}

function chunkWith(file: string, text: string): ChunkRow | undefined {
  return chunks(file).find((c) => c.text.includes(text));
}

function doc(file: string): { title: string; pages: number | null; format: string } {
  const r = results.get(file);
  return ws.db
    .prepare('SELECT title, pages, format FROM documents WHERE id = ?')
    .get(r?.status === 'ok' ? r.documentId : '') as {
    title: string;
    pages: number | null;
    format: string;
  };
}

describe('PDF ingestion', () => {
  it('keeps text, title, page numbers and sections of a Wikipedia print', () => {
    expect(doc('wikipedia_pdfjs.pdf')).toEqual({
      title: 'PDF.js - Wikipedia',
      pages: 1,
      format: 'pdf',
    });
    const c = chunkWith(
      'wikipedia_pdfjs.pdf',
      'PDF.js is a JavaScript library that renders Portable Document Format (PDF) files using the web standards-compliant HTML5 Canvas.',
    );
    expect(c).toMatchObject({ page: 1, section: 'PDF.js' });
  });

  it('numbers pages and de-hyphenates line ends without breaking compounds (GAO brief)', () => {
    expect(doc('gao_cybersecurity-strategy_2023.pdf').pages).toBe(2);
    expect(
      chunkWith(
        'gao_cybersecurity-strategy_2023.pdf',
        'In March 2023, the White House issued the National Cybersecurity Strategy',
      )?.page,
    ).toBe(1);
    expect(
      chunkWith('gao_cybersecurity-strategy_2023.pdf', 'Keith Kim (Analyst-in-charge)')?.page,
    ).toBe(2);
    expect(
      chunkWith(
        'gao_cybersecurity-strategy_2023.pdf',
        'investments in privacy-preserving technology',
      )?.page,
    ).toBe(2);
  });

  it('reads the page text of a filled form on both pages', () => {
    expect(
      chunkWith('irs_form-1040_prefilled.pdf', 'U.S. Individual Income Tax Return')?.page,
    ).toBe(1);
    expect(
      chunkWith('irs_form-1040_prefilled.pdf', 'Self-employment tax. Attach Schedule SE')?.page,
    ).toBe(2);
  });

  it('normalises ligatures (NFKC) and recovers a PDF with a broken xref', () => {
    expect(chunks('ligatures_type3.pdf').map((c) => c.text)).toEqual([
      'abcdeffffiflffifflststghijklmno',
    ]);
    expect(chunks('corrupt_helloworld-bad.pdf').map((c) => c.text)).toEqual(['Hello, world!']);
  });

  it('refuses a password-protected PDF, an image-only PDF, and opens an empty-password one', () => {
    expect(results.get('encrypted_user-password.pdf')).toMatchObject({
      status: 'rejected',
      reason: 'encrypted PDF: a password is required',
    });
    expect(results.get('image-only_no-text-layer.pdf')).toMatchObject({
      status: 'rejected',
      reason: 'no text layer — scanned image, needs OCR',
    });
    // It opens (no password asked); its only page is blank, so there is nothing to keep.
    expect(results.get('encrypted_empty-user-password.pdf')).toMatchObject({
      status: 'rejected',
      code: 'no_text',
    });
    expect(results.get('scanned_noisy-ocr-layer.pdf')?.status).toBe('ok');
  });
});

describe('DOCX ingestion', () => {
  it('keeps headings as sections and nested lists as indented lines', () => {
    const c = chunkWith(
      'moby-dick_excerpt_headings-lists.docx',
      'This is my substitute for pistol and ball.',
    );
    expect(c?.section).toBe('A Heading 1 › A Heading 2');
    expect(
      chunkWith('moby-dick_excerpt_headings-lists.docx', '- A top level list item')?.text,
    ).toContain('- A top level list item\n  - Next level\n  - Same\n- Second top-level list item');
    expect(chunkWith('moby-dick_excerpt_headings-lists.docx', 'Call me Ishmael.')?.section).toBe(
      '',
    );
  });

  it('numbers ordered lists per level', () => {
    expect(chunkWith('lists_multiple-levels.docx', 'Lorem Ipsum 2')?.text).toContain(
      '2. This is simply dummy text of the printing and typesetting industry.\n  1. The quick brown fox jumps over the lazy dog.\n  2. The quick brown fox',
    );
  });

  it('keeps tables as rows of cells, nested tables flattened into their cell', () => {
    const text = chunks('tables_nested-merged.docx')
      .map((c) => c.text)
      .join('\n');
    expect(text).toContain('Header Col 1 | Header Col 2\nLorem ipsum | A link example');
    expect(text).toContain('a | >b< | c\nd | e f g&t h | i\nj | k | l');
    expect(chunks('mammoth_tables.docx')[0]?.text).toBe(
      'Above\nTop left | Top right\nBottom left | Bottom right\nBelow',
    );
  });

  it('ingests the 872-page handbook with its chapter and section path', () => {
    const c = chunkWith(
      'doj_ch13-trustee-handbook_2012.docx',
      'The Bankruptcy Reform Act of 1978 removed the bankruptcy judge',
    );
    expect(c?.section).toBe('CHAPTER 1 – INTRODUCTION › B. ROLE OF THE UNITED STATES TRUSTEE');
    expect(chunks('doj_ch13-trustee-handbook_2012.docx').length).toBeGreaterThan(500);
  });

  it('keeps footnotes, text boxes, Strict OOXML and BOM-prefixed XML', () => {
    expect(chunks('footnotes.docx')[0]?.text).toContain('A tachyon walks into a bar.');
    expect(chunks('text-box.docx')[0]?.text).toBe('Datum plane');
    expect(chunks('strict-ooxml.docx')[0]?.text).toBe('Test');
    expect(chunks('utf8-bom-in-xml.docx')[0]?.text).toBe('This XML has a byte order mark.');
    expect(results.get('empty-body.docx')).toMatchObject({ status: 'rejected', code: 'no_text' });
  });
});

describe('every real and tricky document', () => {
  it('ends ok or rejected with a reason, and every stored document is whole', () => {
    const files = ['docs/pdf', 'docs/docx', 'tricky/pdf', 'tricky/docx'].flatMap((d) =>
      readdirSync(fixture(d)),
    );
    expect([...results.keys()].sort()).toEqual(files.sort());
    for (const r of results.values()) {
      if (r.status === 'rejected') expect(r.reason.length).toBeGreaterThan(5);
      else expect(r.status).toBe('ok');
    }
    expect(partialDocuments(ws.db)).toEqual([]);
  });
});
