import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? tsFiles(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

describe('module boundaries', () => {
  it('only sync-server/src/db imports pg', () => {
    const files = tsFiles(SRC);
    expect(files.length).toBeGreaterThan(20);
    const offenders = files
      .filter((f) => !relative(SRC, f).startsWith('db/'))
      .filter((f) =>
        /from\s+['"]pg(\/[^'"]*)?['"]|require\(\s*['"]pg['"]\s*\)/.test(readFileSync(f, 'utf8')),
      )
      .map((f) => relative(SRC, f));
    expect(offenders).toEqual([]);
  });

  it('the lint rule that enforces it is in place', () => {
    const biome = readFileSync(join(ROOT, 'biome.json'), 'utf8');
    expect(biome).toContain('"sync-server/src/**", "!sync-server/src/db/**"');
    expect(biome).toMatch(/"pg":\s*"Only sync-server\/src\/db/);
  });
});
