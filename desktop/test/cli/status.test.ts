import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('creator-hub status and kb', () => {
  it('accepts --home before or after the command, and CREATOR_HUB_HOME', async () => {
    const home = tempDir();
    const before = await cli(['--home', home, 'status', '--json']);
    const after = await cli(['status', '--json', '--home', home]);
    const env = await cli(['status', '--json'], { CREATOR_HUB_HOME: home });
    for (const r of [before, after, env]) {
      expect(r.code).toBe(0);
      expect(r.json<{ home: string }>()[0]?.home).toBe(home);
    }
  });

  it('creates and lists knowledge bases', async () => {
    const home = tempDir();
    expect((await cli(['kb', 'create', 'Coaching', '--home', home])).code).toBe(0);
    const list = await cli(['kb', 'list', '--json', '--home', home]);
    const names = list
      .json<{ knowledgeBases: { name: string }[] }>()[0]
      ?.knowledgeBases.map((k) => k.name);
    expect(names).toEqual(['Default', 'Coaching']);
    const dup = await cli(['kb', 'create', 'coaching', '--home', home]);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/error:/);
  });

  it('fails with usage on an unknown command and prints help on --help', async () => {
    const bad = await cli(['bogus']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown command/);
    const help = await cli(['status', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--json/);
  });
});
