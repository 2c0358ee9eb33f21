import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { decodeText } from '../desktop/src/core/ingest/decode-text';
import { ingestPaths } from '../desktop/src/core/ingest/ingest';
import { createParserProcess } from '../desktop/src/core/ingest/parser';
import { openWorkspace } from '../desktop/src/core/workspace';
import { writeTextPdf } from './lib/pdf-writer';

/**
 * Ingestion without the embedding model (parse + chunk + index) — QUALITY.md goals: ≥ 100 PDF pages/s
 * for a 352-page PDF, War and Peace (3.2 MB) in ≤ 3 s, RSS ≤ 400 MB. Inputs are generated at run time:
 * a 352-page text PDF (Helvetica, prose from the Pride and Prejudice fixture) and a 3.2 MB text made by
 * repeating that novel. Baselines measured in the same run: raw pdf.js text extraction of the same PDF,
 * and plain read + decode of the same text. The parser process is started before timing (start-up is
 * reported separately). The pdf.js baseline runs in a plain `node` process, as the parser process loads
 * pdf.js (outside tsx); both timings include loading pdf.js. This process never loads pdf.js, so its
 * RSS is that of the app's main side.
 */
const PAGES = Number(process.env.BENCH_INGEST_PAGES ?? 352);
const TEXT_BYTES = 3_202_320;
const NOVEL = join(
  import.meta.dirname,
  '../desktop/test/fixtures/corpus/docs/txt/gutenberg_pride-and-prejudice_pg1342.txt',
);
const MiB = 1024 * 1024;

const line = (o: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ bench: 'ingest', ...o })}\n`);
const seconds = (from: number) => Math.round((performance.now() - from) / 10) / 100;

const RAW_PDFJS = `
import { readFileSync } from 'node:fs';
const [pdfjsUrl, path] = process.argv.slice(1);
const t = performance.now();
const { getDocument } = await import(pdfjsUrl);
const doc = await getDocument({
  data: new Uint8Array(readFileSync(path)),
  isEvalSupported: false,
  verbosity: 0,
}).promise;
for (let p = 1; p <= doc.numPages; p++) await (await doc.getPage(p)).getTextContent();
await doc.destroy();
process.stdout.write(String(performance.now() - t));
`;

/** Seconds of bare pdf.js text extraction, import included, in a plain node process. */
async function rawPdfjs(path: string): Promise<number> {
  const url = import.meta.resolve('pdfjs-dist/legacy/build/pdf.mjs');
  const args = ['--input-type=module', '-e', RAW_PDFJS, url, path];
  const { stdout } = await promisify(execFile)(process.execPath, args);
  return Math.round(Number(stdout) / 10) / 100;
}

const loadAverage = () => loadavg().map((l) => Math.round(l * 100) / 100);

/** RSS in bytes of this process's children (the parser process), from /proc. */
function childRss(): number {
  let pids: string[] = [];
  try {
    pids = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
  } catch {
    return 0;
  }
  let rss = 0;
  for (const pid of pids) {
    try {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      rss = Math.max(rss, Number(kb ?? 0) * 1024);
    } catch {
      // the child exited between listing and reading
    }
  }
  return rss;
}

/** Peak RSS of this process and of its children, sampled every 25 ms. */
function rssSampler() {
  let peakChild = 0;
  let peakMain = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peakMain = Math.max(peakMain, process.memoryUsage.rss());
    peakChild = Math.max(peakChild, childRss());
  }, 25);
  return {
    stop: () => {
      clearInterval(timer);
      return {
        peakMainMb: Math.round(peakMain / MiB),
        peakParserMb: Math.round(peakChild / MiB),
      };
    },
  };
}

export async function run(): Promise<void> {
  const loadAtStart = loadAverage();
  const dir = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
  const ws = openWorkspace(join(dir, 'home'));
  const parser = createParserProcess();
  try {
    const novel = readFileSync(NOVEL, 'utf8');
    const pdfPath = join(dir, 'report.pdf');
    writeFileSync(pdfPath, writeTextPdf(novel, PAGES, 'Generated report'));
    const textPath = join(dir, 'war-and-peace-sized.txt');
    const repeated = novel.repeat(Math.ceil(TEXT_BYTES / novel.length));
    writeFileSync(textPath, Buffer.from(repeated).subarray(0, TEXT_BYTES));
    const rssBefore = Math.round(process.memoryUsage.rss() / MiB);
    const sampler = rssSampler();

    let t = performance.now();
    const warm = join(dir, 'warm.md');
    writeFileSync(warm, '# Warm-up\n\nStarts the parser process.');
    await ingestPaths(ws, [warm], { parser });
    line({ case: 'parser process start-up', seconds: seconds(t) });
    const parserIdleMb = Math.round(childRss() / MiB);

    // Baseline for lag: the same histogram over an idle wait, which shows what the machine alone adds.
    const idle = monitorEventLoopDelay({ resolution: 10 });
    idle.enable();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    idle.disable();
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    t = performance.now();
    const [pdf] = await ingestPaths(ws, [pdfPath], { parser });
    const pdfSeconds = seconds(t);
    t = performance.now();
    const [text] = await ingestPaths(ws, [textPath], { parser });
    const textSeconds = seconds(t);
    lag.disable();
    const rss = {
      ...sampler.stop(),
      rssAfterMb: Math.round(process.memoryUsage.rss() / MiB),
      parserAfterStartMb: parserIdleMb,
      parserAfterMb: Math.round(childRss() / MiB),
    };
    // Baselines last, so their memory does not count as ingestion's.
    const pdfjsSeconds = await rawPdfjs(pdfPath);
    t = performance.now();
    decodeText(readFileSync(textPath));
    const decodeSeconds = seconds(t);

    line({
      case: `PDF ${PAGES} pages (generated): parse + chunk + index`,
      status: pdf?.status,
      chunks: pdf?.status === 'ok' ? pdf.chunks : 0,
      seconds: pdfSeconds,
      pagesPerSecond: Math.round(PAGES / pdfSeconds),
      baselineRawPdfjsSeconds: pdfjsSeconds,
      baselinePagesPerSecond: Math.round(PAGES / pdfjsSeconds),
      ratioToRawPdfjs: Math.round((pdfSeconds / pdfjsSeconds) * 100) / 100,
      goalPagesPerSecond: 100,
    });
    line({
      case: 'War and Peace size text (3.2 MB, generated): parse + chunk + index',
      status: text?.status,
      chunks: text?.status === 'ok' ? text.chunks : 0,
      seconds: textSeconds,
      baselineReadDecodeSeconds: decodeSeconds,
      goalSeconds: 3,
    });
    line({
      case: 'main event loop lag during both ingests',
      maxLagMs: Math.round(lag.max / 1e6),
      p99LagMs: Math.round(lag.percentile(99) / 1e6),
      baselineIdleMaxLagMs: Math.round(idle.max / 1e6),
      baselineIdleP99LagMs: Math.round(idle.percentile(99) / 1e6),
    });
    line({
      case: 'memory while ingesting both',
      rssBeforeMb: rssBefore,
      ...rss,
      goalMb: 400,
    });
    line({ case: 'load average (1, 5, 15 min)', atStart: loadAtStart, atEnd: loadAverage() });
  } finally {
    parser.close();
    ws.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
