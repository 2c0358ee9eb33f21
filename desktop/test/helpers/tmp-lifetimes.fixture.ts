// Run by tmp.test.ts in a child vitest (not collected by the main run: no .test.ts suffix). Writes
// the folders tempDir() made at each level to $TMP_FIXTURE_OUT, checking they exist while in use.
import { existsSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './tmp';

const made: Record<string, string> = { module: tempDir() };
beforeAll(() => {
  made.beforeAll = tempDir();
});
afterAll(() => {
  const out = process.env.TMP_FIXTURE_OUT;
  if (out) writeFileSync(out, JSON.stringify(made));
});

describe('in use', () => {
  made.describe = tempDir();
  it('every folder exists while the file runs', () => {
    made.test = tempDir();
    for (const dir of Object.values(made)) expect(existsSync(dir)).toBe(true);
  });
});
