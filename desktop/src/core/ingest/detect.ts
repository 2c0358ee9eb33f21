import { extname } from 'node:path';
import { type Format, reject } from './types';

const EXTENSIONS: Record<string, Format> = {
  '.pdf': 'pdf',
  '.docx': 'docx',
  '.txt': 'txt',
  '.text': 'txt',
  '.md': 'md',
  '.markdown': 'md',
};

/** How many leading bytes `checkMagic` needs to see. */
export const MAGIC_BYTES = 1024;

export function formatFromPath(path: string): Format | null {
  return EXTENSIONS[extname(path).toLowerCase()] ?? null;
}

export function isSupportedPath(path: string): boolean {
  return formatFromPath(path) !== null;
}

const startsWith = (head: Uint8Array, signature: readonly number[], at = 0): boolean =>
  signature.every((byte, i) => head[at + i] === byte);

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const ZIP = [0x50, 0x4b, 0x03, 0x04]; // PK\3\4

/** Binary formats a user might rename to .txt/.md by mistake, named so the reason is useful. */
const BINARY_SIGNATURES: { name: string; bytes: number[] }[] = [
  { name: 'a PDF', bytes: PDF },
  { name: 'a ZIP archive (or DOCX)', bytes: ZIP },
  { name: 'a PNG image', bytes: [0x89, 0x50, 0x4e, 0x47] },
  { name: 'a JPEG image', bytes: [0xff, 0xd8, 0xff] },
  { name: 'a GIF image', bytes: [0x47, 0x49, 0x46, 0x38] },
  { name: 'a gzip archive', bytes: [0x1f, 0x8b] },
  { name: 'an executable', bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { name: 'an old Word/Excel file', bytes: [0xd0, 0xcf, 0x11, 0xe0] },
];

/** PDF readers accept the header anywhere in the first KiB; so do we. */
function findPdfHeader(head: Uint8Array): boolean {
  for (let i = 0; i + PDF.length <= head.length; i++) if (startsWith(head, PDF, i)) return true;
  return false;
}

/** Throws an IngestRejection unless the first bytes fit the format the extension claims. */
export function checkMagic(format: Format, head: Uint8Array): void {
  if (format === 'pdf') {
    if (!findPdfHeader(head)) throw reject('wrong_magic', 'not a PDF (no %PDF header)');
    return;
  }
  if (format === 'docx') {
    if (!startsWith(head, ZIP)) throw reject('wrong_magic', 'not a DOCX (not a ZIP archive)');
    return;
  }
  const binary = BINARY_SIGNATURES.find((s) => startsWith(head, s.bytes));
  if (binary) throw reject('wrong_magic', `not a text file: it is ${binary.name}`);
}
