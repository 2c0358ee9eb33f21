import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { IngestRejection, reject } from './types';

export interface ZipLimits {
  maxEntries: number;
  /** Sum of all entries' sizes once decompressed. */
  maxUncompressedBytes: number;
  /** Decompressed/compressed ratio above which an entry (larger than ratioFloorBytes) is a bomb. */
  maxRatio: number;
  ratioFloorBytes: number;
}

/** Real DOCX files: tens of entries, XML compressing about 5–20×, a few MB of XML at most. */
export const DEFAULT_ZIP_LIMITS: Readonly<ZipLimits> = Object.freeze({
  maxEntries: 5000,
  maxUncompressedBytes: 128 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
});

export interface ZipSummary {
  entries: number;
  uncompressedBytes: number;
  names: Set<string>;
}

const bomb = (detail: string) => reject('zip_bomb', `refused: the DOCX is a zip bomb (${detail})`);

const openZip = (buffer: Buffer) =>
  new Promise<ZipFile>((resolve, fail) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true }, (err, zip) =>
      err ? fail(reject('malformed', 'not a DOCX: the ZIP structure is damaged')) : resolve(zip),
    );
  });

/** yauzl's size check says "too many bytes" when an entry expands past its declared size. */
function streamFailure(error: Error) {
  if (error instanceof IngestRejection) return error;
  if (/too many bytes/.test(error.message)) return bomb('an entry is larger than it declares');
  return reject('malformed', 'the DOCX is damaged: an entry cannot be decompressed');
}

/** Decompresses one entry, counting real bytes: declared sizes are untrusted until streamed. */
function drain(zip: ZipFile, entry: Entry, budget: number): Promise<number> {
  return new Promise((resolve, fail) => {
    zip.openReadStream(entry, (err, stream: Readable) => {
      if (err) return fail(reject('malformed', 'not a DOCX: an entry of the ZIP cannot be read'));
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > budget) stream.destroy(bomb('it expands beyond the size limit'));
      });
      stream.on('error', (e) => fail(streamFailure(e)));
      stream.on('end', () => resolve(bytes));
    });
  });
}

/**
 * Reads the ZIP central directory (entry count, declared sizes, compression ratios) and then
 * streams every entry counting the bytes it really expands to, before any XML parser runs.
 */
export async function inspectZip(
  buffer: Buffer,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<ZipSummary> {
  const zip = await openZip(buffer);
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw bomb(`${zip.entryCount} entries`);
  }
  const entries: Entry[] = [];
  await new Promise<void>((resolve, fail) => {
    zip.on('entry', (entry: Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.on('end', resolve);
    zip.on('error', () => fail(reject('malformed', 'not a DOCX: the ZIP directory is damaged')));
    zip.readEntry();
  });
  let declared = 0;
  for (const e of entries) {
    declared += e.uncompressedSize;
    const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
    if (e.uncompressedSize > limits.ratioFloorBytes && ratio > limits.maxRatio) {
      throw bomb(`an entry compresses ${Math.round(ratio)}:1`);
    }
  }
  if (declared > limits.maxUncompressedBytes) throw bomb('it expands beyond the size limit');
  let actual = 0;
  for (const e of entries) {
    if (e.fileName.endsWith('/')) continue;
    actual += await drain(zip, e, limits.maxUncompressedBytes - actual);
  }
  zip.close();
  return {
    entries: entries.length,
    uncompressedBytes: actual,
    names: new Set(entries.map((e) => e.fileName)),
  };
}
