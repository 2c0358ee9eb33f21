import iconv from 'iconv-lite';
import { reject } from './types';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be' | 'latin1';

const BOMS: { encoding: TextEncoding; bytes: number[] }[] = [
  // UTF-32LE before UTF-16LE: its BOM starts with the UTF-16LE one.
  { encoding: 'utf-32le', bytes: [0xff, 0xfe, 0x00, 0x00] },
  { encoding: 'utf-32be', bytes: [0x00, 0x00, 0xfe, 0xff] },
  { encoding: 'utf-8', bytes: [0xef, 0xbb, 0xbf] },
  { encoding: 'utf-16le', bytes: [0xff, 0xfe] },
  { encoding: 'utf-16be', bytes: [0xfe, 0xff] },
];

/** Share of NUL bytes at even/odd positions that marks BOM-less UTF-16 (ASCII-heavy text). */
const UTF16_NUL_SHARE = 0.4;
/** Above this share of control or replacement characters the "text" is binary data. */
export const MAX_JUNK_SHARE = 0.02;

function sniffBomless(bytes: Uint8Array): TextEncoding | null {
  const n = Math.min(bytes.length, 4096) & ~3;
  if (n < 4) return null;
  const nulAt = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) if (bytes[i] === 0) nulAt[i % 4] = (nulAt[i % 4] ?? 0) + 1;
  const [a = 0, b = 0, c = 0, d = 0] = nulAt.map((x) => x / (n / 4));
  if (b > 0.9 && c > 0.9 && d > 0.9 && a < 0.5) return 'utf-32le';
  if (a > 0.9 && b > 0.9 && c > 0.9 && d < 0.5) return 'utf-32be';
  const odd = (b + d) / 2;
  const even = (a + c) / 2;
  if (odd > UTF16_NUL_SHARE && even < 0.05) return 'utf-16le';
  if (even > UTF16_NUL_SHARE && odd < 0.05) return 'utf-16be';
  return null;
}

function detectEncoding(bytes: Uint8Array): { encoding: TextEncoding; bomLength: number } {
  for (const bom of BOMS) {
    if (bom.bytes.every((b, i) => bytes[i] === b)) {
      return { encoding: bom.encoding, bomLength: bom.bytes.length };
    }
  }
  const sniffed = sniffBomless(bytes);
  if (sniffed) return { encoding: sniffed, bomLength: 0 };
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { encoding: 'utf-8', bomLength: 0 };
  } catch {
    return { encoding: 'latin1', bomLength: 0 };
  }
}

function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: string[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) {
    const cp = view.getUint32(i, littleEndian);
    parts.push(
      cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '\ufffd',
    );
  }
  return parts.join('');
}

function decodeAs(bytes: Uint8Array, encoding: TextEncoding): string {
  switch (encoding) {
    case 'utf-32le':
      return decodeUtf32(bytes, true);
    case 'utf-32be':
      return decodeUtf32(bytes, false);
    case 'latin1':
      // windows-1252 is what "Latin-1" files from real editors are; it is a superset for text.
      return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'win1252');
    default:
      return new TextDecoder(encoding).decode(bytes);
  }
}

/** Share of characters that never occur in real text: C0/C1 controls (except tab/newlines) and U+FFFD. */
export function junkShare(text: string): number {
  if (text.length === 0) return 0;
  let junk = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f) junk++;
    else if ((c >= 0x80 && c < 0xa0) || c === 0xfffd) junk++;
  }
  return junk / text.length;
}

/**
 * Decodes a text file: BOM first (UTF-8/16/32), then BOM-less UTF-16/32 by NUL pattern,
 * then strict UTF-8, then Latin-1 (windows-1252). Refuses binary data posing as text.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  const { encoding, bomLength } = detectEncoding(bytes);
  const text = decodeAs(bytes.subarray(bomLength), encoding);
  if (junkShare(text) > MAX_JUNK_SHARE) {
    throw reject('binary', 'not a text file: it contains binary data (control bytes)');
  }
  return { text, encoding };
}
