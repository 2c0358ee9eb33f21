import { AppError } from '../http/errors';

/** The 409 a device must answer by resending from `expectedMid` (also in the X-Expected-Mid header). */
export const mutationGap = (expectedMid: number) =>
  new AppError(
    409,
    'mutation_gap',
    `Mutations are missing before this batch: send from mutation ${expectedMid}.`,
    { 'X-Expected-Mid': String(expectedMid) },
  );

export const resyncRequired = (why: string) =>
  new AppError(
    410,
    'resync_required',
    `This cursor can no longer be served (${why}): take a snapshot.`,
  );

export const badBatch = (why: string) =>
  new AppError(400, 'bad_batch', `The batch is malformed: ${why}.`);

export const badCursor = () =>
  new AppError(400, 'bad_cursor', 'The cursor is not one this server handed out.');

export const modelMismatch = (active: string, got: string) =>
  new AppError(409, 'model_mismatch', modelMismatchMessage(active, got));

export const modelMismatchMessage = (active: string, got: string) =>
  `The server holds embeddings from ${active}, this workspace embeds with ${got}. Switch the workspace back to ${active} and re-embed, or publish with --replace-model to make ${got} the tenant's model (the server then drops the ${active} embeddings).`;
