import DOMPurify, { type Config } from 'dompurify';
import MarkdownIt from 'markdown-it';

// Raw HTML in the source is text, never markup; links are limited to http(s) and mailto.
const md = new MarkdownIt({ html: false, linkify: true, breaks: false, typographer: false });
md.validateLink = (url) => /^(https?:|mailto:|#)/i.test(url.trim());

const PURIFY: Config & { RETURN_DOM_FRAGMENT: true } = {
  ALLOWED_TAGS: [
    'p',
    'br',
    'hr',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'strong',
    'em',
    's',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  ALLOWED_ATTR: ['href', 'title', 'start', 'align'],
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#)/i,
  RETURN_DOM_FRAGMENT: true,
};

const ALLOWED_URL = /^(?:https?:|mailto:|#)./i;

const CITATION = /\[(\d{1,3})\]/g;

/** Wraps `[n]` markers in text nodes in buttons that name the citation they open. */
function linkCitations(root: DocumentFragment, known: ReadonlySet<number>): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.parentElement?.closest('code, pre, a')) nodes.push(n as Text);
  }
  for (const node of nodes) {
    const text = node.data;
    if (!CITATION.test(text)) continue;
    CITATION.lastIndex = 0;
    const parts = document.createDocumentFragment();
    let last = 0;
    for (const m of text.matchAll(CITATION)) {
      const n = Number(m[1]);
      if (!known.has(n)) continue;
      parts.append(text.slice(last, m.index));
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'cite';
      button.dataset.cite = String(n);
      button.textContent = String(n);
      button.setAttribute('aria-label', `Open source ${n}`);
      parts.append(button);
      last = (m.index ?? 0) + m[0].length;
    }
    parts.append(text.slice(last));
    node.replaceWith(parts);
  }
}

/** Markdown → sanitised DOM nodes (never an HTML string given to the page). */
export function renderMarkdown(source: string, citations: ReadonlySet<number> = new Set()) {
  const html = md.render(source);
  const fragment = DOMPurify.sanitize(html, PURIFY);
  for (const a of fragment.querySelectorAll('a')) {
    // An empty link (`[x]()`) would point at the app itself; keep its text, drop the link.
    if (!ALLOWED_URL.test(a.getAttribute('href') ?? '')) a.removeAttribute('href');
    a.setAttribute('rel', 'noopener noreferrer nofollow');
    a.setAttribute('target', '_blank');
  }
  if (citations.size > 0) linkCitations(fragment, citations);
  return fragment;
}
