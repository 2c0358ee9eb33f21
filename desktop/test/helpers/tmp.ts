import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

// Folders made outside a test. Registered here, while the test file is being collected, this
// afterAll runs at the end of the file, so it also removes folders made in a beforeAll: a hook
// registered while the tests already run (as afterAll inside beforeAll) is never run by vitest.
const outsideTests = new Set<string>();
afterAll(() => {
  for (const dir of outsideTests) rmSync(dir, { recursive: true, force: true });
  outsideTests.clear();
});

/**
 * A fresh temporary folder. Made inside a test (or its beforeEach/afterEach), it is removed when
 * that test finishes; made at module or describe level, when that file or describe block is done;
 * made in a beforeAll, when the file is done.
 */
export function tempDir(prefix = 'creator-hub-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    onTestFinished(remove);
  } catch {
    // Not inside a test: vitest throws "can only be called inside a test".
    outsideTests.add(dir);
    afterAll(remove);
  }
  return dir;
}
