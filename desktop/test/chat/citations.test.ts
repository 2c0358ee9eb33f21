import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCitationStream, mapCitations } from '../../src/core/chat/citations';
import { renderAnswerHtml, toInertText } from '../../src/core/chat/inert';
import type { PromptPassage } from '../../src/core/chat/prompt';

const passages: PromptPassage[] = [1, 2, 3].map((n) => ({
  n,
  hit: {
    chunkId: 100 + n,
    documentId: `doc-${n}`,
    title: `Doc ${n}`,
    path: `/d/${n}.md`,
    section: n === 2 ? 'Pricing › Plans' : '',
    page: n === 3 ? 12 : null,
    text: `Passage ${n} text.`,
    score: 1 / n,
  },
}));

describe('citation mapping', () => {
  it('maps [n] to the chunk with document, section and page, in order of first use', () => {
    const mapped = mapCitations('Plans cost 10 [2]. Shipping is free [3][2].', passages);
    expect(mapped.citations.map((c) => c.n)).toEqual([2, 3]);
    expect(mapped.citations[0]).toEqual({
      n: 2,
      chunkId: 102,
      documentId: 'doc-2',
      title: 'Doc 2',
      section: 'Pricing › Plans',
      page: null,
      text: 'Passage 2 text.',
    });
    expect(mapped.citations[1]?.page).toBe(12);
    expect(mapped.dropped).toEqual([]);
  });

  it('drops citations of passages that were not provided, from the text too', () => {
    const mapped = mapCitations('A [1]. B [7]. C [0][2]. D [1, 9, 3]. E [99999].', passages);
    expect(mapped.text).toBe('A [1]. B. C [2]. D [1][3]. E.');
    expect(mapped.citations.map((c) => c.chunkId)).toEqual([101, 102, 103]);
    expect(mapped.dropped).toEqual([7, 0, 9, 99999]);
  });

  it('leaves other bracketed text alone', () => {
    const text = 'See [the guide] and [a, b] and [1a] and arrays like x[i].';
    expect(mapCitations(text, passages).text).toBe(text);
  });

  it('streams the same text as the final mapping, however the answer is split (property)', () => {
    const token = fc.constantFrom(
      '[',
      ']',
      '1',
      '2',
      '7',
      ',',
      ' ',
      'word',
      '.',
      '[1]',
      '[8]',
      '\n',
    );
    fc.assert(
      fc.property(
        fc.array(token, { maxLength: 40 }),
        fc.array(fc.nat(50), { maxLength: 8 }),
        (parts, cuts) => {
          const full = parts.join('');
          const points = [...new Set(cuts.map((c) => Math.min(c, full.length)))].sort(
            (a, b) => a - b,
          );
          const pieces = [0, ...points, full.length]
            .slice(1)
            .map((end, i, all) => full.slice(i === 0 ? 0 : (all[i - 1] ?? 0), end));
          const stream = createCitationStream(passages);
          const streamed = pieces.map((p) => stream.push(p)).join('') + stream.flush();
          expect(streamed).toBe(mapCitations(full, passages).text);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('inert output', () => {
  it('strips terminal escapes, other control characters and bidi overrides', () => {
    const text = 'ok\u001b[2J\u001b]0;pwned\u0007 done\r\nnext\u202e\u0000\u009b\tend';
    expect(toInertText(text)).toBe('ok[2J]0;pwned done\nnext\tend');
  });

  it('renders HTML, scripts, links and images in an answer as text', () => {
    const html = renderAnswerHtml(
      '**Hi** <script>alert(1)</script> <img src=x onerror=alert(1)> ' +
        '[click](javascript:alert(1)) ![p](http://evil.example/p.png) <a href="http://x">x</a>',
    );
    expect(html).toContain('<strong>Hi</strong>');
    expect(html).toContain('&lt;script&gt;');
    for (const tag of ['<script', '<img', '<a ', '<iframe']) expect(html).not.toContain(tag);
  });
});
