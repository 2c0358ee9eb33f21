import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import type { Logger } from '../logger';

/** An error meant for the client: HTTP status, stable code, one clear sentence. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = () => new AppError(404, 'not_found', 'Not found.');
export const unauthorized = () =>
  new AppError(401, 'unauthorized', 'Missing, invalid or expired credentials.');
export const forbidden = () =>
  new AppError(403, 'forbidden', 'Your role in this tenant does not allow this action.');

export interface ErrorBody {
  error: { code: string; message: string };
}

export const errorBody = (code: string, message: string): ErrorBody => ({
  error: { code, message },
});

export const notFoundHandler: RequestHandler = (_req, res) => {
  res.status(404).json(errorBody('not_found', 'Not found.'));
};

function bodyParserError(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error)) return undefined;
  switch (error.type) {
    case 'entity.too.large':
      return new AppError(413, 'payload_too_large', 'The request body is too large.');
    case 'entity.parse.failed':
      return new AppError(400, 'malformed_json', 'The request body is not valid JSON.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(
        415,
        'unsupported_encoding',
        'The request body encoding is not supported.',
      );
    case 'request.aborted':
      return new AppError(400, 'request_aborted', 'The request was aborted.');
    default:
      return undefined;
  }
}

/** Other 4xx errors raised by express or its router (e.g. a malformed %-escape in the path). */
function clientHttpError(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status =
    'status' in error && typeof error.status === 'number'
      ? error.status
      : 'statusCode' in error && typeof error.statusCode === 'number'
        ? error.statusCode
        : undefined;
  if (status === undefined || status < 400 || status > 499) return undefined;
  return new AppError(status, 'bad_request', 'The request could not be understood.');
}

function describeZod(error: ZodError): string {
  const first = error.issues[0];
  const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
  return `Invalid request${where}: ${first?.message ?? 'validation failed'}.`;
}

/** Last middleware: every failure becomes `{ error: { code, message } }`; only 5xx are logged with a stack. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const known =
      error instanceof AppError
        ? error
        : error instanceof ZodError
          ? new AppError(400, 'invalid_request', describeZod(error))
          : (bodyParserError(error) ?? clientHttpError(error));
    const log = res.locals.log ?? logger;
    if (known) {
      for (const [k, v] of Object.entries(known.headers)) res.setHeader(k, v);
      res.status(known.status).json(errorBody(known.code, known.message));
      return;
    }
    const e = error instanceof Error ? error : new Error(String(error));
    const code =
      typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
    // name, message, code and stack only: pg's `detail` can carry row values.
    log.error(
      { err: { name: e.name, message: e.message, code, stack: e.stack }, path: req.path },
      'request failed',
    );
    if (res.headersSent) return;
    res.status(500).json(errorBody('internal', 'Something went wrong on our side.'));
  };
}
