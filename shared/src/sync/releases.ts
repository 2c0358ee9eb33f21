import { z } from 'zod';

/** What a release names besides the synced rows: the current persona and the latest eval figures. */
export const releaseManifestSchema = z.strictObject({
  persona: z.record(z.string(), z.unknown()).nullable(),
  programs: z
    .array(z.strictObject({ id: z.string().max(64), title: z.string().max(200) }))
    .max(1000),
  evals: z
    .array(
      z.strictObject({
        kbId: z.string().max(64),
        runId: z.string().max(64),
        createdAt: z.string().max(40),
        metrics: z.record(z.string(), z.unknown()),
      }),
    )
    .max(1000),
});

export const createReleaseSchema = z.strictObject({
  /** Chosen by the desktop before sending: a retried publish finds its release instead of a twin. */
  clientReleaseId: z.uuid(),
  note: z.string().max(500).default(''),
  manifest: releaseManifestSchema,
});

export const releaseInfoSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  kind: z.enum(['publish', 'rollback']),
  note: z.string(),
  createdAt: z.string(),
  active: z.boolean(),
  /** The content stream position the release covers. */
  contentSeq: z.number().int(),
  counts: z.record(z.string(), z.number()),
  /** For a rollback: the version it restored. */
  restores: z.number().int().nullable(),
});

export const releaseListSchema = z.object({ releases: z.array(releaseInfoSchema) });

export type ReleaseManifest = z.infer<typeof releaseManifestSchema>;
export type CreateRelease = z.infer<typeof createReleaseSchema>;
export type ReleaseInfo = z.infer<typeof releaseInfoSchema>;
