import { z } from 'zod';
import { badCursor } from './errors';

/** What an opaque cursor carries; devices only ever hand it back. */
const CursorBody = z.strictObject({
  v: z.literal(1),
  s: z.enum(['content', 'activity']),
  q: z.number().int().min(0),
  e: z.uuid(),
});
export type Cursor = z.infer<typeof CursorBody>;

export const encodeCursor = (c: Omit<Cursor, 'v'>): string =>
  Buffer.from(JSON.stringify({ v: 1, ...c })).toString('base64url');

export function decodeCursor(text: string): Cursor {
  try {
    return CursorBody.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw badCursor();
  }
}

const PageBody = z.strictObject({
  t: z.number().int().min(0).max(1000),
  k: z.string().max(600),
  c: z.string().max(200),
});
export type SnapshotPage = z.infer<typeof PageBody>;

export const encodePage = (p: SnapshotPage): string =>
  Buffer.from(JSON.stringify(p)).toString('base64url');

export function decodePage(text: string): SnapshotPage {
  try {
    return PageBody.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw badCursor();
  }
}
