import type { ApiEvent, ApiEventEnvelope, ApiEventName } from '@creator-hub/shared/api/index';

export type EventListener = (envelope: ApiEventEnvelope) => void;

/** Streamed events from the core to whichever transport is attached (IPC or WebSocket). */
export interface EventBus {
  emit<E extends ApiEventName>(event: E, payload: ApiEvent<E>): void;
  subscribe(listener: EventListener): () => void;
}

export function createEventBus(): EventBus {
  const listeners = new Set<EventListener>();
  return {
    emit(event, payload) {
      const envelope = { event, payload } as ApiEventEnvelope;
      for (const listener of listeners) listener(envelope);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
