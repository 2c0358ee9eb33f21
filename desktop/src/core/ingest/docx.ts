import mammoth from 'mammoth';
import { htmlToBlocks } from './docx-html';
import { type ParsedDocument, reject } from './types';
import { inspectZip, type ZipLimits } from './zip-inspect';

export type HtmlConverter = (buffer: Buffer) => Promise<string>;

/** Mammoth without images (never read, never inlined as data URIs) and without external files. */
export const mammothToHtml: HtmlConverter = async (buffer) => {
  const result = await mammoth.convertToHtml(
    { buffer },
    {
      convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
      externalFileAccess: false,
    },
  );
  return result.value;
};

/**
 * Checks the ZIP before mammoth sees a byte of XML (zip bombs, lying sizes, not-a-Word archives),
 * then converts to HTML and walks it into blocks.
 */
export async function parseDocx(
  bytes: Uint8Array,
  options: { convert?: HtmlConverter; zipLimits?: ZipLimits } = {},
): Promise<ParsedDocument> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const zip = await inspectZip(buffer, options.zipLimits);
  if (!zip.names.has('[Content_Types].xml')) {
    throw reject('wrong_magic', 'not a DOCX: a ZIP archive without Word content');
  }
  let html: string;
  try {
    html = await (options.convert ?? mammothToHtml)(buffer);
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (/main document part/i.test(message)) {
      throw reject('malformed', 'not a DOCX: the main document part is missing');
    }
    throw reject('malformed', 'the DOCX is damaged: its XML cannot be read');
  }
  return { title: null, format: 'docx', pages: null, blocks: htmlToBlocks(html) };
}
