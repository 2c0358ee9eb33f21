import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
