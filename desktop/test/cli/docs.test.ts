import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';
import { fixture } from '../ingest/fixtures';

interface DocLine {
  id: string;
  title: string;
  path: string;
  format: string;
  pages: number | null;
  chunks: number;
  status: string;
  kb: string;
}

describe('creator-hub docs and rm', () => {
  it('lists documents per knowledge base and removes one by id', async () => {
    const home = tempDir();
    const zen = fixture('docs/txt/pep-0020.rst.txt');
    const md = fixture('docs/md/pdfjs_README.md');
    expect((await cli(['ingest', zen, '--home', home])).code).toBe(0);
    expect((await cli(['ingest', md, '--kb', 'Web', '--home', home])).code).toBe(0);

    const all = (await cli(['docs', '--json', '--home', home])).json<{ documents: DocLine[] }>()[0];
    expect(all?.documents.map((d) => [d.kb, d.title, d.format, d.path, d.status])).toEqual([
      ['Default', 'pep-0020.rst', 'txt', zen, 'ready'],
      ['Web', 'PDF.js', 'md', md, 'ready'],
    ]);
    expect(all?.documents[0]?.chunks).toBeGreaterThan(0);
    expect(Object.keys(all?.documents[0] ?? {}).sort()).toEqual(
      ['chunks', 'format', 'id', 'kb', 'pages', 'path', 'status', 'title'].sort(),
    );
    const web = (await cli(['docs', '--kb', 'web', '--json', '--home', home])).json<{
      documents: DocLine[];
    }>()[0];
    expect(web?.documents.map((d) => d.title)).toEqual(['PDF.js']);
    const text = await cli(['docs', '--home', home]);
    expect(text.stdout).toMatch(/\[Web\] PDF\.js \(md, \d+ chunks, ready\)/);

    const id = web?.documents[0]?.id ?? '';
    const rm = await cli(['rm', id, '--json', '--home', home]);
    expect(rm.code).toBe(0);
    expect(rm.json()[0]).toEqual({ removed: id, title: 'PDF.js' });
    const after = (await cli(['docs', '--json', '--home', home])).json<{
      documents: DocLine[];
    }>()[0];
    expect(after?.documents.map((d) => d.title)).toEqual(['pep-0020.rst']);
  });

  it('fails with a clear message on an unknown id or knowledge base', async () => {
    const home = tempDir();
    const rm = await cli(['rm', 'nope', '--home', home]);
    expect(rm.code).toBe(1);
    expect(rm.stderr).toMatch(/no document with id "nope"/);
    const docs = await cli(['docs', '--kb', 'Missing', '--home', home]);
    expect(docs.code).toBe(1);
    expect(docs.stderr).toMatch(/no knowledge base named "Missing"/);
    expect((await cli(['docs', '--home', home])).stdout).toBe('No documents.\n');
  });
});
