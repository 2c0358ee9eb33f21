import { normalizeLines, normalizeProse } from './normalize';
import type { Block } from './types';

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X'))
      return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Footnote back-links that mammoth appends to each note. */
const BACKLINK = /\s*↑\s*/g;

/**
 * Walks the HTML mammoth produces (a closed vocabulary: h1–h6, p, ul/ol/li, table/tr/td, inline
 * formatting, br, a, img, sup) into blocks. Lists become indented "- item" lines, tables
 * "cell | cell" rows; nested tables are flattened into their cell.
 */
export function htmlToBlocks(html: string): Block[] {
  const blocks: Block[] = [];
  let text = '';
  let listDepth = 0;
  let listLines: string[] = [];
  const counters: (number | null)[] = [];
  let tableDepth = 0;
  let rows: string[][] = [];
  let cells: string[] = [];

  const take = (): string => {
    const t = text;
    text = '';
    return t.replace(BACKLINK, ' ');
  };
  const pushItem = () => {
    const t = normalizeProse(take());
    if (t.length === 0) return;
    const n = counters.at(-1);
    const marker = typeof n === 'number' ? `${n}.` : '-';
    listLines.push(`${'  '.repeat(Math.max(0, listDepth - 1))}${marker} ${t}`);
  };

  for (const m of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>|([^<]+)/g)) {
    const [, closing, rawTag, chars] = m;
    if (chars !== undefined) {
      text += decodeEntities(chars);
      continue;
    }
    const tag = (rawTag ?? '').toLowerCase();
    const open = closing !== '/';
    if (tag === 'br') text += '\n';
    else if (tableDepth > 0) {
      // Inside a table everything is cell text; only the outermost table's rows and cells count.
      if (tag === 'table') tableDepth += open ? 1 : -1;
      if (tableDepth === 1 && !open && (tag === 'td' || tag === 'th'))
        cells.push(normalizeProse(take()));
      else if (tableDepth === 1 && !open && tag === 'tr') {
        rows.push(cells);
        cells = [];
      } else if (tableDepth === 0) {
        blocks.push({
          kind: 'table',
          text: normalizeLines(rows.map((r) => r.join(' | ')).join('\n')),
        });
        rows = [];
      } else if (!open && (tag === 'p' || tag === 'li')) text += ' ';
    } else if (tag === 'table') {
      take();
      tableDepth = 1;
    } else if (tag === 'ul' || tag === 'ol') {
      if (open) {
        if (listDepth > 0) pushItem();
        else take();
        listDepth++;
        counters.push(tag === 'ol' ? 0 : null);
      } else {
        pushItem();
        listDepth--;
        counters.pop();
        if (listDepth === 0) {
          blocks.push({ kind: 'list', text: listLines.join('\n') });
          listLines = [];
        }
      }
    } else if (listDepth > 0) {
      if (tag === 'li' && open) {
        pushItem();
        const n = counters.at(-1);
        if (typeof n === 'number') counters[counters.length - 1] = n + 1;
      } else if (tag === 'li') pushItem();
      else if (tag === 'p' && !open) text += ' ';
    } else if (/^h[1-6]$/.test(tag)) {
      if (open) take();
      else blocks.push({ kind: 'heading', text: normalizeProse(take()), level: Number(tag[1]) });
    } else if (tag === 'p') {
      if (open) take();
      else blocks.push({ kind: 'paragraph', text: normalizeProse(take()) });
    }
  }
  return blocks.filter((b) => b.text.length > 0);
}
