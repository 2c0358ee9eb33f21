import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { writeTextPdf } from '../../../bench/lib/pdf-writer';
import { chunkBlocks } from '../../src/core/ingest/chunk';
import { parsePdf } from '../../src/core/ingest/pdf';
import { fixture } from './fixtures';

const novel = readFileSync(
  fixture('docs/txt/gutenberg_pride-and-prejudice_pg1342.txt'),
  'utf8',
).slice(5000, 60_000);

describe('PDF structure', () => {
  it('drops running headers and page-number footers, keeps body text, headings and pages', async () => {
    const pdf = writeTextPdf(novel, 12, 'Generated', {
      header: () => 'Creator Hub Annual Report 2026',
      footer: (page) => `Page ${page} of 12`,
    });
    const doc = await parsePdf(pdf);
    expect(doc.pages).toBe(12);
    const text = doc.blocks.map((b) => b.text).join('\n');
    expect(text).not.toMatch(/Annual Report|Page \d+ of 12/);
    expect(doc.blocks.filter((b) => b.kind === 'heading').map((b) => [b.text, b.page])).toEqual([
      ['Part 1', 1],
      ['Part 2', 11],
    ]);
    const pages = doc.blocks.map((b) => b.page ?? 0);
    expect(pages).toEqual([...pages].sort((a, b) => a - b));
    expect(new Set(pages).size).toBe(12);
    const chunks = chunkBlocks(doc.blocks);
    expect(chunks.find((c) => c.page === 11)?.section).toBe('Part 2');
  });

  it('keeps repeated lines of a short document (too few pages to call them running)', async () => {
    const doc = await parsePdf(
      writeTextPdf(novel, 2, 'Short', { footer: (p) => `Page ${p} of 2` }),
    );
    expect(doc.blocks.map((b) => b.text).join('\n')).toContain('Page 2 of 2');
  });
});
