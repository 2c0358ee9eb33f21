import { splitSentences, splitWords } from './sentences';
import type { Block, Chunk } from './types';

export interface ChunkingOptions {
  /** A chunk is closed once adding the next piece would take it past this many characters. */
  targetChars: number;
  /** No chunk is longer than this (a longer sentence is cut at spaces). */
  maxChars: number;
  /** Characters of whole sentences repeated from the previous chunk when a section is split. */
  overlapChars: number;
  /** A sub-section shorter than this is merged with the next one instead of standing alone. */
  minChars: number;
}

/** Starting values; they are to be tuned by measurement on the retrieval eval, not by taste. */
export const DEFAULT_CHUNKING: Readonly<ChunkingOptions> = Object.freeze({
  targetChars: 1000,
  maxChars: 1600,
  overlapChars: 150,
  minChars: 300,
});

export const SECTION_SEPARATOR = ' › ';

interface Piece {
  text: string;
  /** Heading text: it introduces what follows, so it does not decide the chunk's section. */
  heading: boolean;
  path: readonly string[];
  page: number | null;
  /** How it joins the piece before it: a newline between blocks and lines, a space between sentences. */
  joiner: ' ' | '\n';
}

interface Draft {
  pieces: Piece[];
  length: number;
  /** Pieces at the start repeated from the previous chunk; they do not decide section or page. */
  overlap: number;
}

function commonPath(paths: readonly (readonly string[])[]): readonly string[] {
  const [first = [], ...rest] = paths;
  let n = first.length;
  for (const p of rest) {
    let i = 0;
    while (i < n && p[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n);
}

type Cut = { text: string; joiner: Piece['joiner'] };

function sectionOf(pieces: readonly Piece[]): string {
  const content = pieces.filter((p) => !p.heading);
  const decisive = content.length > 0 ? content : pieces;
  return commonPath(decisive.map((p) => p.path)).join(SECTION_SEPARATOR);
}

/**
 * Pieces of one block, each at most maxChars: prose by sentences (so a chunk can be filled without
 * cutting one), other blocks whole when they fit, else line by line.
 */
function blockPieces(block: Block, opts: ChunkingOptions): Cut[] {
  const prose = block.kind === 'paragraph';
  if (!prose && block.text.length <= opts.targetChars) return [{ text: block.text, joiner: '\n' }];
  const units = prose ? splitSentences(block.text) : block.text.split('\n');
  const cuts: Cut[] = [];
  for (const unit of units) {
    const joiner = cuts.length === 0 || !prose ? '\n' : ' ';
    const parts = unit.length > opts.maxChars ? splitWords(unit, opts.maxChars) : [unit];
    parts.forEach((text, i) => {
      if (text.trim().length > 0) cuts.push({ text: text.trim(), joiner: i === 0 ? joiner : ' ' });
    });
  }
  return cuts;
}

class Packer {
  readonly chunks: Chunk[] = [];
  private draft: Draft = { pieces: [], length: 0, overlap: 0 };

  constructor(private readonly opts: ChunkingOptions) {}

  get length(): number {
    return this.draft.length;
  }

  /** Adds pieces that belong together (headings with the first piece of what they introduce). */
  add(group: readonly Piece[]): void {
    const size = group.reduce((n, p) => n + p.text.length + 1, 0);
    if (this.draft.length > 0 && this.draft.length + size > this.opts.targetChars) this.flush(true);
    for (const piece of group) {
      this.draft.pieces.push(piece);
      this.draft.length += (this.draft.pieces.length === 1 ? 0 : 1) + piece.text.length;
    }
  }

  /** Closes the current chunk; `carry` repeats its last sentences at the start of the next one. */
  flush(carry: boolean): void {
    const { pieces, overlap } = this.draft;
    const own = pieces.slice(overlap);
    if (own.length === 0) {
      this.draft = { pieces: [], length: 0, overlap: 0 };
      return;
    }
    const text = pieces
      .map((p, i) => (i === 0 ? p.text : `${p.joiner}${p.text}`))
      .join('')
      .trim();
    this.chunks.push({
      ordinal: this.chunks.length,
      text,
      section: sectionOf(own),
      page: own.find((p) => p.page !== null)?.page ?? null,
    });
    this.draft = { pieces: [], length: 0, overlap: 0 };
    if (carry) this.carryOverlap(own);
  }

  private carryOverlap(previous: Piece[]): void {
    const carried: Piece[] = [];
    let length = 0;
    for (let i = previous.length - 1; i >= 0; i--) {
      const p = previous[i];
      if (!p || length + p.text.length > this.opts.overlapChars) break;
      carried.unshift(p);
      length += p.text.length + 1;
    }
    // Overlap never carries a heading path into a different section.
    const last = previous.at(-1)?.path.join(SECTION_SEPARATOR);
    const sameSection = carried.filter((p) => p.path.join(SECTION_SEPARATOR) === last);
    this.draft = {
      pieces: sameSection,
      length: Math.max(0, sameSection.reduce((n, p) => n + p.text.length + 1, 0) - 1),
      overlap: sameSection.length,
    };
  }
}

/**
 * Turns ordered blocks into chunks that keep structure: a top-level heading always starts a new chunk,
 * a lower heading does once the chunk has `minChars`; long blocks are cut between sentences (or lines),
 * and a cut inside a section repeats up to `overlapChars` of whole sentences.
 */
export function chunkBlocks(
  blocks: readonly Block[],
  options: Partial<ChunkingOptions> = {},
): Chunk[] {
  const opts = { ...DEFAULT_CHUNKING, ...options };
  const topLevel = Math.min(...blocks.map((b) => (b.kind === 'heading' ? (b.level ?? 1) : 99)), 99);
  const packer = new Packer(opts);
  let path: { level: number; text: string }[] = [];
  let headings: Piece[] = [];
  for (const block of blocks) {
    const heading = block.kind === 'heading';
    if (heading) {
      const level = block.level ?? 1;
      if (level <= topLevel || packer.length >= opts.minChars) {
        packer.add(headings);
        headings = [];
        packer.flush(false);
      }
      path = [...path.filter((h) => h.level < level), { level, text: block.text }];
    }
    const headingPath = path.map((h) => h.text);
    // Prefer a paragraph boundary: a chunk that has enough text ends before a block that won't fit.
    if (
      !heading &&
      packer.length >= opts.minChars &&
      packer.length + block.text.length > opts.targetChars
    ) {
      packer.flush(true);
    }
    for (const cut of blockPieces(block, opts)) {
      const piece: Piece = { ...cut, heading, path: headingPath, page: block.page ?? null };
      if (heading) headings.push(piece);
      else {
        packer.add([...headings, piece]);
        headings = [];
      }
    }
  }
  packer.add(headings);
  packer.flush(false);
  return packer.chunks;
}
