import type { ChunkingOptions } from './chunk';
import type { ParsedChunks } from './parse';
import type { StoreOutcome, StoreTarget } from './store';
import type { Format, RejectCode } from './types';

/** Parent → parser process. With `store`, the parser process also writes the document. */
export interface ParseRequest {
  id: number;
  path: string;
  format: Format;
  maxBytes: number;
  chunking: Partial<ChunkingOptions>;
  store?: { dbFile: string; target: StoreTarget };
}

/** Parser process → parent. */
export type ParseReply =
  | { id: number; ok: true; parsed: ParsedChunks }
  | { id: number; ok: true; stored: StoreOutcome }
  | { id: number; ok: false; code: RejectCode; reason: string }
  | { id: number; ok: false; fatal: string };

/** Parser process → parent, once, when it can take requests. */
export interface WorkerReady {
  ready: true;
}
