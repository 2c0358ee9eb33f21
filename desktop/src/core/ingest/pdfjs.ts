import type * as PdfjsModule from 'pdfjs-dist/legacy/build/pdf.mjs';

export type Pdfjs = typeof PdfjsModule;

let load = (): Promise<Pdfjs> => import('pdfjs-dist/legacy/build/pdf.mjs');

/**
 * Where pdf.js comes from. The parser process hands in an import made outside tsx's module hooks
 * (parser-entry.mjs); everywhere else pdf.js is imported like any other module.
 */
export function setPdfjsLoader(loader: () => Promise<Pdfjs>): void {
  load = loader;
}

/** pdf.js, loaded on first use (text files never need it). */
export const loadPdfjs = (): Promise<Pdfjs> => load();
