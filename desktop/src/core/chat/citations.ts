import type { PromptPassage } from './prompt';

export interface Citation {
  /** The passage number the answer cites as `[n]`. */
  n: number;
  chunkId: number;
  documentId: string;
  title: string;
  section: string;
  page: number | null;
  text: string;
}

/** A run of `[3]`, `[1, 2]`, `[4][5]` — the forms models use to cite numbered passages. */
const CITATION_RUN = /([ \t]*)((?:\[\s*\d{1,6}\s*(?:[,;]\s*\d{1,6}\s*)*\])+)/g;

/**
 * "Title › Section › p. 3" — where a passage comes from. A section path that starts with the
 * document's own title (a top heading) does not repeat it.
 */
export function sourceLabel(c: { title: string; section: string; page: number | null }): string {
  const prefix = `${c.title} › `;
  const section =
    c.section === c.title
      ? ''
      : c.section.startsWith(prefix)
        ? c.section.slice(prefix.length)
        : c.section;
  return [c.title, section, c.page === null ? '' : `p. ${c.page}`]
    .filter((p) => p !== '')
    .join(' › ');
}

/** Citation text is a preview; the full chunk stays reachable through chunkId. */
const PREVIEW_CHARS = 400;

export interface MappedAnswer {
  /** The answer with every citation of a passage that was not provided removed. */
  text: string;
  /** Cited passages in order of first citation, each once. */
  citations: Citation[];
  /** Numbers the model cited that matched no provided passage. */
  dropped: number[];
}

export function toCitation(n: number, passage: PromptPassage): Citation {
  const { hit } = passage;
  return {
    n,
    chunkId: hit.chunkId,
    documentId: hit.documentId,
    title: hit.title,
    section: hit.section,
    page: hit.page,
    text: hit.text.slice(0, PREVIEW_CHARS),
  };
}

/**
 * Maps `[n]` markers back to the passages of the prompt. A number outside the provided passages
 * (a hallucination, or a citation a hostile document asked for) is removed from the text and
 * from the citations, so every citation shown points at a chunk the model was actually given.
 */
export function mapCitations(answer: string, passages: readonly PromptPassage[]): MappedAnswer {
  const byNumber = new Map(passages.map((p) => [p.n, p]));
  const cited = new Map<number, Citation>();
  const dropped: number[] = [];
  const text = answer.replace(CITATION_RUN, (_whole, space: string, run: string) => {
    const kept: number[] = [];
    for (const n of (run.match(/\d+/g) ?? []).map(Number)) {
      const passage = byNumber.get(n);
      if (!passage) {
        dropped.push(n);
        continue;
      }
      if (!kept.includes(n)) kept.push(n);
      if (!cited.has(n)) cited.set(n, toCitation(n, passage));
    }
    // A run whose numbers were all dropped disappears with the space before it.
    return kept.length === 0 ? '' : space + kept.map((n) => `[${n}]`).join('');
  });
  return {
    text,
    citations: [...cited.values()],
    dropped,
  };
}

/**
 * What may still grow into a citation run at the end of streamed text: spaces, complete groups
 * (the run may continue) and a group still open (`[1, 2`).
 */
const OPEN_TAIL = /[ \t]*(?:\[[\d\s,;]{1,40}\])*(?:\[[\d\s,;]{0,40})?$/;

/**
 * Maps citations while the answer streams: a possible `[n` at the end of what arrived is held back
 * until it is complete, so the streamed text equals the final mapped answer piece by piece.
 */
export function createCitationStream(passages: readonly PromptPassage[]) {
  let held = '';
  return {
    push(piece: string): string {
      const text = held + piece;
      const tail = OPEN_TAIL.exec(text)?.[0] ?? '';
      held = tail;
      return mapCitations(text.slice(0, text.length - tail.length), passages).text;
    },
    flush(): string {
      const rest = mapCitations(held, passages).text;
      held = '';
      return rest;
    },
  };
}
