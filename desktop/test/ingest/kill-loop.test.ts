import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepOrphanOriginals } from '../../src/core/ingest/originals';
import { openWorkspace } from '../../src/core/workspace';
import { seededRandom } from '../helpers/seeded-random';
import { tempDir } from '../helpers/tmp';
import { partialDocuments } from './fixtures';

const LANES = 2;
const KILLS_PER_LANE = 100;
const MAX_DELAY_MS = 100;
const ARTIFACTS = join(import.meta.dirname, '..', '..', '..', 'test-artifacts');
let buildDir: string;
let writer: string;

// The writer is bundled once (esbuild, which tsx already ships) so each of the 200 runs starts in
// ~0.1 s instead of compiling TypeScript again; npm packages stay external and resolve from
// node_modules, the workspace's own shared package is bundled.
beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  buildDir = mkdtempSync(join(ARTIFACTS, 'kill-writer-'));
  writer = join(buildDir, 'kill-writer.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'kill-writer.ts')],
    outfile: writer,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
    // Only the migrations folder is found through import.meta.dirname in the writer's code.
    define: {
      'import.meta.dirname': JSON.stringify(join(import.meta.dirname, '../../src/core/db')),
    },
    plugins: [
      {
        // The workspace package is TypeScript source: bundle it rather than leave it to plain node.
        name: 'shared-source',
        setup(b) {
          b.onResolve({ filter: /^@creator-hub\/shared\/.+$/ }, (args) => ({
            path: join(
              import.meta.dirname,
              '../../../shared/src',
              `${args.path.slice('@creator-hub/shared/'.length)}.ts`,
            ),
          }));
        },
      },
      {
        name: 'text-only',
        // The writer ingests Markdown only: leave the PDF and DOCX parsers (and pdf.js) out.
        setup(b) {
          b.onResolve({ filter: /^\.\/(pdf|docx)$/ }, (args) => ({
            path: args.path,
            namespace: 'stub',
          }));
          b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
            contents:
              'export const parsePdf = () => { throw new Error("stub") }; export const parseDocx = parsePdf;',
          }));
        },
      },
    ],
  });
}, 60_000);

afterAll(() => rmSync(buildDir, { recursive: true, force: true }));

interface RunOutcome {
  acks: Map<string, number>;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Starts the writer and kills it with SIGKILL `delayMs` after a trigger line: "ready" (the kill may hit
 * the first document) or the first "ack" (it hits a later one). Collects the acks it printed.
 */
function runAndKill(
  home: string,
  sources: string,
  run: number,
  trigger: 'ready' | 'ack',
  delayMs: number,
): Promise<RunOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [writer, home, sources, String(run)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks = new Map<string, number>();
    let out = '';
    let stderr = '';
    let armed = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      out = lines.pop() ?? '';
      for (const line of lines) {
        const [tag, id, chunks] = line.split(' ');
        if (tag === trigger && !armed) {
          armed = true;
          setTimeout(() => child.kill('SIGKILL'), delayMs);
        }
        if (tag === 'ack' && id) acks.set(id, Number(chunks));
      }
    });
    child.on('exit', (_code, signal) => resolve({ acks, signal, stderr }));
  });
}

/** Reopens the workspace after a kill and returns what is wrong with it (nothing, hopefully). */
function damage(home: string, acknowledged: ReadonlyMap<string, number>): string[] {
  const ws = openWorkspace(home);
  try {
    const problems: string[] = [];
    const integrity = ws.db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    problems.push(...partialDocuments(ws.db).map((id) => `partial document ${id}`));
    const doc = ws.db.prepare(
      'SELECT chunk_count AS n, stored_name AS s FROM documents WHERE id = ?',
    );
    for (const id of acknowledged.keys()) {
      const row = doc.get(id) as { n: number; s: string } | undefined;
      if (!row) problems.push(`acknowledged document ${id} is missing`);
      else if (!existsSync(join(ws.originalsDir, row.s)))
        problems.push(`original of ${id} is missing`);
    }
    return problems;
  } finally {
    ws.close();
  }
}

interface LaneResult {
  kills: number;
  /** Kills that came after the writer had committed at least one document in that run. */
  midStream: number;
  problems: string[];
}

async function lane(index: number): Promise<LaneResult> {
  const home = tempDir();
  const sources = tempDir();
  openWorkspace(home).close();
  const random = seededRandom(7_000 + index);
  const acknowledged = new Map<string, number>();
  let kills = 0;
  let midStream = 0;
  for (let run = 0; run < KILLS_PER_LANE; run++) {
    const trigger = run % 2 === 0 ? 'ready' : 'ack';
    const delay = Math.floor(random() * MAX_DELAY_MS);
    const outcome = await runAndKill(home, sources, index * 1000 + run, trigger, delay);
    if (outcome.signal !== 'SIGKILL') return { kills, midStream, problems: [outcome.stderr] };
    kills++;
    if (outcome.acks.size > 0) midStream++;
    for (const [id, n] of outcome.acks) acknowledged.set(id, n);
    const problems = damage(home, acknowledged);
    if (problems.length > 0)
      return { kills, midStream, problems: [`after kill ${run}`, ...problems] };
  }
  // A kill between copying a file and committing it leaves an orphaned copy: the sweep removes exactly
  // those, and afterwards the originals folder holds one file per document.
  const ws = openWorkspace(home);
  await sweepOrphanOriginals(ws.db, ws.originalsDir, 0);
  const stored = (
    ws.db.prepare('SELECT stored_name AS s FROM documents').all() as { s: string }[]
  ).map((r) => r.s);
  const files = readdirSync(ws.originalsDir);
  ws.close();
  if (files.sort().join() !== stored.sort().join())
    return { kills, midStream, problems: ['originals differ from documents'] };
  return { kills, midStream, problems: [] };
}

describe('SIGKILL loop', () => {
  it(`kills a writer ${LANES * KILLS_PER_LANE} times; every reopen is intact and every acknowledged document whole`, async () => {
    const lanes = await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i)));
    expect(lanes.flatMap((l) => l.problems)).toEqual([]);
    expect(lanes.reduce((n, l) => n + l.kills, 0)).toBe(LANES * KILLS_PER_LANE);
    // At least the half armed on the first ack was killed while documents were being written.
    expect(lanes.reduce((n, l) => n + l.midStream, 0)).toBeGreaterThanOrEqual(
      LANES * KILLS_PER_LANE * 0.5,
    );
    // Bounded by the run count, not the clock: each run costs ~0.3 s idle and up to ~2 s on a machine
    // saturated by the rest of the suite, so the timeout leaves room for the latter.
  }, 480_000);
});
