import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkBlocks, DEFAULT_CHUNKING } from '../../src/core/ingest/chunk';
import { joinPdfLines, normalizeLines, normalizeProse } from '../../src/core/ingest/normalize';
import { splitSentences } from '../../src/core/ingest/sentences';
import type { Block } from '../../src/core/ingest/types';

const word = fc.constantFrom(
  'river',
  'stone',
  'light',
  'north',
  'garden',
  'copper',
  'signal',
  'quiet',
);
const sentence = fc
  .array(word, { minLength: 3, maxLength: 25 })
  .map((ws) => `${ws.join(' ').replace(/^./, (c) => c.toUpperCase())}.`);
const paragraph = fc
  .array(sentence, { minLength: 1, maxLength: 30 })
  .map((ss): Block => ({ kind: 'paragraph', text: ss.join(' ') }));
const heading = fc
  .tuple(fc.integer({ min: 1, max: 3 }), word, fc.nat(999))
  .map(([level, w, n]): Block => ({ kind: 'heading', text: `${w.toUpperCase()} ${n}`, level }));
const doc = fc.array(
  fc.oneof({ weight: 4, arbitrary: paragraph }, { weight: 1, arbitrary: heading }),
  {
    minLength: 1,
    maxLength: 40,
  },
);
const sizes = fc
  .record({
    targetChars: fc.integer({ min: 200, max: 2000 }),
    overlapChars: fc.integer({ min: 0, max: 300 }),
  })
  .map((o) => ({
    ...o,
    maxChars: Math.round(o.targetChars * 1.5),
    minChars: Math.round(o.targetChars / 4),
  }));

describe('chunkBlocks', () => {
  it('keeps every sentence, cuts only between sentences, and respects maxChars', () => {
    fc.assert(
      fc.property(doc, sizes, (blocks, opts) => {
        const chunks = chunkBlocks(blocks, opts);
        const text = chunks.map((c) => c.text).join('\n');
        for (const b of blocks) {
          for (const s of b.kind === 'heading' ? [b.text] : splitSentences(b.text)) {
            expect(text).toContain(s.trim());
          }
        }
        for (const c of chunks) {
          expect(c.text.length).toBeLessThanOrEqual(opts.maxChars + opts.overlapChars + 200);
          // Every chunk starts at a sentence (or heading) start and ends at a sentence end.
          expect(c.text).toMatch(/^[A-Z]/);
          expect(c.text).toMatch(/[.\d]$/);
        }
        expect(chunks.map((c) => c.ordinal)).toEqual(chunks.map((_, i) => i));
      }),
      { numRuns: 150 },
    );
  });

  it('never merges across a top-level heading, and gives each chunk its heading path', () => {
    fc.assert(
      fc.property(doc, sizes, (blocks, opts) => {
        // Headings are told apart by their text below: a sub-heading with the same text as a
        // top-level one ("NORTH 7" at levels 1 and 2) would look like a merge that did not happen.
        const texts = blocks.flatMap((b) => (b.kind === 'heading' ? [b.text] : []));
        fc.pre(new Set(texts).size === texts.length);
        const top = Math.min(...blocks.map((b) => (b.kind === 'heading' ? (b.level ?? 1) : 99)));
        const topHeadings = blocks
          .filter((b) => b.kind === 'heading' && b.level === top)
          .map((b) => b.text);
        for (const c of chunkBlocks(blocks, opts)) {
          const lines = c.text.split('\n');
          const inside = topHeadings.filter((h) => lines.slice(1).includes(h));
          expect(inside).toEqual([]);
          const headingTexts = blocks.filter((b) => b.kind === 'heading').map((b) => b.text);
          for (const part of c.section === '' ? [] : c.section.split(' › ')) {
            expect(headingTexts).toContain(part);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('repeats whole sentences of the previous chunk when it splits a section', () => {
    const long: Block = {
      kind: 'paragraph',
      text: Array.from({ length: 60 }, (_, i) => `Sentence number ${i} is here.`).join(' '),
    };
    const chunks = chunkBlocks([{ kind: 'heading', text: 'Intro', level: 1 }, long], {
      targetChars: 300,
      overlapChars: 60,
    });
    expect(chunks.length).toBeGreaterThan(3);
    for (let i = 1; i < chunks.length; i++) {
      const first = chunks[i]?.text.split('. ')[0] ?? '';
      expect(chunks[i - 1]?.text).toContain(first);
      expect(chunks[i]?.section).toBe('Intro');
    }
  });

  it('labels merged short sub-sections with their common parent and pages with the first page', () => {
    const chunks = chunkBlocks(
      [
        { kind: 'heading', text: 'Guide', level: 1, page: 1 },
        { kind: 'heading', text: 'Short A', level: 2, page: 1 },
        { kind: 'paragraph', text: 'Tiny section.', page: 1 },
        { kind: 'heading', text: 'Short B', level: 2, page: 2 },
        { kind: 'paragraph', text: 'Another tiny one.', page: 2 },
        { kind: 'heading', text: 'Next', level: 1, page: 3 },
        { kind: 'paragraph', text: 'New top-level section.', page: 3 },
      ],
      DEFAULT_CHUNKING,
    );
    expect(chunks).toEqual([
      {
        ordinal: 0,
        text: 'Guide\nShort A\nTiny section.\nShort B\nAnother tiny one.',
        section: 'Guide',
        page: 1,
      },
      { ordinal: 1, text: 'Next\nNew top-level section.', section: 'Next', page: 3 },
    ]);
  });
});

describe('text normalisation', () => {
  it('applies NFKC, drops invisible characters and collapses whitespace', () => {
    expect(normalizeProse('e\uFB03cient \u00ADsoft\u200B  hy\tphen\n\nnext')).toBe(
      'efficient soft hy phen next',
    );
    expect(normalizeLines('  a  \n\n\tb\u0007  ')).toBe('a\nb');
  });

  it('joins PDF line-end hyphens unless the document uses the hyphenated word', () => {
    expect(joinPdfLines(['the infor-', 'mation age'])).toBe('the information age');
    expect(joinPdfLines(['Analyst-in-', 'charge'])).toBe('Analyst-in-charge');
    expect(joinPdfLines(['privacy-', 'preserving tools'], new Set(['privacy', 'preserving']))).toBe(
      'privacy-preserving tools',
    );
    expect(joinPdfLines(['co-', 'operate'], new Set(['cooperate']))).toBe('cooperate');
    expect(joinPdfLines(['Line one', 'Line two'])).toBe('Line one Line two');
  });

  it('does not end a sentence after common abbreviations', () => {
    expect(splitSentences('Mr. Darcy came. Then e.g. tea was served! Done')).toEqual([
      'Mr. Darcy came. ',
      'Then e.g. tea was served! ',
      'Done',
    ]);
  });
});
