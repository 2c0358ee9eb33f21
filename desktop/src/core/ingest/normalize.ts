/**
 * Characters to drop outright: control characters other than whitespace, soft hyphens, zero-width
 * spaces and BOMs. (ZWJ/ZWNJ stay: Persian and emoji need them.)
 */
const INVISIBLE = /[^\P{Cc}\t\n\r\f\v]|[\u00ad\u200b\u2060\ufeff]/gu;

/** NFKC (ligatures such as "ﬁ" become "fi"), invisible characters dropped, runs of spaces collapsed. */
export function normalizeLine(text: string): string {
  return text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+/g, ' ')
    .trim();
}

/** Normalises prose: every run of whitespace, newlines included, becomes one space. */
export function normalizeProse(text: string): string {
  return normalizeLine(text.replace(/\s+/g, ' '));
}

/** Normalises text whose line breaks carry meaning (lists, tables, code): lines kept, blank ones dropped. */
export function normalizeLines(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map(normalizeLine)
    .filter((line) => line.length > 0)
    .join('\n');
}

/**
 * Joins visual lines of a PDF paragraph. A line ending in a hyphen after a letter, followed by a line
 * starting with a lower-case letter, is a word broken by the typesetter: "infor-" + "mation".
 */
/** Lower-cased words of a text, for telling broken words from compounds by the document's own usage. */
export function vocabulary(texts: Iterable<string>): Set<string> {
  const words = new Set<string>();
  for (const t of texts) for (const w of t.toLowerCase().match(/[\p{L}-]+/gu) ?? []) words.add(w);
  return words;
}

function isBrokenWord(before: string, after: string, words: ReadonlySet<string>): boolean {
  if (!/\p{L}-$/u.test(before) || !/^\p{Ll}/u.test(after)) return false;
  const head = before.slice(before.lastIndexOf(' ') + 1, -1).toLowerCase();
  const tail = (/^[\p{L}-]+/u.exec(after)?.[0] ?? '').toLowerCase();
  // "Analyst-in-" + "charge": a word that already holds a hyphen is a compound.
  if (head.includes('-')) return false;
  if (words.has(`${head}-${tail}`)) return false;
  if (words.has(`${head}${tail}`)) return true;
  // Both halves used as words elsewhere ("privacy", "preserving"): a compound, not a broken word.
  return !(words.has(head) && words.has(tail));
}

/**
 * Joins visual lines of a PDF paragraph. A line ending in a hyphen after a letter, followed by a line
 * starting with a lower-case letter, is usually a word broken by the typesetter ("infor-" + "mation");
 * `words` (the document's vocabulary) keeps the hyphen of compounds such as "privacy-preserving".
 */
export function joinPdfLines(
  lines: readonly string[],
  words: ReadonlySet<string> = new Set(),
): string {
  let out = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (line.length === 0) continue;
    if (out.length === 0) out = line;
    else if (isBrokenWord(out, line, words)) out = out.slice(0, -1) + line;
    else if (out.endsWith('-') && /^\p{Ll}/u.test(line)) out += line;
    else out = `${out} ${line}`;
  }
  return out;
}
