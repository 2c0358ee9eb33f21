import { type ParsedDocument, reject } from './types';

export async function parseDocx(_bytes: Uint8Array): Promise<ParsedDocument> {
  throw reject('unsupported', 'DOCX support is not ready yet');
}
