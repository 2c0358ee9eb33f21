import MarkdownIt, { type Token } from 'markdown-it';
import { normalizeLines, normalizeProse } from './normalize';
import type { Block, ParsedDocument } from './types';

// html:true so raw HTML arrives as html_block tokens we can strip, instead of literal "<tags>" in prose.
const md = new MarkdownIt({ html: true, linkify: false });
/** mdBook preprocessor lines such as {{#rustdoc_include ../listings/x.rs}}: build directives, not text. */
const DIRECTIVE = /^\s*\{\{#[^}]*\}\}\s*$/;

function inlineText(token: Token | undefined): string {
  if (!token?.children) return token?.content ?? '';
  let out = '';
  let inLink = 0;
  for (const child of token.children) {
    if (child.type === 'text' || child.type === 'code_inline') out += child.content;
    else if (child.type === 'softbreak') out += ' ';
    else if (child.type === 'hardbreak') out += '\n';
    else if (child.type === 'link_open') inLink++;
    else if (child.type === 'link_close') inLink--;
    // A linked image is a badge or a button ("CI", "codecov"); a plain one's alt text describes it.
    else if (child.type === 'image' && inLink === 0) out += child.content;
  }
  return out;
}

const stripTags = (html: string): string => html.replace(/<[^>]*>/g, ' ');

/** Index just past the token that closes the one opened at `start`. */
function closingIndex(tokens: Token[], start: number): number {
  const open = tokens[start];
  const closeType = open?.type.replace(/_open$/, '_close');
  for (let i = start + 1; i < tokens.length; i++) {
    const t = tokens[i];
    if (t && t.type === closeType && t.level === open?.level) return i + 1;
  }
  return tokens.length;
}

function listText(tokens: Token[]): string {
  const lines: string[] = [];
  const counters: (number | null)[] = [];
  let itemOpen = false;
  for (const t of tokens) {
    if (t.type === 'bullet_list_open') counters.push(null);
    else if (t.type === 'ordered_list_open') counters.push(Number(t.attrGet('start') ?? 1) - 1);
    else if (t.type === 'bullet_list_close' || t.type === 'ordered_list_close') counters.pop();
    else if (t.type === 'list_item_open') itemOpen = true;
    else if (t.type === 'inline' || t.type === 'fence' || t.type === 'code_block') {
      const depth = Math.max(0, counters.length - 1);
      const text = t.type === 'inline' ? normalizeProse(inlineText(t)) : normalizeLines(t.content);
      if (!itemOpen) {
        lines.push(`${'  '.repeat(depth + 1)}${text}`);
        continue;
      }
      const n = counters.at(-1);
      let marker = '-';
      if (typeof n === 'number') {
        counters[counters.length - 1] = n + 1;
        marker = `${n + 1}.`;
      }
      lines.push(`${'  '.repeat(depth)}${marker} ${text}`);
      itemOpen = false;
    }
  }
  return lines.join('\n');
}

function tableText(tokens: Token[]): string {
  const rows: string[][] = [];
  for (const t of tokens) {
    if (t.type === 'tr_open') rows.push([]);
    else if (t.type === 'inline') rows.at(-1)?.push(normalizeProse(inlineText(t)));
  }
  return rows.map((cells) => cells.join(' | ')).join('\n');
}

function codeText(content: string): string {
  return content
    .split('\n')
    .filter((line) => !DIRECTIVE.test(line))
    .join('\n')
    .trimEnd();
}

/** Walks markdown-it's token stream into blocks; headings become the section path of what follows. */
export function markdownBlocks(source: string): Block[] {
  const tokens = md.parse(source, {});
  const blocks: Block[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    if (!t) break;
    if (t.type === 'heading_open') {
      blocks.push({
        kind: 'heading',
        text: normalizeProse(inlineText(tokens[i + 1])),
        level: Number(t.tag.slice(1)),
      });
      i = closingIndex(tokens, i);
    } else if (t.type === 'bullet_list_open' || t.type === 'ordered_list_open') {
      const end = closingIndex(tokens, i);
      blocks.push({ kind: 'list', text: listText(tokens.slice(i, end)) });
      i = end;
    } else if (t.type === 'table_open') {
      const end = closingIndex(tokens, i);
      blocks.push({ kind: 'table', text: tableText(tokens.slice(i, end)) });
      i = end;
    } else {
      if (t.type === 'inline')
        blocks.push({ kind: 'paragraph', text: normalizeProse(inlineText(t)) });
      else if (t.type === 'fence' || t.type === 'code_block') {
        blocks.push({ kind: 'code', text: normalizeLines(codeText(t.content)) });
      } else if (t.type === 'html_block') {
        blocks.push({ kind: 'paragraph', text: normalizeProse(stripTags(t.content)) });
      }
      i++;
    }
  }
  return blocks.filter((b) => b.text.length > 0);
}

export function parseMarkdown(source: string): ParsedDocument {
  const blocks = markdownBlocks(source);
  const title = blocks.find((b) => b.kind === 'heading' && b.level === 1)?.text ?? null;
  return { title, format: 'md', pages: null, blocks };
}
