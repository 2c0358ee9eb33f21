/** What identifies a vector space: vectors with different fingerprints are never compared. */
export interface Fingerprint {
  provider: string;
  model: string;
  dims: number;
}

/** Whether a text is stored (document) or asked (query): some models embed the two differently. */
export type EmbedTask = 'document' | 'query';

export interface Embedder {
  readonly provider: string;
  readonly model: string;
  /** Unit-length vectors, one per text, in order. Throws EmbedError. */
  embed(texts: readonly string[], task: EmbedTask): Promise<Float32Array[]>;
  /** A quick check, without retries, that the provider can be reached; throws EmbedError. */
  probe?(): Promise<void>;
}

export type EmbedErrorCode =
  | 'unreachable'
  | 'model_missing'
  | 'bad_response'
  | 'dimension_mismatch'
  | 'aborted'
  | 'failed';

export class EmbedError extends Error {
  constructor(
    readonly code: EmbedErrorCode,
    message: string,
    readonly transient = false,
  ) {
    super(message);
    this.name = 'EmbedError';
  }
}
