import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IngestResult, ingestPaths } from '../../src/core/ingest/ingest';
import { openWorkspace } from '../../src/core/workspace';
import { seededRandom } from '../helpers/seeded-random';
import { tempDir } from '../helpers/tmp';
import { fixture, partialDocuments } from './fixtures';
import { MUTATIONS, mutate } from './mutate';

/** Sources of the generated damage: small real files of every format and encoding. */
const SOURCES = [
  'docs/pdf/wikipedia_pdfjs.pdf',
  'tricky/pdf/ligatures_type3.pdf',
  'tricky/pdf/corrupt_helloworld-bad.pdf',
  'tricky/pdf/encrypted_empty-user-password.pdf',
  'docs/docx/moby-dick_excerpt_headings-lists.docx',
  'docs/docx/lists_multiple-levels.docx',
  'tricky/docx/mammoth_tables.docx',
  'tricky/docx/udhr_english-spanish_repetitive.docx',
  'docs/md/pdfjs_README.md',
  'docs/txt/pep-0020.rst.txt',
  'tricky/txt/fake-text-utf-16-le.txt',
  'tricky/txt/umlauts_latin1.md',
];
const VARIANTS_PER_SOURCE = 20;
const SEED = 20_261_126;

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterAll(() => process.off('unhandledRejection', onUnhandled));

function generateDamaged(dir: string): string[] {
  const random = seededRandom(SEED);
  const files: string[] = [];
  for (const [s, source] of SOURCES.entries()) {
    const bytes = readFileSync(fixture(source));
    for (let v = 0; v < VARIANTS_PER_SOURCE; v++) {
      const kind = MUTATIONS[v % MUTATIONS.length] ?? 'flip';
      const file = join(dir, `${s}-${v}-${kind}${extname(source)}`);
      writeFileSync(file, mutate(bytes, kind, random));
      files.push(file);
    }
  }
  return files;
}

function expectOnlyOkOrReasoned(results: IngestResult[]): void {
  for (const r of results) {
    if (r.status === 'rejected') expect(r.reason, r.path).toMatch(/\w{3,}/);
    else expect(['ok', 'duplicate'], r.path).toContain(r.status);
  }
}

function expectNothingHalfStored(home: string, ws: ReturnType<typeof openWorkspace>): void {
  expect(partialDocuments(ws.db)).toEqual([]);
  const stored = ws.db.prepare('SELECT stored_name AS s FROM documents').all() as { s: string }[];
  expect(readdirSync(join(home, 'originals')).sort()).toEqual(stored.map((r) => r.s).sort());
}

describe('hostile input', () => {
  it(`ends ${SOURCES.length * VARIANTS_PER_SOURCE} truncated and byte-flipped files ok or rejected with a reason`, async () => {
    const home = tempDir();
    const ws = openWorkspace(home);
    const files = generateDamaged(tempDir());
    expect(files.length).toBeGreaterThanOrEqual(200);
    const results = await ingestPaths(ws, files, { limits: { timeoutMs: 20_000 } });
    expect(results).toHaveLength(files.length);
    expectOnlyOkOrReasoned(results);
    const statuses = new Set(results.map((r) => r.status));
    expect(statuses).toContain('ok');
    expect(statuses).toContain('rejected');
    // The parser process never died of a file: crashes would show as parser_crashed.
    expect(results.filter((r) => r.status === 'rejected' && r.code === 'parser_crashed')).toEqual(
      [],
    );
    expectNothingHalfStored(home, ws);
    expect(unhandled).toEqual([]);
    ws.close();
  }, 240_000);

  it('ends every malformed and tricky text file, and a 3 MB single line, ok or rejected', async () => {
    const home = tempDir();
    const ws = openWorkspace(home);
    const longLine = join(tempDir(), 'very-long-single-line_3MB.txt');
    const novel = readFileSync(
      fixture('docs/txt/gutenberg_pride-and-prejudice_pg1342.txt'),
      'utf8',
    );
    writeFileSync(longLine, novel.replace(/\s+/g, ' ').repeat(5));
    const results = await ingestPaths(ws, [fixture('malformed'), fixture('tricky/txt'), longLine]);
    expectOnlyOkOrReasoned(results);
    const byName = new Map(results.map((r) => [r.path.slice(r.path.lastIndexOf('/') + 1), r]));
    const reason = (name: string) => {
      const r = byName.get(name);
      return r?.status === 'rejected' ? r.reason : r?.status;
    };
    expect(reason('empty.pdf')).toBe('empty file');
    expect(reason('html-renamed-as.pdf')).toBe('not a PDF (no %PDF header)');
    expect(reason('pdf-renamed-as.txt')).toBe('not a text file: it is a PDF');
    expect(reason('png-image-renamed.txt')).toBe('not a text file: it is a PNG image');
    expect(reason('binary-junk.txt')).toMatch(/binary data/);
    expect(reason('binary-junk.md')).toMatch(/binary data/);
    expect(reason('zip-not-docx.docx')).toBe('not a DOCX: a ZIP archive without Word content');
    expect(reason('docx_missing_document-xml.docx')).toBe(
      'not a DOCX: the main document part is missing',
    );
    expect(reason('docx_malformed-xml.docx')).toBe('the DOCX is damaged: its XML cannot be read');
    expect(reason('truncated_udhr.docx')).toMatch(/damaged/);
    expect(reason('truncated_gao_40pct.pdf')).toMatch(/damaged/);
    expect(reason('fake-text-all-whitespace.txt')).toBe('no text found in the file');
    expect(byName.get('very-long-single-line_3MB.txt')?.status).toBe('ok');
    expect(byName.get('wikipedia_norwich-city_mojibake.txt')?.status).toBe('ok');
    expectNothingHalfStored(home, ws);
    expect(unhandled).toEqual([]);
    ws.close();
  }, 120_000);
});
