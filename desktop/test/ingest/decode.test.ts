import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/core/ingest/decode-text';
import { checkMagic, formatFromPath } from '../../src/core/ingest/detect';
import { IngestRejection } from '../../src/core/ingest/types';

const utf16 = (text: string, endian: 'le' | 'be', bom: boolean) => {
  const le = Buffer.from(text, 'utf16le');
  const body = endian === 'le' ? le : Buffer.from(le).swap16();
  const mark = endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff];
  return bom ? Buffer.concat([Buffer.from(mark), body]) : body;
};

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof IngestRejection) return error.code;
    throw error;
  }
  return 'accepted';
}

describe('decodeText', () => {
  it.each([
    [
      'UTF-8 with BOM',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Grüße', 'utf8')]),
      'utf-8',
    ],
    ['UTF-8', Buffer.from('Grüße — “quoted”', 'utf8'), 'utf-8'],
    ['UTF-16LE with BOM', utf16('Grüße aus Köln', 'le', true), 'utf-16le'],
    ['UTF-16BE with BOM', utf16('Grüße aus Köln', 'be', true), 'utf-16be'],
    ['UTF-16LE without BOM', utf16('Plain ASCII heavy text here', 'le', false), 'utf-16le'],
    ['UTF-16BE without BOM', utf16('Plain ASCII heavy text here', 'be', false), 'utf-16be'],
    ['Windows-1252', Buffer.from([0x47, 0x72, 0xfc, 0xdf, 0x65, 0x20, 0x93, 0x71, 0x94]), 'latin1'],
  ])('reads %s', (_name, bytes, encoding) => {
    const decoded = decodeText(bytes);
    expect(decoded.encoding).toBe(encoding);
    expect(decoded.text).not.toContain('\ufffd');
    expect(decoded.text.charCodeAt(0)).not.toBe(0xfeff);
  });

  it('reads UTF-32 by BOM and by NUL pattern', () => {
    const body = Buffer.alloc(4 * 5);
    for (const [i, c] of [...'Hällo'].entries()) body.writeUInt32LE(c.codePointAt(0) ?? 0, i * 4);
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), body])).text).toBe('Hällo');
    expect(decodeText(body)).toEqual({ text: 'Hällo', encoding: 'utf-32le' });
  });

  it('refuses binary data posing as text', () => {
    const junk = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 131 + 7) % 256));
    expect(code(() => decodeText(junk))).toBe('binary');
    expect(
      code(() => decodeText(Buffer.from('text\u0000with\u0001\u0002\u0003\u0004 nul bytes'))),
    ).toBe('binary');
    expect(code(() => decodeText(Buffer.from('ordinary\ttext\r\nwith tabs')))).toBe('accepted');
  });
});

describe('magic bytes', () => {
  it('must match the extension', () => {
    expect(formatFromPath('/a/B.PDF')).toBe('pdf');
    expect(formatFromPath('/a/notes.markdown')).toBe('md');
    expect(formatFromPath('/a/sheet.xlsx')).toBeNull();
    const pdf = Buffer.from('%PDF-1.7\n');
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]);
    expect(code(() => checkMagic('pdf', pdf))).toBe('accepted');
    expect(code(() => checkMagic('pdf', Buffer.concat([Buffer.alloc(100, 0x20), pdf])))).toBe(
      'accepted',
    );
    expect(code(() => checkMagic('pdf', zip))).toBe('wrong_magic');
    expect(code(() => checkMagic('docx', zip))).toBe('accepted');
    expect(code(() => checkMagic('docx', pdf))).toBe('wrong_magic');
    expect(code(() => checkMagic('txt', pdf))).toBe('wrong_magic');
    expect(code(() => checkMagic('md', Buffer.from('# Title')))).toBe('accepted');
  });
});
