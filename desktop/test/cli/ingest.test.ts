import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';
import { fixture } from '../ingest/fixtures';

interface Line {
  path?: string;
  status?: string;
  documentId?: string;
  chunks?: number;
  reason?: string;
  summary?: { ok: number; rejected: number; duplicate: number };
}

function folderWithDocs(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'notes', 'deeper'), { recursive: true });
  copyFileSync(fixture('docs/txt/pep-0020.rst.txt'), join(dir, 'notes', 'zen.txt'));
  copyFileSync(fixture('docs/md/pdfjs_README.md'), join(dir, 'notes', 'deeper', 'pdfjs.md'));
  writeFileSync(join(dir, 'notes', 'empty.md'), '');
  writeFileSync(join(dir, 'notes', 'ignored.csv'), 'a,b\n');
  return join(dir, 'notes');
}

describe('creator-hub ingest', () => {
  it('prints one JSON line per file and a summary, exit 0 despite rejections', async () => {
    const home = tempDir();
    const folder = folderWithDocs();
    const run = await cli(['ingest', folder, '--json', '--home', home]);
    expect(run.code).toBe(0);
    const lines = run.json<Line>();
    const files = lines.filter((l) => l.path !== undefined);
    expect(files.map((l) => [l.path?.slice(folder.length), l.status])).toEqual([
      ['/deeper/pdfjs.md', 'ok'],
      ['/empty.md', 'rejected'],
      ['/zen.txt', 'ok'],
    ]);
    expect(Object.keys(files[0] ?? {}).sort()).toEqual(['chunks', 'documentId', 'path', 'status']);
    expect(files[1]).toEqual({
      path: join(folder, 'empty.md'),
      status: 'rejected',
      reason: 'empty file',
    });
    expect(lines.at(-1)).toEqual({ summary: { ok: 2, rejected: 1, duplicate: 0 } });

    const again = (
      await cli(['ingest', join(folder, 'zen.txt'), '--json', '--home', home])
    ).json<Line>();
    expect(again[0]).toEqual({
      path: join(folder, 'zen.txt'),
      status: 'duplicate',
      documentId: files[2]?.documentId,
    });
    expect(again[1]).toEqual({ summary: { ok: 0, rejected: 0, duplicate: 1 } });
  });

  it('ingests into the knowledge base named by --kb, creating it', async () => {
    const home = tempDir();
    const run = await cli([
      'ingest',
      fixture('docs/txt/pep-0020.rst.txt'),
      '--kb',
      'Python',
      '--home',
      home,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ok +.*pep-0020\.rst\.txt \(\d+ chunks\)$/m);
    expect(run.stdout).toMatch(/1 ingested, 0 duplicate, 0 rejected/);
    const status = (await cli(['status', '--json', '--home', home])).json<{
      knowledgeBases: { name: string; documents: number }[];
    }>()[0];
    expect(status?.knowledgeBases.map((k) => [k.name, k.documents])).toEqual([
      ['Default', 0],
      ['Python', 1],
    ]);
  });

  it('reports a missing file as rejected and fails only when the command itself fails', async () => {
    const home = tempDir();
    const missing = await cli(['ingest', join(home, 'nope.txt'), '--json', '--home', home]);
    expect(missing.code).toBe(0);
    expect(missing.json<Line>()[0]?.status).toBe('rejected');
    const badKb = await cli([
      'ingest',
      fixture('docs/txt/pep-0020.rst.txt'),
      '--kb',
      ' ',
      '--home',
      home,
    ]);
    expect(badKb.code).toBe(1);
    expect(badKb.stderr).toMatch(/knowledge base name/);
    const noArgs = await cli(['ingest', '--home', home]);
    expect(noArgs.code).not.toBe(0);
  });
});
