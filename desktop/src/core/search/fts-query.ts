/**
 * Turns what a user typed into a safe FTS5 MATCH expression. Every word becomes a quoted string
 * joined by OR, so quotes, operators (AND, NEAR, *, ^, :), parentheses and column filters in the
 * input are plain text and can never make MATCH throw. BM25 then ranks chunks matching more and
 * rarer words first.
 */
const MAX_TERMS = 32;
const MAX_TERM_LENGTH = 64;

// Very common words add cost to an OR query without changing the ranking much.
const STOP_WORDS = new Set(
  (
    'a an and are as at be by did do does for from had has have how i in is it its of on or ' +
    'that the their this to was were what when where which who whom whose why will with'
  ).split(' '),
);

/** Returns null when the text holds no searchable word. */
export function toFtsQuery(text: string): string | null {
  const words = (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  ).map((w) => w.slice(0, MAX_TERM_LENGTH));
  const unique = [...new Set(words)];
  const content = unique.filter((w) => !STOP_WORDS.has(w));
  const terms = (content.length > 0 ? content : unique).slice(0, MAX_TERMS);
  if (terms.length === 0) return null;
  return terms.map((t) => `"${t}"`).join(' OR ');
}
