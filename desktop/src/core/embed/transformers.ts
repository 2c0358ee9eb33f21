import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { env, type FeatureExtractionPipeline, pipeline } from '@huggingface/transformers';
import { type Embedder, EmbedError, type EmbedTask } from './types';
import { toUnitVector } from './vectors';

export interface TransformersEmbedderOptions {
  /** A local model folder (offline), or a Hugging Face model id downloaded once when online. */
  model: string;
  batchSize?: number;
}

/**
 * Runs an ONNX sentence encoder in-process (mean pooling, unit length). A local folder never
 * touches the network: remote models are disabled before it is loaded.
 */
export class TransformersEmbedder implements Embedder {
  readonly provider = 'transformers';
  readonly model: string;
  private extractor: Promise<FeatureExtractionPipeline> | undefined;
  private readonly batchSize: number;

  constructor(options: TransformersEmbedderOptions) {
    const local = existsSync(options.model);
    // A folder is identified by its absolute path: that is what loads it again for queries.
    this.model = local ? resolve(options.model) : options.model;
    this.batchSize = options.batchSize ?? 32;
  }

  private load(): Promise<FeatureExtractionPipeline> {
    this.extractor ??= (async () => {
      const local = existsSync(this.model);
      if (local) {
        env.allowRemoteModels = false;
        env.localModelPath = dirname(this.model);
      }
      try {
        return await pipeline('feature-extraction', local ? basename(this.model) : this.model, {
          dtype: 'fp32',
          local_files_only: local,
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new EmbedError('model_missing', `cannot load the model "${this.model}": ${message}`);
      }
    })();
    return this.extractor;
  }

  async embed(texts: readonly string[], _task: EmbedTask): Promise<Float32Array[]> {
    const extractor = await this.load();
    const out: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      const batch = texts.slice(start, start + this.batchSize);
      const tensor = await extractor([...batch], { pooling: 'mean', normalize: true });
      const [rows, dims] = tensor.dims as [number, number];
      const data = tensor.data as Float32Array;
      if (rows !== batch.length) {
        throw new EmbedError(
          'bad_response',
          `the model returned ${rows} vectors for ${batch.length}`,
        );
      }
      for (let r = 0; r < rows; r++)
        out.push(toUnitVector(data.subarray(r * dims, (r + 1) * dims)));
    }
    return out;
  }
}
