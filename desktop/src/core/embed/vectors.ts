/** Small vector helpers shared by the providers, the store and search. */

/** Copies numbers into a unit-length Float32Array (zero vectors stay zero). */
export function toUnitVector(values: ArrayLike<number>): Float32Array {
  const v = Float32Array.from(values as ArrayLike<number>);
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += (v[i] ?? 0) * (v[i] ?? 0);
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = (v[i] ?? 0) / norm;
  return v;
}

export function dot(a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length);
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

export const toBlob = (v: Float32Array): Buffer =>
  Buffer.from(v.buffer, v.byteOffset, v.byteLength);

/**
 * The floats of a blob. SQLite hands back a fresh buffer per value, so an aligned one is viewed in
 * place; one at an odd byte offset is copied.
 */
export function fromBlob(blob: Buffer): Float32Array {
  if (blob.byteOffset % 4 === 0)
    return new Float32Array(blob.buffer, blob.byteOffset, blob.byteLength / 4);
  const bytes = new Uint8Array(blob.byteLength);
  bytes.set(blob);
  return new Float32Array(bytes.buffer);
}
