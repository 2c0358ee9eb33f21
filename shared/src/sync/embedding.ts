/**
 * Embeddings cross the wire as base64 of little-endian float32, with the fingerprint of the model
 * that made them; a vector without its model is meaningless to compare against.
 */
export interface ModelFingerprint {
  provider: string;
  model: string;
  dims: number;
}

export const fingerprintOf = (m: ModelFingerprint): string => `${m.provider}/${m.model}@${m.dims}`;

export function encodeVector(vector: Float32Array): string {
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < vector.length; i++) view.setFloat32(i * 4, vector[i] ?? 0, true);
  return Buffer.from(bytes).toString('base64');
}

export class VectorFormatError extends Error {
  readonly code = 'bad_vector';
}

export function decodeVector(base64: string, dims: number): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  // Buffer skips characters outside the alphabet; a strict decoder must not.
  if (bytes.toString('base64') !== base64)
    throw new VectorFormatError('vector is not canonical base64');
  if (bytes.length !== dims * 4) {
    throw new VectorFormatError(
      `vector has ${bytes.length} bytes, expected ${dims * 4} (${dims} floats)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(dims);
  for (let i = 0; i < dims; i++) {
    const x = view.getFloat32(i * 4, true);
    if (!Number.isFinite(x)) throw new VectorFormatError(`vector component ${i} is not finite`);
    out[i] = x;
  }
  return out;
}
