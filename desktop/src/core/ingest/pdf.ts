import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import {
  dropRunningLines,
  itemsToLines,
  linesToBlocks,
  type PdfLine,
  type PdfTextItem,
} from './pdf-lines';
import { loadPdfjs, type Pdfjs } from './pdfjs';
import { type ParsedDocument, reject } from './types';

const PDFJS_DIR = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const imageOps = ({ OPS }: Pdfjs): ReadonlySet<number> =>
  new Set([
    OPS.paintImageXObject,
    OPS.paintInlineImageXObject,
    OPS.paintImageMaskXObject,
    OPS.paintImageXObjectRepeat,
  ]);
/** Pages inspected for images when a PDF has no text: enough to tell a scan from a blank file. */
const IMAGE_PROBE_PAGES = 3;

async function open(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  const { getDocument } = await loadPdfjs();
  try {
    return await getDocument({
      // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
      data: new Uint8Array(bytes),
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
      cMapUrl: `${join(PDFJS_DIR, 'cmaps')}/`,
      cMapPacked: true,
      standardFontDataUrl: `${join(PDFJS_DIR, 'standard_fonts')}/`,
    }).promise;
  } catch (error) {
    if (error instanceof Error && error.name === 'PasswordException') {
      throw reject('encrypted', 'encrypted PDF: a password is required');
    }
    throw error;
  }
}

async function hasImages(doc: PDFDocumentProxy): Promise<boolean> {
  const images = imageOps(await loadPdfjs());
  for (let p = 1; p <= Math.min(doc.numPages, IMAGE_PROBE_PAGES); p++) {
    const ops = await (await doc.getPage(p)).getOperatorList();
    if (ops.fnArray.some((fn) => images.has(fn))) return true;
  }
  return false;
}

async function documentTitle(doc: PDFDocumentProxy): Promise<string | null> {
  const meta = await doc.getMetadata().catch(() => null);
  const info: unknown = meta?.info;
  const title =
    info && typeof info === 'object' && 'Title' in info && typeof info.Title === 'string'
      ? info.Title.trim()
      : '';
  return title.length > 0 ? title : null;
}

/** Extracts the text layer page by page; refuses encrypted, image-only and text-less PDFs. */
export async function parsePdf(bytes: Uint8Array): Promise<ParsedDocument> {
  const doc = await open(bytes);
  try {
    const lines: PdfLine[] = [];
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      const content = await page.getTextContent();
      const items: PdfTextItem[] = content.items.flatMap((item) => ('str' in item ? [item] : []));
      lines.push(...itemsToLines(items, p));
      page.cleanup();
    }
    if (!lines.some((l) => /\S/.test(l.text))) {
      if (await hasImages(doc))
        throw reject('no_text_layer', 'no text layer — scanned image, needs OCR');
      throw reject('no_text', 'the PDF has no text');
    }
    return {
      title: await documentTitle(doc),
      format: 'pdf',
      pages: doc.numPages,
      blocks: linesToBlocks(dropRunningLines(lines)),
    };
  } finally {
    await doc.destroy();
  }
}
