import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocx } from '../../src/core/ingest/docx';
import { ingestPaths } from '../../src/core/ingest/ingest';
import { IngestRejection } from '../../src/core/ingest/types';
import { openWorkspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';
import { documentXml, paragraphXml, writeDocx, writeZip } from './zip-writer';

const MiB = 1024 * 1024;
/** 1 MiB of XML whitespace: a valid place inside <w:body>, and it compresses about 1000:1. */
const blank = Buffer.alloc(MiB, 0x20);

function spyConverter() {
  const calls: number[] = [];
  return {
    calls,
    convert: async (buffer: Buffer) => {
      calls.push(buffer.length);
      return '<p>converted</p>';
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<IngestRejection> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof IngestRejection) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('DOCX zip inspection', () => {
  it('rejects a small DOCX expanding to 150 MB before the converter runs', async () => {
    const bomb = await writeDocx({ repeat: blank, times: 150 });
    expect(bomb.length).toBeLessThan(MiB);
    const spy = spyConverter();
    const error = await rejection(parseDocx(bomb, { convert: spy.convert }));
    expect(error.code).toBe('zip_bomb');
    expect(error.reason).toMatch(/zip bomb/);
    expect(spy.calls).toEqual([]);
  });

  it('rejects an entry that declares a small size and expands beyond the limit', async () => {
    // Declared 200 kB against ~150 kB compressed: the directory looks harmless; streaming tells.
    const liar = await writeDocx({ repeat: blank, times: 150 }, 200_000);
    const spy = spyConverter();
    const error = await rejection(parseDocx(liar, { convert: spy.convert }));
    expect(error.code).toBe('zip_bomb');
    expect(spy.calls).toEqual([]);
  });

  it('rejects an archive with too many entries', async () => {
    const entries = Array.from({ length: 6000 }, (_, i) => ({
      name: `x/${i}.xml`,
      data: Buffer.from('<a/>'),
    }));
    const spy = spyConverter();
    const error = await rejection(
      parseDocx(
        await writeZip([
          { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
          ...entries,
        ]),
        {
          convert: spy.convert,
        },
      ),
    );
    expect(error.reason).toMatch(/6001 entries/);
    expect(spy.calls).toEqual([]);
  });

  it('lets an honest DOCX through to the converter, and mammoth reads it', async () => {
    const docx = await writeDocx(documentXml(paragraphXml('Hello from a generated document.')));
    const spy = spyConverter();
    await parseDocx(docx, { convert: spy.convert });
    expect(spy.calls).toEqual([docx.length]);
    const parsed = await parseDocx(docx);
    expect(parsed.blocks).toEqual([
      { kind: 'paragraph', text: 'Hello from a generated document.' },
    ]);
  });

  it('ends as rejected through ingestPaths, with nothing stored', async () => {
    const ws = openWorkspace(tempDir());
    const file = join(tempDir(), 'bomb.docx');
    writeFileSync(file, await writeDocx({ repeat: blank, times: 150 }));
    const [result] = await ingestPaths(ws, [file]);
    expect(result).toMatchObject({ status: 'rejected', code: 'zip_bomb' });
    const n = ws.db.prepare('SELECT count(*) AS n FROM documents').get() as { n: number };
    expect(n.n).toBe(0);
    ws.close();
  });
});
