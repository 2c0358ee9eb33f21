import {
  createReleaseSchema,
  modelStateSchema,
  pullQuerySchema,
  pullResponseSchema,
  pushRequestSchema,
  pushResponseSchema,
  releaseInfoSchema,
  releaseListSchema,
  snapshotQuerySchema,
  snapshotResponseSchema,
} from '@creator-hub/shared/sync/index';
import { z } from '../http/zod';

// The protocol is defined once in shared; the OpenAPI document is generated from these schemas.
export const PushRequest = pushRequestSchema;
export const PushResponse = pushResponseSchema;
export const PullQuery = pullQuerySchema;
export const PullResponse = pullResponseSchema;
export const SnapshotQuery = snapshotQuerySchema;
export const SnapshotResponse = snapshotResponseSchema;
export const ModelState = modelStateSchema;
export const ReplaceModel = z
  .strictObject({ fingerprint: z.string().min(3).max(200) })
  .openapi('SyncReplaceModelRequest');
export const CreateRelease = createReleaseSchema;
export const ReleaseInfo = releaseInfoSchema;
export const ReleaseList = releaseListSchema;
export const ReleaseParams = z.object({ version: z.coerce.number().int().min(1).max(1_000_000) });
export const RollbackBody = z.strictObject({ note: z.string().max(500).default('') });
