/** Words after which a full stop does not end a sentence. */
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'jr',
  'sr',
  'prof',
  'gen',
  'col',
  'capt',
  'lt',
  'rev',
  'hon',
  'vs',
  'etc',
  'e.g',
  'i.e',
  'cf',
  'no',
  'vol',
  'fig',
  'p',
  'pp',
  'u.s',
  'inc',
  'ltd',
  'co',
]);

/** A sentence end: terminal punctuation, optional closing quotes/brackets, then whitespace. */
const END = /[.!?…。！？]+["'”’)\]»]*\s+|[。！？]/g;

/** Splits prose into sentences, keeping every character (each piece carries its trailing space). */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const match of text.matchAll(END)) {
    const end = match.index + match[0].length;
    const before = text.slice(Math.max(start, match.index - 6), match.index + 1);
    const word = /([\p{L}.]+)\.$/u.exec(before)?.[1]?.toLowerCase();
    if (word !== undefined && ABBREVIATIONS.has(word)) continue;
    out.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/** Last resort for a "sentence" longer than `max`: cut at spaces, or hard-cut a run without any. */
export function splitWords(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const space = rest.lastIndexOf(' ', max);
    const cut = space > max / 2 ? space + 1 : max;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length > 0) out.push(rest);
  return out;
}
