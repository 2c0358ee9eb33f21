import { joinPdfLines, normalizeProse, vocabulary } from './normalize';
import type { Block } from './types';

/** A visual line of a PDF page, in pdf.js text-content order. */
export interface PdfLine {
  text: string;
  /** Baseline y (PDF user space: grows upwards). */
  y: number;
  /** Font size of the line's largest text. */
  size: number;
  page: number;
}

/** What pdf.js getTextContent() gives per item (the subset we read). */
export interface PdfTextItem {
  str: string;
  hasEOL: boolean;
  width: number;
  transform: number[];
}

/** Groups text items into lines: a line ends at hasEOL or when the baseline moves. */
export function itemsToLines(items: readonly PdfTextItem[], page: number): PdfLine[] {
  const lines: PdfLine[] = [];
  let text = '';
  let y = Number.NaN;
  let size = 0;
  let endX = Number.NaN;
  const close = () => {
    if (text.trim().length > 0) lines.push({ text, y, size, page });
    text = '';
    size = 0;
    y = Number.NaN;
  };
  for (const item of items) {
    const [a = 0, b = 0, , d = 0, x = 0, itemY = 0] = item.transform;
    const itemSize = Math.hypot(a, b) || Math.abs(d);
    if (item.str.length > 0) {
      if (!Number.isNaN(y) && Math.abs(itemY - y) > Math.max(size, itemSize) * 0.6) close();
      if (Number.isNaN(y)) y = itemY;
      else if (x > endX + itemSize * 0.15 && !text.endsWith(' ') && !item.str.startsWith(' ')) {
        text += ' ';
      }
      text += item.str;
      if (item.str.trim().length > 0) size = Math.max(size, itemSize);
      endX = x + item.width;
    }
    if (item.hasEOL) close();
  }
  close();
  return lines;
}

/** Lines this close to the top or bottom of a page are where running headers and footers sit. */
const EDGE_LINES = 2;
/** From this many pages on, a line repeated on the edge of half of them is a running header/footer. */
const MIN_PAGES_FOR_RUNNING = 3;

const runningKey = (text: string): string =>
  text.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();

/**
 * Drops running headers and footers ("Annual Report 2023", "Page 4 of 12", a bare page number): lines at
 * a page's top or bottom edge whose text, digits aside, recurs on the edge of at least half the pages.
 */
export function dropRunningLines(lines: readonly PdfLine[]): PdfLine[] {
  const byPage = new Map<number, PdfLine[]>();
  for (const l of lines) byPage.set(l.page, [...(byPage.get(l.page) ?? []), l]);
  if (byPage.size < MIN_PAGES_FOR_RUNNING) return [...lines];
  const edges = new Set<PdfLine>();
  const pagesWithKey = new Map<string, number>();
  for (const pageLines of byPage.values()) {
    const sorted = [...pageLines].sort((a, b) => b.y - a.y);
    const edge = new Set([...sorted.slice(0, EDGE_LINES), ...sorted.slice(-EDGE_LINES)]);
    for (const l of edge) edges.add(l);
    for (const key of new Set([...edge].map((l) => runningKey(l.text)))) {
      pagesWithKey.set(key, (pagesWithKey.get(key) ?? 0) + 1);
    }
  }
  const threshold = Math.max(MIN_PAGES_FOR_RUNNING, byPage.size / 2);
  return lines.filter(
    (l) => !(edges.has(l) && (pagesWithKey.get(runningKey(l.text)) ?? 0) >= threshold),
  );
}

/** The font size carrying most characters: the body text size. */
export function bodySize(lines: readonly PdfLine[]): number {
  const weight = new Map<number, number>();
  for (const l of lines) {
    const key = Math.round(l.size * 2) / 2;
    weight.set(key, (weight.get(key) ?? 0) + l.text.length);
  }
  let best = 0;
  let bestWeight = -1;
  for (const [size, w] of weight) {
    if (w > bestWeight) [best, bestWeight] = [size, w];
  }
  return best;
}

/** A new paragraph starts after a wide gap, at a jump upwards (new column), or at a size change. */
function breaksParagraph(prev: PdfLine, line: PdfLine): boolean {
  if (prev.page !== line.page) return true;
  const gap = prev.y - line.y;
  if (gap <= 0 || gap > Math.max(prev.size, line.size) * 1.75) return true;
  return Math.abs(prev.size - line.size) > Math.min(prev.size, line.size) * 0.15;
}

const HEADING_RATIO = 1.2;
const MAX_HEADING_CHARS = 80;
const MAX_HEADING_LEVELS = 3;

/**
 * Turns lines into blocks: paragraphs by spacing, de-hyphenated; short runs in a font clearly larger
 * than the body become headings, levelled by size (largest = 1).
 */
export function linesToBlocks(lines: readonly PdfLine[]): Block[] {
  const body = bodySize(lines);
  const words = vocabulary(lines.map((l) => l.text));
  const groups: PdfLine[][] = [];
  for (const line of lines) {
    const current = groups.at(-1);
    const prev = current?.at(-1);
    if (current && prev && !breaksParagraph(prev, line)) current.push(line);
    else groups.push([line]);
  }
  const drafts = groups.map((g) => ({
    text: normalizeProse(
      joinPdfLines(
        g.map((l) => l.text),
        words,
      ),
    ),
    size: Math.max(...g.map((l) => l.size)),
    page: g[0]?.page ?? 1,
    lineCount: g.length,
  }));
  const isHeading = (d: (typeof drafts)[number]) =>
    body > 0 &&
    d.size >= body * HEADING_RATIO &&
    d.lineCount <= 3 &&
    d.text.length <= MAX_HEADING_CHARS &&
    /\p{L}/u.test(d.text);
  const headingSizes = [...new Set(drafts.filter(isHeading).map((d) => Math.round(d.size)))]
    .sort((a, b) => b - a)
    .slice(0, MAX_HEADING_LEVELS);
  return drafts
    .filter((d) => d.text.length > 0)
    .map((d): Block => {
      const level = headingSizes.indexOf(Math.round(d.size)) + 1;
      if (isHeading(d) && level > 0) return { kind: 'heading', text: d.text, level, page: d.page };
      return { kind: 'paragraph', text: d.text, page: d.page };
    });
}
