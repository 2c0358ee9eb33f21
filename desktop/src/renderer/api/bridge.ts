import type { ApiClient, ApiName, ApiResult, FileRef } from '@creator-hub/shared/api/index';
import { ApiError } from '@creator-hub/shared/api/index';
import { createHttpClient, takeToken } from './http-client';

/** What the preload exposes in Electron (see desktop/src/preload): one function per method. */
export interface PreloadBridge {
  api: Record<ApiName, (input: unknown) => Promise<ApiResult<unknown>>>;
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
  pathForFile(file: File): string;
}

export interface AppClient extends ApiClient {
  /** Turns a picked or dropped file into something `ingest.import` accepts. */
  stageFile(file: File): Promise<FileRef>;
  transport: 'electron' | 'browser';
}

declare global {
  interface Window {
    creatorHub?: PreloadBridge;
  }
}

function electronClient(bridge: PreloadBridge): AppClient {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  bridge.onEvent((event, payload) => {
    for (const l of listeners.get(event) ?? []) l(payload);
  });
  return {
    transport: 'electron',
    async send(name, input) {
      const result = await bridge.api[name](input);
      if (result.ok) return result.value as never;
      throw new ApiError(result.error.code, result.error.message, result.error.issues);
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
    stageFile: async (file) => ({ kind: 'path', path: bridge.pathForFile(file) }),
  };
}

/** Electron's preload bridge when present, else browser mode with the launch token. */
export function createAppClient(): AppClient | null {
  if (window.creatorHub) return electronClient(window.creatorHub);
  const token = takeToken();
  if (!token) return null;
  const http = createHttpClient(token);
  return {
    transport: 'browser',
    send: http.send,
    on: http.on,
    stageFile: async (file) => ({ kind: 'upload', uploadId: await http.upload(file) }),
  };
}
