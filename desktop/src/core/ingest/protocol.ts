import type { ChunkingOptions } from './chunk';
import type { ParsedChunks } from './parse';
import type { Format, RejectCode } from './types';

/** Parent → parser process. */
export interface ParseRequest {
  id: number;
  path: string;
  format: Format;
  maxBytes: number;
  chunking: Partial<ChunkingOptions>;
}

/** Parser process → parent. */
export type ParseReply =
  | { id: number; ok: true; result: ParsedChunks }
  | { id: number; ok: false; code: RejectCode; reason: string };

/** Parser process → parent, once, when it can take requests. */
export interface WorkerReady {
  ready: true;
}
