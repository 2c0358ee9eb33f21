import type { ApiEventEnvelope, ApiName, ApiResult } from '@creator-hub/shared/api/index';
import type { UtilityProcess } from 'electron';
import type { CoreMessage, CoreRequest } from './core-protocol';

export interface CoreClient {
  call(name: ApiName, payload: unknown): Promise<ApiResult<unknown>>;
  onEvent(listener: (envelope: ApiEventEnvelope) => void): void;
  stop(): void;
}

/** Talks to the core utility process: numbered requests, answers matched by id, events fanned out. */
export function createCoreClient(child: UtilityProcess): CoreClient {
  let next = 1;
  const waiting = new Map<number, (result: ApiResult<unknown>) => void>();
  const listeners: ((envelope: ApiEventEnvelope) => void)[] = [];

  child.on('message', (message: CoreMessage) => {
    if (message.kind === 'result') {
      waiting.get(message.id)?.(message.result);
      waiting.delete(message.id);
    } else if (message.kind === 'event') {
      for (const l of listeners) l(message.envelope);
    }
  });
  child.on('exit', () => {
    for (const resolve of waiting.values()) {
      resolve({
        ok: false,
        error: { code: 'failed', message: 'The app core stopped; restart the app.' },
      });
    }
    waiting.clear();
  });

  return {
    call(name, payload) {
      const id = next++;
      const request: CoreRequest = { kind: 'call', id, name, payload };
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        child.postMessage(request);
      });
    },
    onEvent: (listener) => listeners.push(listener),
    stop: () => child.kill(),
  };
}
