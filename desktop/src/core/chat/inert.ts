import MarkdownIt from 'markdown-it';

/**
 * Control characters a terminal or text view could act on: C0 (except tab and newline), DEL, C1
 * (which includes the 8-bit escape introducers) and the bidi overrides that make text display in
 * an order other than the one stored.
 */
function isUnsafeControl(code: number): boolean {
  if (code === 0x09 || code === 0x0a) return false;
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * Model output is data. This is the form in which it is stored, printed and returned: plain text
 * with nothing a terminal would interpret (an ANSI escape cannot clear the screen or retitle it).
 */
export function toInertText(text: string): string {
  let out = '';
  for (const ch of text.replace(/\r\n?/g, '\n')) {
    if (!isUnsafeControl(ch.codePointAt(0) ?? 0)) out += ch;
  }
  return out;
}

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });
// Links and images are shown as their text: an answer must not make the viewer fetch anything or
// offer a link a hostile document planted (image URLs are a classic way to leak a conversation).
markdown.disable(['image', 'link', 'autolink']);

/** Markdown answer → HTML in which any HTML the model wrote is escaped text, never markup. */
export function renderAnswerHtml(text: string): string {
  return markdown.render(toInertText(text));
}
