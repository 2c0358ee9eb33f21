import {
  ApiError,
  type ApiErrorCode,
  type ApiHandlers,
  type ApiResult,
  apiMethods,
  isApiName,
} from '@creator-hub/shared/api/index';
import { z } from 'zod';

/** Core errors carry codes of their own; these are the ones a user can act on. */
const CODE_MAP: Record<string, ApiErrorCode> = {
  kb_not_found: 'not_found',
  version_not_found: 'not_found',
  not_found: 'not_found',
  program_not_found: 'not_found',
  invalid_persona: 'invalid_input',
  invalid_program: 'invalid_input',
  unreachable: 'unavailable',
  model_missing: 'unavailable',
  aborted: 'cancelled',
  document_not_found: 'not_found',
  case_not_found: 'not_found',
  no_cases: 'conflict',
  no_model: 'unavailable',
  conversation_not_found: 'not_found',
  module_not_found: 'not_found',
  step_not_found: 'not_found',
  nothing_to_undo: 'conflict',
  bad_move: 'invalid_input',
};

function toErrorBody(error: unknown): ApiResult<never> {
  if (error instanceof ApiError) return { ok: false, error: error.toBody() };
  if (error instanceof z.ZodError) {
    return {
      ok: false,
      error: {
        code: 'invalid_input',
        message: 'The request was not valid.',
        issues: error.issues.slice(0, 20).map((i) => ({
          path: i.path.map(String).join('.'),
          message: i.message,
        })),
      },
    };
  }
  const code =
    error && typeof error === 'object' && 'code' in error ? String(error.code) : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, error: { code: (code ? CODE_MAP[code] : undefined) ?? 'failed', message } };
}

/**
 * The one entry every transport (IPC, HTTP) goes through: the name must be a contract method, the
 * payload must pass its input schema, and the answer must pass its output schema before it leaves.
 */
export async function dispatch(
  handlers: ApiHandlers,
  name: string,
  payload: unknown,
): Promise<ApiResult<unknown>> {
  if (!isApiName(name)) {
    return { ok: false, error: { code: 'unknown_method', message: `no API method "${name}"` } };
  }
  const def = apiMethods[name];
  const input = def.input.safeParse(payload ?? {});
  if (!input.success) return toErrorBody(input.error);
  try {
    const handler = handlers[name] as (input: unknown) => Promise<unknown>;
    const output = def.output.safeParse(await handler(input.data));
    if (!output.success) {
      // A handler broke the contract: that is our fault, never the caller's input.
      return {
        ok: false,
        error: { code: 'failed', message: `"${name}" produced an invalid answer` },
      };
    }
    return { ok: true, value: output.data };
  } catch (error) {
    return toErrorBody(error);
  }
}
