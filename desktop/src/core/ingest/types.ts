/** The formats Creator Hub ingests; the same strings are stored in `documents.format`. */
export const FORMATS = ['pdf', 'docx', 'txt', 'md'] as const;
export type Format = (typeof FORMATS)[number];

export type BlockKind = 'heading' | 'paragraph' | 'list' | 'table' | 'code';

/** One structural unit of a parsed document, in reading order. */
export interface Block {
  kind: BlockKind;
  text: string;
  /** Heading level, 1 = top. Only for headings. */
  level?: number;
  /** 1-based page number (PDF only). */
  page?: number;
}

/** What a parser produces: no database, no file names, just the document's structure. */
export interface ParsedDocument {
  title: string | null;
  format: Format;
  /** Page count for paginated formats (PDF), otherwise null. */
  pages: number | null;
  blocks: Block[];
}

export interface Chunk {
  ordinal: number;
  text: string;
  /** Heading path joined with ' › ' ('' when the document has no headings yet). */
  section: string;
  page: number | null;
}

/** Why a file was refused. `code` is for logs and tests, `reason` is the sentence a user sees. */
export type RejectCode =
  | 'empty'
  | 'unsupported'
  | 'wrong_magic'
  | 'too_large'
  | 'encrypted'
  | 'no_text_layer'
  | 'no_text'
  | 'zip_bomb'
  | 'malformed'
  | 'binary'
  | 'timeout'
  | 'out_of_memory'
  | 'parser_crashed'
  | 'unreadable';

export class IngestRejection extends Error {
  constructor(
    readonly code: RejectCode,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'IngestRejection';
  }
}

export const reject = (code: RejectCode, reason: string): IngestRejection =>
  new IngestRejection(code, reason);
