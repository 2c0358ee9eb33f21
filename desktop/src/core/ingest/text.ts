import { normalizeLines, normalizeProse } from './normalize';
import type { Block, ParsedDocument } from './types';

/** reStructuredText-style underline: a run of one punctuation character. */
const UNDERLINE = /^([=\-~^*#+`:.'"_])\1{2,}\s*$/;
/** A line standing alone that names a division of a book: "CHAPTER I", "Book Two: 1806", "Part 3". */
const DIVISION =
  /^(book|part|volume|chapter|section|act|scene|prologue|epilogue|appendix)\b.{0,60}$/i;
const DIVISION_LEVEL: Record<string, number> = { book: 1, part: 1, volume: 1, appendix: 1 };
const BULLET = /^\s*([-*•+]|\d{1,3}[.)]|[a-z][.)])\s+\S/;
/** Paragraphs whose lines are this long are one-paragraph-per-line text, not hard-wrapped prose. */
const LONG_LINE = 200;

function headingStyles(): (key: string) => number {
  const order: string[] = [];
  return (key) => {
    if (!order.includes(key)) order.push(key);
    return order.indexOf(key) + 1;
  };
}

function rstHeading(lines: string[], levelOf: (k: string) => number): Block | null {
  // "Title\n=====" or "=====\nTitle\n=====": the title is short and the rule at least as long.
  if (lines.length === 2 && UNDERLINE.test(lines[1] ?? '') && !UNDERLINE.test(lines[0] ?? '')) {
    const [title = '', rule = ''] = lines;
    if (rule.trim().length >= title.trim().length * 0.8 && title.trim().length > 0) {
      return { kind: 'heading', text: normalizeProse(title), level: levelOf(`u${rule[0]}`) };
    }
  }
  if (lines.length === 3 && UNDERLINE.test(lines[0] ?? '') && UNDERLINE.test(lines[2] ?? '')) {
    return {
      kind: 'heading',
      text: normalizeProse(lines[1] ?? ''),
      level: levelOf(`o${lines[0]?.[0]}`),
    };
  }
  return null;
}

function divisionHeading(lines: string[]): Block | null {
  const only = lines.length === 1 ? (lines[0] ?? '').trim() : '';
  const match = DIVISION.exec(only);
  if (!match) return null;
  const level = DIVISION_LEVEL[(match[1] ?? '').toLowerCase()] ?? 2;
  return { kind: 'heading', text: normalizeProse(only), level };
}

function paragraphBlocks(lines: string[]): Block[] {
  if (lines.every((l) => BULLET.test(l) || /^\s{2,}\S/.test(l)) && BULLET.test(lines[0] ?? '')) {
    return [{ kind: 'list', text: normalizeLines(lines.join('\n')) }];
  }
  if (lines.every((l) => /^( {4}|\t)/.test(l))) {
    return [{ kind: 'code', text: normalizeLines(lines.join('\n')) }];
  }
  if (lines.length > 1 && lines.some((l) => l.length > LONG_LINE)) {
    return lines.map((l) => ({ kind: 'paragraph', text: normalizeProse(l) }));
  }
  return [{ kind: 'paragraph', text: normalizeProse(lines.join(' ')) }];
}

/** Turns decoded plain text into blocks: blank-line paragraphs, lists, indented code, headings. */
export function textBlocks(text: string): Block[] {
  const levelOf = headingStyles();
  const blocks: Block[] = [];
  for (const para of text.split(/\r?\n[ \t\f\v]*(?:\r?\n)+|\r[ \t]*\r/)) {
    const lines = para.split(/\r\n|\r|\n/).filter((l) => l.trim().length > 0);
    if (lines.length === 0) continue;
    const heading = rstHeading(lines, levelOf) ?? divisionHeading(lines);
    if (heading) blocks.push(heading);
    else blocks.push(...paragraphBlocks(lines));
  }
  return blocks.filter((b) => b.text.length > 0);
}

export function parseText(text: string): ParsedDocument {
  return { title: null, format: 'txt', pages: null, blocks: textBlocks(text) };
}
