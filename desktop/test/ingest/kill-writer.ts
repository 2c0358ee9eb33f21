// A writer for the SIGKILL loop (kill-loop.test.ts): ingests generated Markdown files forever and prints
// "ack <documentId> <chunks>" after each document is committed. It is killed at a random moment.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestPaths } from '../../src/core/ingest/ingest';
import { createInProcessParser } from '../../src/core/ingest/parser';
import { openWorkspace } from '../../src/core/workspace';

const [home = '', sources = '', run = '0'] = process.argv.slice(2);
const WORDS = [
  'ledger',
  'harbour',
  'quiet',
  'signal',
  'orchard',
  'copper',
  'meadow',
  'vector',
  'lantern',
];

/** Unique content per (run, n), 2–40 sections long so transactions vary from short to long. */
function document(n: number): string {
  const sections = 2 + ((n * 7 + Number(run)) % 39);
  const parts = [`# Run ${run} document ${n}`];
  for (let s = 0; s < sections; s++) {
    parts.push(`## Section ${s}`);
    for (let p = 0; p < 4; p++) {
      const word = WORDS[(n + s + p) % WORDS.length];
      parts.push(
        `Run ${run}, document ${n}, section ${s}, paragraph ${p} mentions the ${word}. `.repeat(6),
      );
    }
  }
  return parts.join('\n\n');
}

const ws = openWorkspace(home);
const parser = createInProcessParser();
mkdirSync(sources, { recursive: true });
process.stdout.write('ready\n');
for (let n = 0; ; n++) {
  // Every fifth file reuses a path, so re-ingesting (chunk replacement) is killed too.
  const name = n % 5 === 4 ? 'reused.md' : `run-${run}-doc-${n}.md`;
  const path = join(sources, name);
  writeFileSync(path, document(n));
  const [result] = await ingestPaths(ws, [path], { parser });
  if (result?.status === 'ok') process.stdout.write(`ack ${result.documentId} ${result.chunks}\n`);
}
