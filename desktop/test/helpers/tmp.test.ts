import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from './tmp';

// The tests of each describe run in order and share these paths on purpose.
describe('a folder made inside a test', () => {
  let first = '';
  it('exists during the test', () => {
    first = tempDir();
    writeFileSync(join(first, 'note.txt'), 'x');
    expect(existsSync(join(first, 'note.txt'))).toBe(true);
  });
  it('is gone once that test has finished', () => {
    expect(first).not.toBe('');
    expect(existsSync(first)).toBe(false);
  });
});

describe('folders made in beforeEach and at describe level', () => {
  let outer = '';
  const perTest: string[] = [];
  describe('inner', () => {
    outer = tempDir();
    beforeEach(() => {
      perTest.push(tempDir());
    });
    it('exist during the first test', () => {
      expect(existsSync(outer)).toBe(true);
      expect(perTest.map(existsSync)).toEqual([true]);
    });
    it('the describe-level one outlives a test, the beforeEach one does not', () => {
      expect(existsSync(outer)).toBe(true);
      expect(perTest.map(existsSync)).toEqual([false, true]);
    });
  });
  it('the describe-level one is gone once its describe block is done', () => {
    expect(outer).not.toBe('');
    expect(existsSync(outer)).toBe(false);
    expect(perTest.some(existsSync)).toBe(false);
  });
});

describe('folders made at module level and in beforeAll', () => {
  it('are gone once the test file is done (a child vitest runs a fixture file)', async () => {
    const work = tempDir();
    const config = join(work, 'vitest.config.mjs');
    const fixture = resolve(import.meta.dirname, 'tmp-lifetimes.fixture.ts');
    writeFileSync(config, `export default { test: { include: [${JSON.stringify(fixture)}] } };`);
    const out = join(work, 'made.json');
    const root = resolve(import.meta.dirname, '../../..');
    const vitest = join(root, 'node_modules/vitest/vitest.mjs');
    await promisify(execFile)(
      process.execPath,
      [vitest, 'run', '--root', root, '--config', config],
      {
        env: { ...process.env, TMP_FIXTURE_OUT: out },
      },
    );
    const made = JSON.parse(readFileSync(out, 'utf8')) as Record<string, string>;
    expect(Object.keys(made).sort()).toEqual(['beforeAll', 'describe', 'module', 'test']);
    for (const dir of Object.values(made)) expect(existsSync(dir), dir).toBe(false);
  });
});
