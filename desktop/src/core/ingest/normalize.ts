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
export function joinPdfLines(lines: readonly string[]): string {
  let out = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (line.length === 0) continue;
    if (out.length === 0) out = line;
    else if (/\p{L}-$/u.test(out) && /^\p{Ll}/u.test(line)) out = out.slice(0, -1) + line;
    else out = `${out} ${line}`;
  }
  return out;
}
