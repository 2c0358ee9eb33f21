import { z } from 'zod';
import { id, method, ok, opId } from './define';

export const syncStatusSchema = z.object({
  serverUrl: z.string().nullable(),
  account: z.string().nullable(),
  loggedIn: z.boolean(),
  /** Local changes not yet sent. */
  pending: z.number().int(),
  lastSyncAt: z.string().nullable(),
  conflicts: z.number().int(),
  /** Why publishing cannot work here yet, when it cannot (e.g. the sync client is not installed). */
  unavailable: z.string().nullable(),
});

export const releaseSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  kind: z.enum(['publish', 'rollback']),
  createdAt: z.string(),
  note: z.string(),
  /** The release the server serves now. */
  active: z.boolean(),
  counts: z.record(z.string(), z.number()),
  /** For a rollback: the version it restored. */
  restores: z.number().int().nullable(),
});

const row = z.record(z.string(), z.unknown()).nullable();

/** Two versions of one row: the one in place (winner) and the one that lost or could not apply. */
export const conflictSchema = z.object({
  id: z.string(),
  kind: z.enum(['concurrent_edit', 'apply_failed']),
  table: z.string(),
  key: z.string(),
  winner: row,
  loser: row,
  winnerDevice: z.string().nullable(),
  loserDevice: z.string().nullable(),
  reason: z.string(),
  createdAt: z.string(),
});

export const publishMethods = {
  'publish.status': method(z.object({}).strict(), syncStatusSchema),
  'publish.login': method(
    z.object({
      serverUrl: z.url({ protocol: /^https?$/ }).max(500),
      email: z.email().max(200),
      password: z.string().min(1).max(500),
    }),
    syncStatusSchema,
  ),
  'publish.logout': method(z.object({}).strict(), syncStatusSchema),
  'publish.publish': method(
    z.object({ opId, note: z.string().max(500).optional() }),
    releaseSchema,
  ),
  'publish.sync': method(z.object({ opId }), syncStatusSchema),
  'publish.releases': method(z.object({}).strict(), z.array(releaseSchema)),
  'publish.rollback': method(
    z.object({ version: z.number().int().min(1), note: z.string().max(500).optional() }),
    z.array(releaseSchema),
  ),
  'publish.conflicts': method(z.object({}).strict(), z.array(conflictSchema)),
  'publish.resolveConflict': method(
    z.object({ conflictId: id, keep: z.enum(['winner', 'loser']) }),
    ok,
  ),
} as const;

export type SyncStatus = z.infer<typeof syncStatusSchema>;
export type Release = z.infer<typeof releaseSchema>;
export type Conflict = z.infer<typeof conflictSchema>;
