import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Db } from '../db/open';
import { newId } from '../ids';
import { MAGIC_BYTES } from './detect';
import type { Format } from './types';

export interface StoredOriginal {
  storedName: string;
  path: string;
  contentHash: string;
  byteSize: number;
}

export async function readHead(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(MAGIC_BYTES);
    const { bytesRead } = await handle.read(head, 0, MAGIC_BYTES, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Copies a file into the originals folder under a generated name while hashing it, so the bytes that
 * get parsed and stored are exactly the bytes that were hashed, even if the source changes meanwhile.
 */
export async function storeOriginal(
  source: string,
  originalsDir: string,
  format: Format,
): Promise<StoredOriginal> {
  const storedName = `${newId()}.${format}`;
  const path = join(originalsDir, storedName);
  const hash = createHash('sha256');
  let byteSize = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      byteSize += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(source), tap, createWriteStream(path, { flags: 'wx' }));
  } catch (error) {
    await removeOriginal(originalsDir, storedName);
    throw error;
  }
  return { storedName, path, contentHash: hash.digest('hex'), byteSize };
}

export async function removeOriginal(originalsDir: string, storedName: string): Promise<void> {
  await unlink(join(originalsDir, storedName)).catch(() => undefined);
}

/** Orphans younger than this may belong to an ingestion still running in another process. */
export const ORPHAN_MIN_AGE_MS = 60 * 60 * 1000;

/**
 * Deletes stored originals no document refers to: copies left by a crash between copying a file and
 * committing its document. Returns how many were removed.
 */
export async function sweepOrphanOriginals(
  db: Db,
  originalsDir: string,
  minAgeMs = ORPHAN_MIN_AGE_MS,
  now = Date.now(),
): Promise<number> {
  const referenced = new Set(
    (db.prepare('SELECT stored_name AS s FROM documents').all() as { s: string }[]).map((r) => r.s),
  );
  let removed = 0;
  for (const name of await readdir(originalsDir)) {
    if (referenced.has(name)) continue;
    const info = await stat(join(originalsDir, name)).catch(() => null);
    if (!info?.isFile() || now - info.mtimeMs < minAgeMs) continue;
    await removeOriginal(originalsDir, name);
    removed++;
  }
  return removed;
}
