// Entry point of the parser process (started by parser.ts with plain `node`, no `--import tsx`).
// Our TypeScript loads through tsx registered in a namespace of its own, so modules imported from
// here stay outside tsx's hooks. That matters for pdf.js (3.3 MB of plain JavaScript): through tsx it
// is re-emitted with an inline source map, which Node then parses and keeps — about 300 MB of RSS
// across the loader thread and this one, and 2–3 s of a first PDF. Imported natively it costs ~35 MB.
import { register } from 'tsx/esm/api';

const tsx = register({ namespace: 'creator-hub-parser' });

/**
 * pdf.js, imported natively on first use. Its own source maps (8 MB) are not loaded: Node would parse
 * them on import (~40 MB of heap, ~0.5 s) only to map stack traces the parser never shows. The worker
 * half runs on this thread (pdf.js's "fake worker"); handing it over through `globalThis.pdfjsWorker`
 * stops pdf.js from importing it later, when source maps are on again.
 */
async function importPdfjs() {
  const sourceMaps = process.sourceMapsEnabled !== false;
  process.setSourceMapsEnabled(false);
  try {
    globalThis.pdfjsWorker ??= await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
    return await import('pdfjs-dist/legacy/build/pdf.mjs');
  } finally {
    process.setSourceMapsEnabled(sourceMaps);
  }
}

const { setPdfjsLoader } = await tsx.import('./pdfjs.ts', import.meta.url);
setPdfjsLoader(importPdfjs);
await tsx.import('./parse-worker.ts', import.meta.url);
