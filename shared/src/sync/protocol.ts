import { z } from 'zod';
import { HLC_PATTERN } from './hlc';
import { STREAMS } from './registry';

/** Limits both sides check; the server refuses anything larger before doing any work. */
export const SYNC_LIMITS = {
  batchMutations: 500,
  batchBytes: 6 * 1024 * 1024,
  pullLimit: 1000,
  snapshotLimit: 1000,
  keyChars: 512,
  columns: 64,
  valueChars: 200_000,
  dims: 4096,
  /** How far ahead of the server's clock a mutation's HLC may be. */
  maxClockAheadMs: 5 * 60_000,
} as const;

const name = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be a lower-case identifier');
export const hlcSchema = z.string().regex(HLC_PATTERN, 'must be a hybrid logical clock');
export const streamSchema = z.enum(STREAMS as ['content', 'activity']);

const scalar = z.union([
  z.string().max(SYNC_LIMITS.valueChars),
  z.number().refine(Number.isFinite, 'must be finite'),
  z.boolean(),
  z.null(),
]);
/** Column names are identifiers; zod drops a `__proto__` key rather than copying it onto the result. */
export const rowDataSchema = z
  .record(name, scalar)
  .refine((r) => Object.keys(r).length <= SYNC_LIMITS.columns, 'too many columns');

export const embeddingSchema = z.strictObject({
  fingerprint: z.string().min(3).max(200),
  dims: z.number().int().min(1).max(SYNC_LIMITS.dims),
  // Base64 of little-endian float32; its alphabet and length are checked when decoded
  // (decodeVector), which is linear and native, unlike a regex over every vector of a batch.
  vector: z.string().max(Math.ceil((SYNC_LIMITS.dims * 4) / 3) * 4),
});

export const mutationSchema = z.strictObject({
  /** Per-device, contiguous from 1: what makes retries idempotent and gaps detectable. */
  mid: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  table: name,
  op: z.enum(['upsert', 'delete']),
  key: z.string().min(1).max(SYNC_LIMITS.keyChars),
  hlc: hlcSchema,
  /** The version this edit was made on (lww rows); a different current version means concurrency. */
  base: hlcSchema.nullable(),
  data: rowDataSchema.nullable(),
  embedding: embeddingSchema.optional(),
});

export const pushRequestSchema = z.strictObject({
  mutations: z.array(mutationSchema).min(1).max(SYNC_LIMITS.batchMutations),
});

export const pushResultSchema = z.object({
  mid: z.number().int(),
  status: z.enum(['applied', 'duplicate', 'rejected']),
  code: z.string().optional(),
  message: z.string().optional(),
});

export const pushResponseSchema = z.object({
  lastMid: z.number().int(),
  results: z.array(pushResultSchema),
  /** The server's clock: devices merge it so their next edits order after what they saw. */
  serverHlc: hlcSchema,
});

export const changeSchema = z.object({
  seq: z.number().int(),
  table: z.string(),
  op: z.enum(['upsert', 'delete']),
  key: z.string(),
  hlc: hlcSchema,
  device: z.string(),
  data: z.record(z.string(), z.unknown()).nullable(),
  embedding: embeddingSchema.optional(),
});

/** A whole number in a query string ("500"), within bounds. */
const queryInt = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .int('must be a whole number');

/** A token this server handed out (base64url), handed back as is. */
const opaqueToken = (maxChars: number, what: string) =>
  z
    .string()
    .min(1, `must not be empty (leave the ${what} out instead)`)
    .max(maxChars, `is longer than any ${what} this server hands out`)
    .regex(/^[A-Za-z0-9_-]+$/, `is not a ${what} this server handed out`);

/** `GET /v1/sync/pull?stream=&cursor=&limit=`: query values are strings, numbers are coerced. */
export const pullQuerySchema = z.strictObject({
  stream: streamSchema,
  /** Opaque: whatever the last page returned; absent for the first pull. */
  cursor: opaqueToken(200, 'cursor')
    .optional()
    .describe('Opaque cursor from the previous page; absent for the first pull'),
  limit: queryInt(1, SYNC_LIMITS.pullLimit).default(500),
});

export const pullResponseSchema = z.object({
  changes: z.array(changeSchema),
  cursor: z.string(),
  hasMore: z.boolean(),
  serverHlc: hlcSchema,
});

/** `GET /v1/sync/snapshot?stream=&page=&limit=`. */
export const snapshotQuerySchema = z.strictObject({
  stream: streamSchema,
  page: opaqueToken(400, 'page token')
    .optional()
    .describe('Opaque paging token from the previous snapshot page; absent for the first page'),
  limit: queryInt(1, SYNC_LIMITS.snapshotLimit).default(500),
});

export const snapshotResponseSchema = z.object({
  rows: z.array(changeSchema),
  /** Absent on the last page. */
  nextPage: z.string().optional(),
  /** Pull from here once the last page is applied. */
  cursor: z.string(),
});

export const pokeSchema = z.object({
  type: z.literal('poke'),
  stream: streamSchema,
  seq: z.number().int(),
});

export const modelStateSchema = z.object({
  fingerprint: z.string().nullable(),
});

/** Error codes of the sync API, each with the sentence a user sees. */
export const SYNC_ERROR_CODES = [
  'mutation_gap',
  'resync_required',
  'model_mismatch',
  'unknown_table',
  'table_not_writable',
  'mid_collision',
  'clock_ahead',
  'bad_row',
  'bad_vector',
] as const;
export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[number];

export type Mutation = z.infer<typeof mutationSchema>;
export type PushRequest = z.infer<typeof pushRequestSchema>;
export type PushResult = z.infer<typeof pushResultSchema>;
export type PushResponse = z.infer<typeof pushResponseSchema>;
export type Change = z.infer<typeof changeSchema>;
export type PullQuery = z.infer<typeof pullQuerySchema>;
export type SnapshotQuery = z.infer<typeof snapshotQuerySchema>;
export type PullResponse = z.infer<typeof pullResponseSchema>;
export type SnapshotResponse = z.infer<typeof snapshotResponseSchema>;
export type RowData = z.infer<typeof rowDataSchema>;
export type Embedding = z.infer<typeof embeddingSchema>;
