import { type ParsedDocument, reject } from './types';

export async function parsePdf(_bytes: Uint8Array): Promise<ParsedDocument> {
  throw reject('unsupported', 'PDF support is not ready yet');
}
