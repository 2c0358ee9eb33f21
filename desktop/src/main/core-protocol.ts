import type { ApiEventEnvelope, ApiResult } from '@creator-hub/shared/api/index';

/** Messages between the main process and the core's utility process. */
export type CoreRequest = { kind: 'call'; id: number; name: string; payload: unknown };
export type CoreMessage =
  | { kind: 'result'; id: number; result: ApiResult<unknown> }
  | { kind: 'event'; envelope: ApiEventEnvelope }
  | { kind: 'ready' }
  | { kind: 'fatal'; message: string };
