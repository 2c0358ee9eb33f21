import {
  API_METHOD_NAMES,
  type ApiEventEnvelope,
  type ApiName,
  type ApiResult,
  IPC_EVENT_CHANNEL,
  ipcChannel,
} from '@creator-hub/shared/api/index';

/** The parts of Electron the bridge uses, injected so the surface can be tested without Electron. */
export interface BridgeDeps {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  on(channel: string, listener: (event: unknown, envelope: ApiEventEnvelope) => void): void;
  removeListener(
    channel: string,
    listener: (event: unknown, envelope: ApiEventEnvelope) => void,
  ): void;
  pathForFile(file: File): string;
}

export interface Bridge {
  api: Record<ApiName, (input: unknown) => Promise<ApiResult<unknown>>>;
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
  pathForFile(file: File): string;
}

/**
 * What the page gets: one function per contract method (each bound to its own channel), an event
 * subscription, and the path of a file the user dropped. No generic invoke, no ipcRenderer.
 */
export function buildBridge(deps: BridgeDeps): Bridge {
  const api = Object.fromEntries(
    API_METHOD_NAMES.map((name) => {
      const channel = ipcChannel(name);
      return [name, (input: unknown) => deps.invoke(channel, input) as Promise<ApiResult<unknown>>];
    }),
  ) as Bridge['api'];
  return {
    api: Object.freeze(api),
    onEvent(listener) {
      const wrapped = (_event: unknown, envelope: ApiEventEnvelope) =>
        listener(envelope.event, envelope.payload);
      deps.on(IPC_EVENT_CHANNEL, wrapped);
      return () => deps.removeListener(IPC_EVENT_CHANNEL, wrapped);
    },
    pathForFile: (file) => deps.pathForFile(file),
  };
}
