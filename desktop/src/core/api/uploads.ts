import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError } from '@creator-hub/shared/api/index';

/**
 * Browser mode cannot hand over file paths, so the renderer uploads each picked file once; the
 * bytes are staged under the workspace and the import refers to them by a generated id. The user's
 * file name is kept (sanitised) only as the last path segment, since ingestion titles documents by it.
 */
export const UPLOADS_DIR = 'uploads';
const UPLOAD_ID = /^[a-f0-9-]{36}$/;

export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = [...base]
    .map((c) =>
      c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127 || '<>:"|?*'.includes(c) ? '_' : c,
    )
    .join('')
    .replace(/^\.+/, '');
  return cleaned.slice(-200) || 'file';
}

export class UploadTooLarge extends Error {
  readonly code = 'too_large';
}

export async function stageUpload(
  home: string,
  name: string,
  body: Readable,
  maxBytes: number,
): Promise<{ uploadId: string; name: string; bytes: number }> {
  const uploadId = randomUUID();
  const dir = join(home, UPLOADS_DIR, uploadId);
  await mkdir(dir, { recursive: true });
  const fileName = safeFileName(name);
  let bytes = 0;
  try {
    await pipeline(
      body,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          bytes += chunk.length;
          if (bytes > maxBytes)
            throw new UploadTooLarge(`the file is larger than ${maxBytes} bytes`);
          yield chunk;
        }
      },
      createWriteStream(join(dir, fileName)),
    );
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { uploadId, name: fileName, bytes };
}

export async function resolveUpload(home: string, uploadId: string): Promise<string> {
  if (!UPLOAD_ID.test(uploadId)) throw new ApiError('invalid_input', 'not an upload id');
  const dir = join(home, UPLOADS_DIR, uploadId);
  const [name] = await readdir(dir).catch(() => []);
  if (!name) throw new ApiError('not_found', 'that upload is gone; pick the file again');
  return join(dir, name);
}

export async function discardUpload(home: string, uploadId: string): Promise<void> {
  if (UPLOAD_ID.test(uploadId)) {
    await rm(join(home, UPLOADS_DIR, uploadId), { recursive: true, force: true });
  }
}
